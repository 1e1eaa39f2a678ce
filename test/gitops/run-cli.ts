/** Runs test/gitops/jetstream-cli.ts (the jetstream CLI with openrc and drift) in a child process. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runGitopsCli(args: string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, "bin", "run-ts.js"), join(__dirname, "jetstream-cli.ts"), ...args],
    { cwd: ROOT, env: { ...env, PULUMI_STACK: "" }, encoding: "utf8" },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

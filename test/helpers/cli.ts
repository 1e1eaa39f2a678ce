/** Runs the `jetstream` bin as a user would, in a child process. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const BIN = join(__dirname, "..", "..", "bin", "jetstream.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runJetstream(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? join(__dirname, "..", ".."),
    env: { ...process.env, PULUMI_STACK: "", ...options.env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

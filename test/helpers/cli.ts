/** Runs the `jetstream` CLI (cli/main.ts, as the bin builds it) in a child process, as a user would. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const RUNNER = join(__dirname, "jetstream-runner.ts");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Evaluate the program before and after an edit for the resource-level diff (slow). */
  resourceDiff?: boolean;
  /** Kill the run after this many milliseconds (a verb that hangs fails its test instead of jest's). */
  timeoutMs?: number;
}

/** `jetstream ARGS` with PULUMI_STACK unset unless given in `env`. */
export function runJetstream(args: string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [join(ROOT, "bin", "run-ts.js"), RUNNER, ...args], {
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      PULUMI_STACK: "",
      JETSTREAM_TEST_NO_RESOURCE_DIFF: options.resourceDiff === false ? "1" : "0",
      ...options.env,
    },
    encoding: "utf8",
    timeout: options.timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

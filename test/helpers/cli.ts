/**
 * Runs the `jetstream` CLI (cli/main.ts, as the bin builds it) for the tests. Most verbs run in
 * one long-lived CLI process per test file (cli-server.ts): the same `main(argv)` the bin runs,
 * with the invocation's own environment and folder, without paying a Node start each time.
 * These still run in a child process of their own, as a user runs them:
 * - `plan`, whose one evaluation runs in its own process and exits it on a program failure;
 * - `ssh` and `visit`, which hand the terminal to ssh or a browser;
 * - a run with a time limit (a verb that may hang is killed, not waited on);
 * - every run when JETSTREAM_TEST_SPAWN=1.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const RUNNER = join(__dirname, "jetstream-runner.ts");
const SERVER = join(__dirname, "cli-server.ts");
const OWN_PROCESS_VERBS = new Set(["plan", "ssh", "visit"]);

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

interface RunningServer {
  child: ChildProcess;
  socket: string;
  log: string;
}

let server: RunningServer | undefined;

/** Blocks this thread for `ms` (the CLI helpers are synchronous, as spawnSync is). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function startServer(): RunningServer {
  const name = `jetstream-cli-${process.pid}-${randomBytes(4).toString("hex")}`;
  const socket = join(tmpdir(), `${name}.sock`);
  const log = join(tmpdir(), `${name}.log`);
  const output = openSync(log, "w");
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin", "run-ts.js"), SERVER, socket, String(process.pid)],
    { stdio: ["ignore", output, output] },
  );
  child.unref();
  const deadline = Date.now() + 60_000;
  while (!existsSync(`${socket}.ready`)) {
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the test CLI server did not start in 60 s: ${readFileSync(log, "utf8")}`);
    }
    sleep(20);
  }
  return { child, socket, log };
}

function stopServer(): void {
  if (server === undefined) return;
  server.child.kill();
  rmSync(server.socket, { force: true });
  rmSync(`${server.socket}.ready`, { force: true });
  rmSync(server.log, { force: true });
  server = undefined;
}

// Stop it with the test file that started it.
if (typeof afterAll === "function") afterAll(stopServer);

function environment(options: CliOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PULUMI_STACK: "",
    JETSTREAM_TEST_NO_RESOURCE_DIFF: options.resourceDiff === false ? "1" : "0",
    ...options.env,
  };
}

function runInOwnProcess(args: string[], options: CliOptions): CliResult {
  const result = spawnSync(process.execPath, [join(ROOT, "bin", "run-ts.js"), RUNNER, ...args], {
    cwd: options.cwd ?? ROOT,
    env: environment(options),
    encoding: "utf8",
    timeout: options.timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runInServer(args: string[], options: CliOptions): CliResult {
  server ??= startServer();
  // An undefined value means "unset", as spawn's env reads it.
  const env = Object.fromEntries(
    Object.entries(environment(options)).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const request = JSON.stringify({ args, cwd: options.cwd ?? ROOT, env });
  const reply = spawnSync(
    "curl",
    ["--silent", "--show-error", "--unix-socket", server.socket, "--data-binary", "@-", "http://cli/run"],
    { input: request, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  if (reply.status !== 0) {
    throw new Error(
      `the test CLI server did not answer (${reply.stderr.trim()}): ${readFileSync(server.log, "utf8")}`,
    );
  }
  return JSON.parse(reply.stdout) as CliResult;
}

/** `jetstream ARGS` with PULUMI_STACK unset unless given in `env`. */
export function runJetstream(args: string[], options: CliOptions = {}): CliResult {
  const ownProcess =
    process.env.JETSTREAM_TEST_SPAWN === "1" ||
    options.timeoutMs !== undefined ||
    args.length === 0 ||
    args[0] === "--help-json" ||
    OWN_PROCESS_VERBS.has(args[0]);
  return ownProcess ? runInOwnProcess(args, options) : runInServer(args, options);
}

/**
 * One process that runs many `jetstream` invocations for the tests of one file: a child
 * process per invocation spends about 0.3 s of CPU loading Node, the TypeScript hook, yaml and
 * zod before the verb starts, and the verb tests run hundreds of them. Each request runs
 * `main(argv)` (what bin/jetstream.js runs) with the request's environment and folder, and
 * answers with its exit status and everything it wrote to stdout and stderr.
 * Started by test/helpers/cli.ts; it stops when that test file's worker does.
 *   run-ts.js cli-server.ts SOCKET
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { main } from "../../cli/main";
import { editDepsFrom } from "./jetstream-runner";

export interface CliRequest {
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

type Write = typeof process.stdout.write;

/** Replaces `stream.write` with one that keeps the text; returns what puts it back. */
function capture(stream: NodeJS.WriteStream, into: string[]): () => void {
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    if (done !== undefined) process.nextTick(done);
    return true;
  }) as Write;
  return () => {
    stream.write = original;
  };
}

/** The environment exactly as the request gives it, as a child process would see it. */
function replaceEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
}

async function runOnce(request: CliRequest): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  replaceEnvironment(request.env);
  process.chdir(request.cwd);
  process.exitCode = undefined;
  const restoreOut = capture(process.stdout, stdout);
  const restoreErr = capture(process.stderr, stderr);
  let status: number;
  try {
    status = await main(["node", "jetstream", ...request.args], editDepsFrom(process.env));
  } finally {
    restoreOut();
    restoreErr();
  }
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

const [socket, parentPid] = process.argv.slice(2);
// Requests come one at a time (the test waits for each), but keep them in order regardless.
let queue: Promise<unknown> = Promise.resolve();
const server = createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => {
    body += chunk;
  });
  request.on("end", () => {
    queue = queue.then(async () => {
      const answer = await runOnce(JSON.parse(body) as CliRequest).catch((error: unknown) => ({
        status: 70,
        stdout: "",
        stderr: `cli-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      }));
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(answer));
    });
  });
});
// The socket file exists from bind(), a moment before listen(): the tests wait for this mark,
// written once connections are taken (under load a request in that moment was refused).
server.listen(socket, () => writeFileSync(`${socket}.ready`, ""));
// The test file's worker may die without stopping this process: follow it.
setInterval(() => {
  try {
    process.kill(Number(parentPid), 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();

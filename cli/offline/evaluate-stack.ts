/**
 * The offline evaluation as the verbs call it: in a child process, so each evaluation starts
 * from a clean Pulumi runtime (the runtime keeps global state) and the verb's own process never
 * loads the Pulumi SDK. Evaluations asked for together (an edit's before and after, `diff`'s
 * base and head) share one child: Node, the SDK and the provider load once, and the child runs
 * them one after the other.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { EvaluateOptions } from "./evaluate";
import type { Evaluation } from "./evaluation";
import { programErrorMessage } from "./program-error";

export type StackEvaluation = Omit<EvaluateOptions, "loadProgram">;

/** One line the worker writes for each evaluation it finished, in the order it was given them. */
export type WorkerAnswer = { evaluation: Evaluation } | { error: string };

interface Request {
  options: StackEvaluation;
  resolve: (evaluation: Evaluation) => void;
  reject: (error: Error) => void;
}

let gathering: Request[] | undefined;

/** Evaluates one stack file; calls made in the same turn of the event loop share a child process. */
export function evaluateStack(options: StackEvaluation): Promise<Evaluation> {
  return new Promise((resolve, reject) => {
    if (gathering === undefined) {
      const batch: Request[] = [];
      gathering = batch;
      setImmediate(() => {
        gathering = undefined;
        runWorker(batch);
      });
    }
    gathering.push({ options, resolve, reject });
  });
}

function failure(stack: string, stderr: string, code: number | null): Error {
  return new Error(
    stderr.trim() === ""
      ? `offline evaluation of stack ${stack} failed (exit ${code})`
      : programErrorMessage(stderr),
  );
}

/**
 * The worker stops at the first evaluation that fails (a failed program can leave rejections
 * behind that would be blamed on the next one): the rest go to a new worker.
 */
function runWorker(requests: Request[]): void {
  const worker = join(__dirname, "evaluate-worker.ts");
  const runner = join(__dirname, "..", "..", "bin", "run-ts.js");
  const child = spawn(process.execPath, [runner, worker], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let answered = 0;
  // The worker exits after an evaluation it answered with an error: what it prints as it exits
  // (Pulumi's "the program exited before ... registrations could complete") is that failed
  // program's leftovers, not the next evaluation's reason, which a new worker gives.
  let stoppedAfterError = false;
  const answer = (line: string) => {
    const request = requests[answered];
    answered += 1;
    // What the worker printed while running this one is this one's business only.
    stderr = "";
    const result = JSON.parse(line) as WorkerAnswer;
    if ("evaluation" in result) request.resolve(result.evaluation);
    else {
      stoppedAfterError = true;
      request.reject(new Error(programErrorMessage(result.error)));
    }
  };
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    let end = stdout.indexOf("\n");
    while (end >= 0) {
      answer(stdout.slice(0, end));
      stdout = stdout.slice(end + 1);
      end = stdout.indexOf("\n");
    }
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  // No child at all (spawn failed): nothing will answer.
  child.on("error", (error) => {
    for (const request of requests.slice(answered)) request.reject(error);
    answered = requests.length;
  });
  child.on("close", (code) => {
    if (answered === requests.length) return;
    if (stoppedAfterError) {
      runWorker(requests.slice(answered));
      return;
    }
    // The worker died on the evaluation it was running; the ones after it get a new worker.
    requests[answered].reject(failure(requests[answered].options.stack, stderr, code));
    answered += 1;
    if (answered < requests.length) runWorker(requests.slice(answered));
  });
  child.stdin.end(JSON.stringify(requests.map((request) => request.options)));
}

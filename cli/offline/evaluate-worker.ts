/**
 * Child process of `evaluateStack`: reads a JSON array of EvaluateOptions on stdin and
 * evaluates them one after the other, writing one JSON line for each (`{"evaluation": ...}` or
 * `{"error": message}`) on stdout. It stops at the first that fails: the program's error is its
 * last line, or, for a failure outside any evaluation's reach, on stderr with exit code 1.
 */

import { evaluateInProcess } from "./evaluate";
import type { WorkerAnswer } from "./evaluate-stack";

/**
 * A program that throws inside an `apply` fails after `run` has returned, as an unhandled
 * rejection; Node would print a crash report of hundreds of lines. The operator gets the message.
 */
function failWith(error: unknown): void {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.on("unhandledRejection", failWith);
process.on("uncaughtException", failWith);

function answer(result: WorkerAnswer): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** One turn of the event loop: a rejection the evaluation left unhandled is reported by then. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function run(): Promise<void> {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  for (const options of JSON.parse(input)) {
    let evaluation: Awaited<ReturnType<typeof evaluateInProcess>>;
    try {
      evaluation = await evaluateInProcess(options);
    } catch (error) {
      // At once: the same failure often reaches an output too, and would be printed again as an
      // unhandled rejection a moment later.
      answer({ error: `${error instanceof Error ? error.message : String(error)}\n` });
      process.exit(0);
    }
    await settle();
    answer({ evaluation });
  }
}

void run();

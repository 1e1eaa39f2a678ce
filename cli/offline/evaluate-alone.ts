/**
 * The one evaluation of a process that does nothing else (`plan`): run here, not in a worker,
 * which would load Node and the SDK a second time. The runtime is fresh because nothing ran
 * in it before. Failures read as they do from a worker (evaluate-stack.ts): the program's
 * message, never a crash report, including a failure the program leaves unhandled.
 */
import { evaluateInProcess } from "./evaluate";
import type { StackEvaluation } from "./evaluate-stack";
import type { Evaluation } from "./evaluation";
import { programErrorMessage } from "./program-error";

function messageOf(error: unknown): string {
  return programErrorMessage(`${error instanceof Error ? error.message : String(error)}\n`);
}

/** One turn of the event loop: a rejection the evaluation left unhandled is reported by then. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function evaluateAlone(options: StackEvaluation): Promise<Evaluation> {
  let failed = false;
  const fail = (error: unknown) => {
    // The same failure often reaches an output too, and comes back unhandled a moment after
    // the evaluation failed: it was reported once already.
    if (failed) return;
    process.stderr.write(`jetstream: ${messageOf(error)}\n`);
    process.exit(1);
  };
  process.on("unhandledRejection", fail);
  process.on("uncaughtException", fail);
  let evaluation: Evaluation;
  try {
    evaluation = await evaluateInProcess(options);
  } catch (error) {
    failed = true;
    throw new Error(messageOf(error));
  }
  await settle();
  // The shape a worker's answer has (no undefined fields), so plan prints the same either way.
  return JSON.parse(JSON.stringify(evaluation)) as Evaluation;
}

/**
 * Child process of `evaluateStack`: reads EvaluateOptions as JSON on stdin, writes the
 * Evaluation as JSON on stdout, or the program's error on stderr with exit code 1.
 */
import { evaluateInProcess } from "./evaluate";

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

async function run(): Promise<void> {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  try {
    const evaluation = await evaluateInProcess(JSON.parse(input));
    process.stdout.write(JSON.stringify(evaluation));
  } catch (error) {
    // At once: the same failure often reaches an output too, and would be printed again as an
    // unhandled rejection a moment later.
    failWith(error);
  }
}

void run();

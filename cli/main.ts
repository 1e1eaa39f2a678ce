/**
 * `jetstream`: the operator's verbs. Each command lives in `cli/commands/<verb>.ts` and is
 * registered here; the CLI never builds resources, it edits stack files and evaluates the
 * program offline (or hands over to the Pulumi CLI).
 */
import { Command, CommanderError } from "commander";
import { registerPlan } from "./commands/plan";

export class UsageError extends Error {}

export function buildProgram(): Command {
  const program = new Command("jetstream")
    .description(
      "Operate the LAPPS Grid's Jetstream2 stacks: every verb edits Pulumi.<stack>.yaml,\n" +
        "`plan`/`diff` evaluate it offline, `pulumi preview/up --stack S` apply it.",
    )
    .showHelpAfterError()
    .exitOverride();
  registerPlan(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    console.error(`jetstream: ${(error as Error).message}`);
    return 1;
  }
}

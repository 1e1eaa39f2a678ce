/** `jetstream diff [--base REF] [--format text|markdown|json]`: a stack-file change, resource by resource. */
import { type Command, Option } from "commander";
import { DIFF_FORMATS, type DiffFormat } from "../resource-diff/formats";
import type { EditDeps } from "../stack-file/edit-flow";
import { addStackOptions, type StackOptions } from "../stack-file/options";

interface DiffOptions extends StackOptions {
  base?: string;
  format: DiffFormat;
}

export function registerDiff(program: Command, deps: EditDeps = {}): void {
  addStackOptions(
    program
      .command("diff")
      .summary("what pulumi up would change since a git ref, offline (text, markdown, json)")
      .description(
        "Evaluate the program offline for the stack file at --base and as it is now, and list the " +
          "resources `pulumi up` would create, update (inputs old -> new), replace (an input the " +
          "provider cannot change in place) or delete; protected ones are flagged. When the program " +
          "(index.ts, components/, config/) changed since --base, the base side runs the program as it " +
          "was there, so a code change shows too. Changes Jetstream2 would refuse (a create-first " +
          "replacement that collides with what it replaces, a power-state transition the provider " +
          "cannot make) are listed as errors and exit 1. No credentials needed.",
      )
      .option(
        "--base <ref>",
        // No default value: a message blames --base only when the operator gave it.
        "git ref of the stack file to compare with (a file absent there: all new); default HEAD",
      )
      .addOption(
        new Option("--format <format>", "text, markdown (a pull-request comment) or json")
          .choices(DIFF_FORMATS)
          .default("text"),
      ),
  ).action(async (options: DiffOptions) => {
    const { evaluateStack } =
      require("../offline/evaluate-stack") as typeof import("../offline/evaluate-stack");
    const { formatDiff, refusalErrors } =
      require("../resource-diff/format") as typeof import("../resource-diff/format");
    const { projectFolder, selectStack } =
      require("../stack-file/select") as typeof import("../stack-file/select");
    const { diffAgainstRef } = require("./at-ref") as typeof import("./at-ref");
    const { projectDir, stack } = selectStack(options);
    const diff = await diffAgainstRef(
      { projectDir, stack, base: options.base, folder: projectFolder(options, projectDir) },
      deps.evaluate ?? evaluateStack,
    );
    (deps.write ?? ((text: string) => process.stdout.write(text)))(formatDiff(diff, options.format));
    // Printed first, so a pull-request comment still shows them; the exit code fails the check.
    const errors = refusalErrors(diff);
    if (errors > 0) {
      throw new Error(
        `pulumi up would fail on stack ${stack}: ${errors} change(s) the cloud refuses (listed above)`,
      );
    }
  });
}

import type { Command } from "commander";
import { addStackOptions, type StackOptions } from "../stack-file/options";

export function registerPlan(program: Command): void {
  addStackOptions(
    program
      .command("plan")
      .summary("every resource, output and the SU estimate of a stack, offline")
      .description(
        "Evaluate the program offline for a stack file (no credentials, no Pulumi CLI) and print every resource " +
          "it declares, the outputs and the service-unit estimate.",
      ),
  )
    .option("--json", "print the evaluation as JSON (mock-made values listed in mockValues)")
    .action(async (options: StackOptions & { json?: boolean }) => {
      const { evaluateAlone } =
        require("../offline/evaluate-alone") as typeof import("../offline/evaluate-alone");
      const { selectStack } = require("../stack-file/select") as typeof import("../stack-file/select");
      const { formatPlanJson, formatPlanText } = require("./format") as typeof import("./format");
      const { projectDir, stack } = selectStack(options);
      const evaluation = await evaluateAlone({ projectDir, stack });
      const { offlineUntilWarning } = require("./warnings") as typeof import("./warnings");
      const warning = offlineUntilWarning(projectDir, stack, new Date());
      // The program's own warnings (pulumi preview shows them too) and the page's date: stderr.
      for (const line of [...(evaluation.warnings ?? []), warning]) {
        if (line !== undefined) process.stderr.write(`warning: ${line}\n`);
      }
      process.stdout.write(options.json ? formatPlanJson(evaluation) : formatPlanText(evaluation));
    });
}

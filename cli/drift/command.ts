/**
 * `jetstream drift --stack S`: what changed in the cloud outside Pulumi (cli/drift/run.ts runs
 * the refresh; explain.ts says what each finding means). Registration only: the Automation API
 * loads when the verb runs.
 */
import { type Command, CommanderError } from "commander";
import { addStackOptions } from "../stack-file/options";
import type { DriftOptions } from "./run";

export function registerDrift(program: Command): void {
  addStackOptions(program.command("drift"))
    .summary("what changed in the cloud outside Pulumi, and what to do (needs the Pulumi CLI)")
    .description(
      "Find what changed in the cloud outside Pulumi (an instance shelved or suspended in the web UI, a floating IP " +
        "disassociated, a security group rule deleted by hand) with `pulumi refresh --preview-only`, " +
        "and say what to do. Changes nothing. Needs the Pulumi CLI and the stack's credentials.",
    )
    .option("--json", "print the findings as JSON")
    .option(
      "--fail-on-drift",
      "exit 3 when anything drifted (1 when the check itself failed), for scheduled pipelines",
    )
    .option(
      "--event-log <file>",
      "explain a recorded `pulumi refresh --preview-only --event-log FILE` instead",
    )
    .action(async (options: DriftOptions) => {
      const { DRIFT_EXIT_CODE, runDrift } = require("./run") as typeof import("./run");
      const { report, drifted } = await runDrift(options);
      console.log(report);
      if (options.failOnDrift && drifted > 0) {
        // Exit 3, not 1: a scheduled pipeline tells "the cloud drifted" from "the check failed".
        const message = `drift found in ${drifted} resource${drifted === 1 ? "" : "s"} of the stack`;
        console.error(`jetstream: ${message}`);
        throw new CommanderError(DRIFT_EXIT_CODE, "jetstream.drift", message);
      }
    });
}

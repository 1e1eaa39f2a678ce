/**
 * `jetstream preview` and `jetstream up`: the real engine, through the Automation API, with
 * pulumi's own output streamed as it comes. `up` applies only with --yes: the Automation API
 * never asks "Do you want to perform this update?" the way `pulumi up` does.
 */

import type { Stack } from "@pulumi/pulumi/automation";
import type { Command } from "commander";
import { addStackOptions, type StackOptions } from "../stack-file/options";

interface EngineOptions extends StackOptions {
  diff?: boolean;
  yes?: boolean;
}

const stream = (text: string) => {
  process.stdout.write(text);
};

/** The stack file's stack, then the engine's; the Automation API loads only here. */
async function engineStack(
  options: StackOptions,
  verb: string,
): Promise<{ stack: string; pulumiStack: Stack }> {
  const { selectStack } = require("../stack-file/select") as typeof import("../stack-file/select");
  const engine = require("../engine/pulumi-cli") as typeof import("../engine/pulumi-cli");
  const { projectDir, stack } = selectStack(options);
  return { stack, pulumiStack: await engine.selectEngineStack(projectDir, stack, verb) };
}

export function registerPreview(program: Command): void {
  addStackOptions(
    program
      .command("preview")
      .summary("the real pulumi preview for the stack (needs the Pulumi CLI)")
      .description(
        "Run the real `pulumi preview` for the stack (needs the Pulumi CLI and credentials: source " +
          "the cloud's openrc). Without the CLI, `jetstream plan` and `jetstream diff` work offline.",
      )
      .option("--diff", "show the full input diff of each resource"),
  ).action(async (options: EngineOptions) => {
    const { pulumiStack } = await engineStack(options, "preview");
    await pulumiStack.preview({ onOutput: stream, diff: options.diff });
  });
}

export function registerUp(program: Command): void {
  addStackOptions(
    program
      .command("up")
      .summary("the real pulumi up for the stack; applies only with --yes")
      .description(
        "Run the real `pulumi up` for the stack (needs the Pulumi CLI and credentials). Without " +
          "--yes it only previews, as `pulumi up` would ask before changing the cloud.",
      )
      .option("--yes", "apply the changes without asking")
      .option("--diff", "show the full input diff of each resource"),
  ).action(async (options: EngineOptions) => {
    const { stack, pulumiStack } = await engineStack(options, "up");
    if (!options.yes) {
      await pulumiStack.preview({ onOutput: stream, diff: options.diff });
      stream(`\nNothing applied. Run \`jetstream up --stack ${stack} --yes\` to apply these changes.\n`);
      return;
    }
    await pulumiStack.up({ onOutput: stream, diff: options.diff });
  });
}

/**
 * `jetstream preview` and `jetstream up`: the real engine, through the Automation API, with
 * pulumi's own output streamed as it comes. `up` applies only with --yes: the Automation API
 * never asks "Do you want to perform this update?" the way `pulumi up` does.
 */
import type { Command } from "commander";
import { selectStack as selectPulumiStack } from "../engine/pulumi-cli";
import { addStackOptions, type StackOptions } from "../stack-file/edit-flow";
import { selectStack } from "../stack-file/select";

interface EngineOptions extends StackOptions {
  diff?: boolean;
  yes?: boolean;
}

const stream = (text: string) => {
  process.stdout.write(text);
};

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
    const { projectDir, stack } = selectStack(options);
    const pulumiStack = await selectPulumiStack(projectDir, stack, "preview");
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
    const { projectDir, stack } = selectStack(options);
    const pulumiStack = await selectPulumiStack(projectDir, stack, "up");
    if (!options.yes) {
      await pulumiStack.preview({ onOutput: stream, diff: options.diff });
      stream(`\nNothing applied. Run \`jetstream up --stack ${stack} --yes\` to apply these changes.\n`);
      return;
    }
    await pulumiStack.up({ onOutput: stream, diff: options.diff });
  });
}

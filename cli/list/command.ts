/** `jetstream list [--json] [--live]`: the instances of a stack and what they cost. */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { addStackOptions, type StackOptions } from "../stack-file/options";
import type { InstanceList } from "./list";

interface ListOptions extends StackOptions {
  json?: boolean;
  live?: boolean;
}

export function registerList(program: Command): void {
  addStackOptions(
    program
      .command("list")
      .summary("instances with size, image, state, public address and SU per hour")
      .description(
        "List the stack's instances: size, image, state, public address and SU per hour, from the " +
          "stack file (what `pulumi up` makes); --live reads the stack's real outputs (needs the Pulumi CLI).",
      )
      .option("--json", "print JSON")
      .option("--live", "from the stack's outputs after the last `pulumi up` (Automation API)"),
  ).action(async (options: ListOptions) => {
    const { stackFilePath } = require("../../config") as typeof import("../../config");
    const { selectStack } = require("../stack-file/select") as typeof import("../stack-file/select");
    const { stackText } = require("../stack-file/text") as typeof import("../stack-file/text");
    const { formatInstanceList, listFromOutputs, listFromStackFile } =
      require("./list") as typeof import("./list");
    const { projectDir, stack } = selectStack(options);
    const file = stackText(stack, readFileSync(stackFilePath(projectDir, stack), "utf8"));
    let list: InstanceList;
    if (options.live) {
      const engine = require("../engine/pulumi-cli") as typeof import("../engine/pulumi-cli");
      const pulumiStack = await engine.selectEngineStack(projectDir, stack, "list --live");
      const outputs = Object.fromEntries(
        Object.entries(await pulumiStack.outputs()).map(([key, output]) => [key, output.value as unknown]),
      );
      list = listFromOutputs(stack, outputs, file);
    } else {
      list = listFromStackFile(file);
    }
    process.stdout.write(options.json ? `${JSON.stringify(list, null, 2)}\n` : formatInstanceList(list));
  });
}

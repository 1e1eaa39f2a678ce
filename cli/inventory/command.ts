/** `jetstream inventory import [--stack S] --from DIR` (cli/inventory/import.ts writes the file). */
import type { Command } from "commander";
import { addStackOptions, type StackOptions } from "../stack-file/options";

interface InventoryImportOptions extends StackOptions {
  from: string;
  cloud?: string;
}

export function registerInventory(program: Command): void {
  const inventory = program
    .command("inventory")
    .summary("record what exists in a stack's project, for offline plans")
    .description("Record what exists in a stack's project (inventory/<stack>.yaml) for offline plans");
  const command = inventory
    .command("import")
    .description(
      "Write inventory/<stack>.yaml from a folder of `openstack ... -f json` outputs " +
        '(flavors.json, external-networks.json, keypairs.json, quota.json, images/, networks/, subnets/, routers/, security-groups/, floating-ips/; README, "The inventory").',
    )
    .requiredOption("--from <folder>", "folder holding the openstack CLI's JSON outputs")
    .option(
      "--cloud <name>",
      "the cloud's name as operators say it (IU, TACC); default the stack name upper-cased",
    );
  addStackOptions(command).action((options: InventoryImportOptions) => {
    if (options.from === "") {
      // `--from "$LISTING"` with LISTING unset: resolved, "" would be the current folder.
      throw new Error(
        "--from: an empty value (an unset shell variable?); allowed: the folder holding the openstack CLI's JSON outputs",
      );
    }
    const { selectStack } = require("../stack-file/select") as typeof import("../stack-file/select");
    const { importInventory } = require("./import") as typeof import("./import");
    // Only a stack with a stack file: an inventory of a stack that does not exist checks nothing.
    const { projectDir, stack } = selectStack(options);
    const cloud = options.cloud ?? stack.toUpperCase();
    for (const line of importInventory(options.from, stack, cloud, projectDir)) console.log(line);
  });
}

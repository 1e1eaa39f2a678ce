/** `jetstream inventory import --stack S --from DIR` (cli/inventory/import.ts writes the file). */
import type { Command } from "commander";

export function registerInventory(program: Command): void {
  const inventory = program
    .command("inventory")
    .summary("record what exists in a stack's project, for offline plans")
    .description("Record what exists in a stack's project (inventory/<stack>.yaml) for offline plans");
  inventory
    .command("import")
    .description(
      "Write inventory/<stack>.yaml from a folder of `openstack ... -f json` outputs " +
        '(flavors.json, external-networks.json, keypairs.json, quota.json, images/, networks/, subnets/, routers/, security-groups/, floating-ips/; README, "The inventory").',
    )
    .requiredOption("--stack <name>", "stack whose inventory is written (iu, tacc)")
    .requiredOption("--from <folder>", "folder holding the openstack CLI's JSON outputs")
    .option(
      "--cloud <name>",
      "the cloud's name as operators say it (IU, TACC); default the stack name upper-cased",
    )
    .option("--dir <path>", "project folder (where Pulumi.yaml is)", ".")
    .action((options: { stack: string; from: string; cloud?: string; dir: string }) => {
      const { importInventory } = require("./import") as typeof import("./import");
      const cloud = options.cloud ?? options.stack.toUpperCase();
      for (const line of importInventory(options.from, options.stack, cloud, options.dir)) console.log(line);
    });
}

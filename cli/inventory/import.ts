/**
 * `jetstream inventory import --stack S --from DIR`: records what exists in the stack's project
 * in `inventory/S.yaml` from the openstack CLI's JSON output (cli/offline/inventory-import.ts
 * lists the files), for `plan` and `diff` to check the stack against.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inventoryPath } from "../offline/inventory";
import { generatedHeader, inventoryFromOpenstackJson, renderInventory } from "../offline/inventory-import";
import { keepLineEndings } from "../stack-file/line-endings";
import { writeFileAtomically } from "../stack-file/write";

/**
 * The comment and blank lines before the file's first key, as written (LF line endings), with
 * the byte-order mark an editor on Windows may have saved before them.
 */
function headerOf(text: string): string {
  return (/^\ufeff?(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*/.exec(text)?.[0] ?? "").replace(/\r\n/g, "\n");
}

export function importInventory(from: string, stack: string, cloud: string, projectDir: string): string[] {
  const inventory = inventoryFromOpenstackJson(from, cloud);
  mkdirSync(join(projectDir, "inventory"), { recursive: true });
  const path = inventoryPath(projectDir, stack);
  let kept: string | undefined;
  if (existsSync(path)) {
    // A refresh replaces the records in one step; the header the team wrote (who owns the
    // allocation, when to refresh) and the file's line endings are theirs, kept as they were.
    const before = readFileSync(path, "utf8");
    const header = headerOf(before);
    if (header !== generatedHeader(stack)) kept = header;
    writeFileAtomically(
      path,
      keepLineEndings(before, renderInventory(inventory, stack, header)),
      `inventory/${stack}.yaml`,
    );
  } else {
    writeFileSync(path, renderInventory(inventory, stack), { flag: "wx" });
  }
  const keptNote =
    kept === undefined || kept === ""
      ? []
      : [
          `Kept the ${kept.split("\n").length - 1} lines before the first key (comments) as they were: check they still say what the file holds.`,
        ];
  return [
    `Wrote inventory/${stack}.yaml: ${inventory.flavors.length} flavors, ${inventory.images.length} images, ` +
      `${inventory.networks.length} networks, ${inventory.subnets.length} subnets, ${inventory.routers.length} routers, ` +
      `${inventory.securityGroups.length} security groups, ${inventory.floatingIps.length} floating IPs, ${inventory.servers.length} servers, ` +
      `keypairs: ${inventory.keypairs.map((k) => k.name).join(", ") || "none"}.`,
    `Review it (git diff inventory/${stack}.yaml), then run \`jetstream plan --stack ${stack}\`.`,
    ...keptNote,
  ];
}

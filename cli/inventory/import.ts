/**
 * `jetstream inventory import --stack S --from DIR`: records what exists in the stack's project
 * in `inventory/S.yaml` from the openstack CLI's JSON output (cli/offline/inventory-import.ts
 * lists the files), for `plan` and `diff` to check the stack against.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inventoryPath } from "../offline/inventory";
import { inventoryFromOpenstackJson, renderInventory } from "../offline/inventory-import";
import { writeFileAtomically } from "../stack-file/write";

export function importInventory(from: string, stack: string, cloud: string, projectDir: string): string[] {
  const inventory = inventoryFromOpenstackJson(from, cloud);
  mkdirSync(join(projectDir, "inventory"), { recursive: true });
  const path = inventoryPath(projectDir, stack);
  // A refresh replaces the file in one step; a first import has nothing to keep.
  if (existsSync(path)) writeFileAtomically(path, renderInventory(inventory, stack));
  else writeFileSync(path, renderInventory(inventory, stack), { flag: "wx" });
  return [
    `Wrote inventory/${stack}.yaml: ${inventory.flavors.length} flavors, ${inventory.images.length} images, ` +
      `${inventory.networks.length} networks, ${inventory.subnets.length} subnets, ${inventory.routers.length} routers, ` +
      `${inventory.securityGroups.length} security groups, ${inventory.floatingIps.length} floating IPs, ${inventory.servers.length} servers, ` +
      `keypairs: ${inventory.keypairs.map((k) => k.name).join(", ") || "none"}.`,
    `Review it (git diff inventory/${stack}.yaml), then run \`jetstream plan --stack ${stack}\`.`,
  ];
}

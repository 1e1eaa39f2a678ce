/**
 * Where a valid stack file disagrees with what its inventory records of the project. Neither is
 * a lookup the program makes, so the offline cloud cannot refuse them as the real one would:
 * - a size's `vcpus` is the program's own number (the SU estimates count it), never asked of
 *   nova, so one that is not its flavor's is believed;
 * - an attached address (`ip: <address>`) is associated by neutron, which refuses an address
 *   the project does not hold, only on `pulumi up`.
 */
import type { StackConfig } from "../../config";
import { adoptionIdProblems } from "./adoption-checks";
import type { Inventory } from "./inventory";

/** How many addresses a refusal lists before it only counts them. */
const LISTED = 5;

function sizeProblems(config: StackConfig, inventory: Inventory, file: string): string[] {
  const problems: string[] = [];
  for (const [size, { flavor, vcpus }] of Object.entries(config.sizes)) {
    const recorded = inventory.flavors.find((f) => f.name === flavor);
    // An unknown flavor is the cloud's refusal, made when a server asks for it.
    if (recorded === undefined || recorded.vcpus === vcpus) continue;
    problems.push(
      `sizes.${size}.vcpus: ${vcpus} is not the vCPUs of flavor ${flavor}, which has ${recorded.vcpus} on ${inventory.cloud} (${file}); allowed: ${recorded.vcpus} (the SU estimates count the size's vcpus)`,
    );
  }
  return problems;
}

function floatingIpProblems(config: StackConfig, inventory: Inventory, file: string): string[] {
  const held = inventory.floatingIps;
  // An inventory that records no floating IP says nothing about which the project holds.
  if (held.length === 0) return [];
  const addresses = held.map((ip) => ip.address);
  const listed =
    addresses.length <= LISTED
      ? addresses.join(", ")
      : `${addresses.length} addresses, first ${addresses.slice(0, LISTED).join(", ")}`;
  const problems: string[] = [];
  for (const instance of config.instances) {
    if (instance.ip.kind !== "adopt") continue;
    const { address, importId } = instance.ip;
    if (!addresses.includes(address)) {
      problems.push(
        `instances.${instance.key}.ip: ${address} is not among the floating IPs ${file} records for this project (${listed}); neutron refuses to attach an address the project does not hold; allowed: one of those, or assign; fix: allocate it (\`openstack floating ip create --floating-ip-address ${address} ${config.network.externalNetwork}\`) or, if the project holds it, record it and import the inventory again (README, "The inventory")`,
      );
      continue;
    }
    const byId = importId === undefined ? undefined : held.find((ip) => ip.id === importId);
    if (byId !== undefined && byId.address !== address) {
      const own = held.find((ip) => ip.address === address);
      problems.push(
        `instances.${instance.key}.floatingIpImportId: ${importId} is the floating IP ${byId.address} in ${file}, not ip ${address}; allowed: the ID of ${address} (${own?.id})`,
      );
    }
  }
  return problems;
}

/** Every disagreement, one line each naming the stack file's key; empty when there is none. */
export function inventoryProblems(config: StackConfig, inventory: Inventory, stack: string): string[] {
  const file = `inventory/${stack}.yaml`;
  return [
    ...sizeProblems(config, inventory, file),
    ...floatingIpProblems(config, inventory, file),
    ...adoptionIdProblems(config, inventory, file),
  ];
}

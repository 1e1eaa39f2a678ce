/**
 * Adoption IDs the inventory does not record. An import of an ID the project does not hold
 * fails only on `pulumi up`, after the rest of the plan looked fine; the offline cloud cannot
 * check what it does not know, so the stack file's IDs are judged against the inventory here.
 */
import type { StackConfig } from "../../config";
import { portRange } from "../../config/net";
import type { Inventory } from "./inventory";

const FIX = 'fix: copy the ID from the inventory, or import the inventory again (README, "The inventory")';

/** Something the inventory records under an ID, in the words a refusal lists it with. */
interface Recorded {
  id: string;
  label: string;
}

function unknownId(key: string, id: string | undefined, kind: string, recorded: Recorded[], file: string) {
  if (id === undefined || recorded.some((r) => r.id === id)) return [];
  const records =
    recorded.length === 0
      ? "it records none"
      : `it records ${recorded.map((r) => `${r.label} as ${r.id}`).join(", ")}`;
  return [
    `${key}: ${id} is not a ${kind} ${file} records; ${records}; allowed: ${recorded.length === 1 ? "that ID" : "one of those IDs"}, or leave the key out to create one; ${FIX}`,
  ];
}

const named = (items: { name: string; id: string }[]): Recorded[] =>
  items.map((item) => ({ id: item.id, label: item.name === "" ? "(no name)" : item.name }));

type RecordedRule = Inventory["securityGroups"][number]["rules"][number];

function describeRule(rule: RecordedRule): string {
  const ports = rule.portMin === undefined ? "" : ` ${portRange(rule.portMin, rule.portMax)}`;
  return `${rule.id} (${rule.protocol}${ports} from ${rule.remoteIpPrefix})`;
}

function ruleProblems(config: StackConfig, inventory: Inventory, file: string): string[] {
  const { securityGroup } = config;
  const group = inventory.securityGroups.find((g) => g.id === securityGroup.importId);
  // A rule of a group not adopted, or adopted under an unknown ID, is refused with the group.
  if (group === undefined) return [];
  const listed = group.rules.map(describeRule).join(", ");
  const problems: string[] = [];
  securityGroup.rules.forEach((rule, index) => {
    if (rule.importId === undefined || group.rules.some((r) => r.id === rule.importId)) return;
    problems.push(
      `securityGroup.rules.${index}.importId: ${rule.importId} is not a rule of security group ${group.name} in ${file}; it records ${group.rules.length} rule${group.rules.length === 1 ? "" : "s"}${listed === "" ? "" : `: ${listed}`}; allowed: one of those, or leave importId out to create the rule; ${FIX}`,
    );
  });
  return problems;
}

/** Every adoption ID the inventory does not record, one line each naming the stack file's key. */
export function adoptionIdProblems(config: StackConfig, inventory: Inventory, file: string): string[] {
  const adopted = config.network.import;
  const interfaces = inventory.routers.flatMap((router) =>
    router.interfaces.map((i) => ({ id: i.portId, label: `${router.name}'s interface to ${i.cidr}` })),
  );
  return [
    ...unknownId("network.import.network", adopted.network, "network", named(inventory.networks), file),
    ...unknownId("network.import.subnet", adopted.subnet, "subnet", named(inventory.subnets), file),
    ...unknownId("network.import.router", adopted.router, "router", named(inventory.routers), file),
    ...unknownId(
      "network.import.routerInterface",
      adopted.routerInterface,
      "router interface",
      interfaces,
      file,
    ),
    ...unknownId(
      "securityGroup.importId",
      config.securityGroup.importId,
      "security group",
      named(inventory.securityGroups),
      file,
    ),
    ...ruleProblems(config, inventory, file),
  ];
}

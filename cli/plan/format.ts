/**
 * Prints an offline Evaluation: the resource tree, the outputs, the service-unit estimate (with
 * what a shelved instance really costs when the next `up` creates it), and the resources whose
 * replacement Jetstream2 would refuse.
 */

import type { Evaluation, PlannedResource } from "../offline/evaluation";
import { replacementHazards } from "../resource-diff/cloud-refusals";
import { wholeValuesPattern } from "../resource-diff/compare";

/** Inputs an operator reads in a plan, per resource type; other types show all their inputs. */
const INPUTS_THAT_MATTER: Record<string, string[]> = {
  "openstack:networking/network:Network": ["name"],
  "openstack:networking/subnet:Subnet": ["name", "cidr", "dnsNameservers", "networkId"],
  "openstack:networking/router:Router": ["name", "externalNetworkId"],
  "openstack:networking/routerInterface:RouterInterface": ["routerId", "subnetId"],
  "openstack:networking/secGroup:SecGroup": ["name"],
  "openstack:networking/secGroupRule:SecGroupRule": [
    "protocol",
    "portRangeMin",
    "portRangeMax",
    "remoteIpPrefix",
  ],
  "openstack:compute/keypair:Keypair": ["name"],
  "openstack:networking/port:Port": ["name", "networkId", "fixedIps", "securityGroupIds"],
  "openstack:compute/instance:Instance": [
    "name",
    "flavorName",
    "imageName",
    "powerState",
    "keyPair",
    "networks",
    "userData",
  ],
  "openstack:networking/floatingIp:FloatingIp": ["pool", "address"],
  "openstack:networking/floatingIpAssociate:FloatingIpAssociate": ["floatingIp", "portId"],
};

export class ValueMarker {
  private readonly mock: RegExp | undefined;
  constructor(evaluation: Evaluation) {
    this.mock = wholeValuesPattern(evaluation.mockValues);
  }

  /** One value for a human: long text summarised, mock-made values marked. */
  show(value: unknown): string {
    if (typeof value === "string") {
      // Whole mock values, and values built from them (an upstream "10.0.0.10:8080").
      if (this.mock !== undefined && value.search(this.mock) >= 0) return `${value} (mock)`;
      if (value.length > 60 || value.includes("\n")) return `<${Buffer.byteLength(value)} bytes>`;
      return value;
    }
    if (Array.isArray(value)) return `[${value.map((v) => this.show(v)).join(", ")}]`;
    if (value && typeof value === "object") {
      return `{${Object.entries(value)
        .map(([k, v]) => `${k}: ${this.show(v)}`)
        .join(", ")}}`;
    }
    return String(value);
  }
}

function describeOptions(resource: PlannedResource): string {
  const flags: string[] = [];
  if (resource.protect) flags.push("protected");
  if (resource.importId) flags.push(`adopts ${resource.importId}`);
  if (resource.retainOnDelete) flags.push("kept on delete");
  if (resource.ignoreChanges.length > 0) flags.push(`ignores drift of ${resource.ignoreChanges.join(", ")}`);
  return flags.length > 0 ? `  [${flags.join("; ")}]` : "";
}

function resourceLines(evaluation: Evaluation, marker: ValueMarker): string[] {
  const children = new Map<string, PlannedResource[]>();
  for (const resource of evaluation.resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const roots = evaluation.resources.filter((r) => !evaluation.resources.some((p) => p.urn === r.parent));
  const lines: string[] = [];
  const visit = (resource: PlannedResource, depth: number) => {
    const indent = "  ".repeat(depth + 1);
    lines.push(`${indent}${resource.type}  ${resource.name}${describeOptions(resource)}`);
    const keys = INPUTS_THAT_MATTER[resource.type] ?? Object.keys(resource.inputs);
    for (const key of keys) {
      if (resource.inputs[key] !== undefined)
        lines.push(`${indent}    ${key}: ${marker.show(resource.inputs[key])}`);
    }
    for (const child of children.get(resource.urn) ?? []) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return lines;
}

interface InstanceOutput {
  name: string;
  size: string;
  flavor: string;
  state: string;
  privateIp?: string;
  publicIp?: string;
  suPerHour: number;
  /** What it costs while ACTIVE: a shelved instance's cost from its creation to a second `up`. */
  suPerHourWhenActive?: number;
}

/**
 * The provider (v1.54.1) applies only `shutoff` when it creates a server: a server created
 * shelved boots ACTIVE, and only the next `pulumi up` shelves it.
 */
function shelvedAtCreateLine(instance: InstanceOutput): string[] {
  if (instance.state !== "shelved" || instance.suPerHourWhenActive === undefined) return [];
  return [
    `      if this \`pulumi up\` creates it: it boots ACTIVE (the provider applies only shutoff at create) and costs ${instance.suPerHourWhenActive} SU/hour until a second \`pulumi up\` shelves it`,
  ];
}

function hazardLines(evaluation: Evaluation): string[] {
  const hazards = replacementHazards(evaluation);
  if (hazards.length === 0) return [];
  return [
    "",
    "Replacements Jetstream2 would refuse (the new one is created while the old one exists; fix: deleteBeforeReplace: true):",
    ...hazards.map((hazard) => `  ${hazard.resource} (${hazard.type}): ${hazard.when}; ${hazard.error}`),
  ];
}

export function formatPlanText(evaluation: Evaluation): string {
  const marker = new ValueMarker(evaluation);
  const outputs = evaluation.outputs;
  const custom = evaluation.resources.filter((r) => r.custom).length;
  const lines = [
    `Offline plan of stack ${evaluation.stack} (${String(outputs.cloud ?? evaluation.stack)}): ${evaluation.resources.length} resources, ${custom} of them in the cloud.`,
    "Evaluated under Pulumi's mock runtime; values marked (mock) are made up here, the cloud assigns the real ones.",
    "",
    "Resources:",
    ...resourceLines(evaluation, marker),
    "",
    "Outputs:",
  ];
  for (const [key, value] of Object.entries(outputs)) {
    if (key === "instances") continue;
    lines.push(`  ${key}: ${marker.show(value)}`);
  }
  const instances = Object.values((outputs.instances ?? {}) as Record<string, InstanceOutput>);
  lines.push("  instances:");
  for (const i of instances) {
    lines.push(
      `    ${i.name}: size ${i.size} (${i.flavor}), ${i.state}, private ${marker.show(i.privateIp ?? "none")}, public ${marker.show(i.publicIp ?? "none")}, ${i.suPerHour} SU/hour`,
      ...shelvedAtCreateLine(i),
    );
  }
  lines.push(
    "",
    `Service units: ${String(outputs.suPerHour)} SU per hour, ${String(outputs.suPerDay)} SU per day.`,
  );
  const untilSecondUp = instances
    .filter((i) => i.state === "shelved")
    .reduce((sum, i) => sum + (i.suPerHourWhenActive ?? 0), 0);
  if (untilSecondUp > 0) {
    lines.push(
      `Service units while a second \`pulumi up\` is due (shelved instances this one creates run ACTIVE): up to ${untilSecondUp} SU per hour more.`,
    );
  }
  lines.push(...hazardLines(evaluation));
  for (const note of evaluation.notes ?? []) lines.push(`Note: ${note}`);
  return `${lines.join("\n")}\n`;
}

export function formatPlanJson(evaluation: Evaluation): string {
  return `${JSON.stringify(evaluation, null, 2)}\n`;
}

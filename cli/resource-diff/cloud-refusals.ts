/**
 * What Jetstream2 would refuse in a resource diff, found before anyone runs `pulumi up`. The
 * mock runtime accepts everything; a real cloud does not:
 *
 * - Create-before-delete replacements that collide with the object they replace. Pulumi
 *   creates the replacement first unless `deleteBeforeReplace` is set, and the provider
 *   (terraform-provider-openstack v1.54.1) does not ask for delete-first on any of these.
 * - Power-state transitions the provider cannot make (resource_openstack_compute_instance_v2.go
 *   at v1.54.1): create applies only `shutoff`; an update applies the power state first, then
 *   metadata, then the flavor; nova refuses stop, resize and metadata on a shelved server.
 *
 * Each refusal names the resource, the cloud's own error and the fix, on one line.
 */
import { DEFAULT_STATE, POWER_STATE } from "../../config/defaults";
import type { Evaluation, PlannedResource } from "../offline/evaluation";
import type { InputChange, ResourceChange } from "./compare";

export interface CloudRefusal {
  /** `error`: `pulumi up` fails. `warning`: it succeeds, but not as the stack file reads. */
  severity: "error" | "warning";
  resource: string;
  type: string;
  message: string;
  /**
   * The message without its fix, where the fix is two \`pulumi up\`s in order: an editing verb
   * on top of a change not applied yet names that change as the first step instead.
   */
  problem?: string;
}

const SERVER = "openstack:compute/instance:Instance";
const RULE = "openstack:networking/secGroupRule:SecGroupRule";
const ASSOCIATION = "openstack:networking/floatingIpAssociate:FloatingIpAssociate";
const KEYPAIR = "openstack:compute/keypair:Keypair";
const SHELVED = "shelved_offloaded";

/** What makes two neutron rules the same rule; the description is not part of it. */
const RULE_IDENTITY = [
  "direction",
  "ethertype",
  "protocol",
  "portRangeMin",
  "portRangeMax",
  "remoteIpPrefix",
  "remoteGroupId",
  "securityGroupId",
];

/** The replacements that collide, per type: when, and the cloud's answer. */
const COLLISIONS: Readonly<Record<string, { when: string; error: string }>> = {
  [SERVER]: { when: "any replacement", error: 'nova answers 409 "Port ... is still in use"' },
  [RULE]: {
    when: "a change of its description only",
    error: 'neutron answers 409 SecurityGroupRuleExists "Security group rule already exists"',
  },
  [ASSOCIATION]: {
    when: "another floating IP on the same port",
    error: "neutron answers 409 FloatingIPPortAlreadyAssociated",
  },
  [KEYPAIR]: {
    when: "a new public key under the same name",
    error: `nova answers 409 "Key pair ... already exists"`,
  },
};

function changed(change: ResourceChange, input: string): InputChange | undefined {
  return change.inputs.find((item) => item.input === input);
}

/** The `port` of each of a server's networks, as the diff normalised them. */
function ports(networks: unknown): string[] {
  if (!Array.isArray(networks)) return [];
  return networks.flatMap((network: unknown) => {
    const port = (network as { port?: unknown } | null)?.port;
    return typeof port === "string" ? [port] : [];
  });
}

/** A port by the name of its resource: `lappsgrid-galaxy-port`, not a mock ID. */
function portName(head: Evaluation, port: string): string {
  const normalised = /^⟨id of (.+)⟩$/.exec(port)?.[1];
  return normalised ?? head.resources.find((resource) => resource.id === port)?.name ?? port;
}

/** Does the replacement, made while the old object still exists, collide with it? */
function replacementConflict(
  change: ResourceChange,
  resource: PlannedResource,
  head: Evaluation,
): string | undefined {
  const fix = `set deleteBeforeReplace: true on ${change.name} so the old one is deleted first`;
  switch (change.type) {
    case SERVER: {
      const networks = changed(change, "networks");
      const kept = networks
        ? ports(networks.new).filter((port) => ports(networks.old).includes(port))
        : ports(resource.inputs.networks);
      if (kept.length === 0) return undefined;
      const names = kept.map((port) => portName(head, port)).join(", ");
      return `the new server boots on port ${names} while the old server still holds it: ${COLLISIONS[SERVER].error}; ${fix}`;
    }
    case RULE:
      if (RULE_IDENTITY.some((input) => changed(change, input))) return undefined;
      return `the new rule equals the old one but for ${change.inputs.map((input) => input.input).join(", ")}: ${COLLISIONS[RULE].error}; ${fix}`;
    case ASSOCIATION:
      if (changed(change, "portId")) return undefined;
      return `a second floating IP is associated with the same port before the old association is removed: ${COLLISIONS[ASSOCIATION].error}; ${fix}`;
    case KEYPAIR:
      if (changed(change, "name")) return undefined;
      return `the new keypair has the old one's name: nova answers 409 "Key pair '${String(resource.inputs.name)}' already exists"; ${fix}`;
    default:
      return undefined;
  }
}

/** `lappsgrid-galaxy`: the instance a server belongs to, as the verbs take it. */
function instanceName(resource: PlannedResource): string {
  return typeof resource.inputs.name === "string" ? resource.inputs.name : resource.name;
}

/** SU per hour of the instance while ACTIVE, from the program's `instances` output. */
function activeSuPerHour(head: Evaluation, instance: string): number | undefined {
  const instances = head.outputs.instances as Record<string, { suPerHourWhenActive?: number }> | undefined;
  return instances?.[instance]?.suPerHourWhenActive;
}

/** A server created with `powerState: shelved_offloaded` boots ACTIVE; the next `up` shelves it. */
function shelvedAtCreate(head: Evaluation, resource: PlannedResource): string {
  const instance = instanceName(resource);
  const su = activeSuPerHour(head, instance);
  const cost = su === undefined ? "active SUs" : `${su} SU/hour (active, not 0)`;
  return `state shelved is not applied when a server is created (the provider applies only shutoff at create): ${instance} boots ACTIVE and costs ${cost} until a second \`pulumi up\` shelves it; run \`pulumi up\` again right after this one`;
}

/** Updates of a server whose power state nova cannot combine with the other changes: the problem, and the two steps that avoid it. */
function powerStateProblem(
  change: ResourceChange,
  old: PlannedResource,
  resource: PlannedResource,
): { problem: string; fix: string } | undefined {
  const instance = instanceName(resource);
  // No powerState: the provider's default, which is the power of an instance of default state.
  const before = old.inputs.powerState ?? POWER_STATE[DEFAULT_STATE];
  const after = resource.inputs.powerState ?? POWER_STATE[DEFAULT_STATE];
  if (before === SHELVED && after === "shutoff") {
    return {
      problem: `nova refuses to stop a shelved server (409 "Cannot 'stop' instance ... while it is in vm_state shelved_offloaded")`,
      fix: `take two steps, \`jetstream resume ${instance}\` and \`pulumi up\`, then \`jetstream stop ${instance}\` and \`pulumi up\``,
    };
  }
  const resized = ["flavorName", "flavorId", "metadata"].filter((input) => changed(change, input));
  if (after !== SHELVED || resized.length === 0) return undefined;
  const what = resized.join(", ");
  if (before === SHELVED) {
    return {
      problem: `${what} cannot change while the server is shelved (nova 409 "Cannot 'resize' / 'update metadata' instance ... while it is in vm_state shelved_offloaded", provider issue #1749)`,
      fix: `resume ${instance} in the same change (state: active, the provider unshelves before it resizes), then shelve it again with a second \`pulumi up\``,
    };
  }
  return {
    problem: `the provider shelves ${instance} before it changes ${what}, and nova refuses that on a shelved server (409 "... while it is in vm_state shelved_offloaded", provider issue #1749)`,
    fix: `take two steps, change the size first and \`pulumi up\`, then \`jetstream suspend ${instance}\` and \`pulumi up\``,
  };
}

/** Every refusal of the changes from `base` to `head`, in the order of the changes. */
export function cloudRefusals(
  changes: ResourceChange[],
  base: Evaluation | undefined,
  head: Evaluation,
): CloudRefusal[] {
  const before = new Map((base?.resources ?? []).map((resource) => [resource.urn, resource]));
  const after = new Map(head.resources.map((resource) => [resource.urn, resource]));
  const refusals: CloudRefusal[] = [];
  const refuse = (severity: CloudRefusal["severity"], change: ResourceChange, message: string) =>
    refusals.push({ severity, resource: change.name, type: change.type, message });
  for (const change of changes) {
    const resource = after.get(change.urn);
    if (resource === undefined) continue;
    if (change.kind === "replace" && resource.deleteBeforeReplace !== true) {
      const conflict = replacementConflict(change, resource, head);
      if (conflict !== undefined) refuse("error", change, conflict);
    }
    if (change.type !== SERVER) continue;
    const createsServer = change.kind === "create" || change.kind === "replace";
    if (createsServer && resource.inputs.powerState === SHELVED && change.importId === undefined) {
      refuse("warning", change, shelvedAtCreate(head, resource));
    }
    const old = before.get(change.urn);
    if (change.kind === "update" && old !== undefined) {
      const power = powerStateProblem(change, old, resource);
      if (power !== undefined) {
        const { problem, fix } = power;
        refusals.push({
          severity: "error",
          resource: change.name,
          type: change.type,
          message: `${problem}: ${fix}`,
          problem,
        });
      }
    }
  }
  return refusals;
}

/** A resource whose replacement would collide with itself, found without knowing what changes. */
export interface ReplacementHazard {
  resource: string;
  type: string;
  /** Which replacement collides. */
  when: string;
  /** What the cloud answers. */
  error: string;
}

/**
 * For `jetstream plan`, which sees one evaluation: every resource that would collide with its
 * own replacement, because it is replaced create-first (no `deleteBeforeReplace`).
 */
export function replacementHazards(evaluation: Evaluation): ReplacementHazard[] {
  return evaluation.resources.flatMap((resource) => {
    const collision = COLLISIONS[resource.type];
    if (collision === undefined || resource.deleteBeforeReplace === true) return [];
    if (resource.type === SERVER && ports(resource.inputs.networks).length === 0) return [];
    return [{ resource: resource.name, type: resource.type, ...collision }];
  });
}

/**
 * What changed in the cloud behind Pulumi's back, in the operator's words. Input: the engine
 * events of `pulumi refresh --preview-only` (live through the Automation API, or an event log);
 * output: one finding per drifted resource with what to do. Pure: events in, findings out.
 */
import type { EngineEvent, StepEventMetadata, StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { INSTANCE_PREFIX, type InstanceState, POWER_STATE } from "../config/defaults";

export type DriftKind = "power-state" | "unreadable" | "floating-ip-detached" | "deleted" | "changed";

export interface PropertyDrift {
  property: string;
  /** As the state recorded it at the last `pulumi up`, which matched the stack file then. */
  recorded: unknown;
  /** As the cloud has it now. */
  cloud: unknown;
}

export interface DriftFinding {
  urn: string;
  type: string;
  /** The name an operator knows: the server's name, or the instance a child belongs to. */
  name: string;
  kind: DriftKind;
  what: string;
  /** Commands or edits that resolve it, most likely first. */
  remedies: string[];
  properties: PropertyDrift[];
}

const INSTANCE = "openstack:compute/instance:Instance";
const FLOATING_IP = "openstack:networking/floatingIp:FloatingIp";
const FLOATING_IP_ASSOCIATION = "openstack:networking/floatingIpAssociate:FloatingIpAssociate";
const SECURITY_GROUP_RULE = "openstack:networking/secGroupRule:SecGroupRule";
const INSTANCE_COMPONENT = "lappsgrid:jetstream:Instance";

/** Resource types as an operator calls them in Horizon. */
const KIND_OF_RESOURCE: Record<string, string> = {
  Instance: "server",
  FloatingIp: "floating IP",
  FloatingIpAssociate: "floating IP association",
  SecGroup: "security group",
  SecGroupRule: "security group rule",
  Port: "port",
  Network: "network",
  Subnet: "subnet",
  Router: "router",
  RouterInterface: "router interface",
  Keypair: "keypair",
};

function resourceKind(type: string): string {
  const name = type.slice(type.lastIndexOf(":") + 1);
  return KIND_OF_RESOURCE[name] ?? type;
}

/** Outputs the cloud bumps on every touch: a change there is not drift an operator made. */
const VOLATILE = new Set(["updated", "updatedAt", "createdAt", "created", "revisionNumber", "allTags"]);

const STATE_OF_POWER: Record<string, InstanceState> = {
  // nova passes through `shelved` on its way to `shelved_offloaded`: the same choice by the operator.
  shelved: "shelved",
  ...Object.fromEntries(Object.entries(POWER_STATE).map(([state, power]) => [power, state as InstanceState])),
};

/** The refresh's verdict per resource: the outputs event when there is one, else the pre-event. */
export function refreshedResources(events: readonly EngineEvent[]): StepEventMetadata[] {
  const byUrn = new Map<string, StepEventMetadata>();
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
    if (metadata === undefined) continue;
    if (event.resOutputsEvent !== undefined || !byUrn.has(metadata.urn)) byUrn.set(metadata.urn, metadata);
  }
  return [...byUrn.values()].filter(
    (step) => step.old?.custom === true && !step.type.startsWith("pulumi:providers:") && step.op !== "same",
  );
}

/** How many cloud resources the refresh read, for "n resources checked". */
export function countCheckedResources(events: readonly EngineEvent[]): number {
  const urns = new Set<string>();
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
    if (metadata?.old?.custom && !metadata.type.startsWith("pulumi:providers:")) urns.add(metadata.urn);
  }
  return urns.size;
}

function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function operatorName(old: StepEventStateMetadata): string {
  if (old.parent?.includes(`${INSTANCE_COMPONENT}::`)) return urnName(old.parent);
  const name = old.outputs?.name;
  return typeof name === "string" && name !== "" ? name : urnName(old.urn);
}

/** `lappsgrid-galaxy` -> `galaxy`, the form the verbs take. */
function verbName(name: string): string {
  return name.startsWith(INSTANCE_PREFIX) ? name.slice(INSTANCE_PREFIX.length) : name;
}

function show(value: unknown): string {
  if (value === undefined || value === null || value === "") return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function changedProperties(step: StepEventMetadata, old: StepEventStateMetadata): PropertyDrift[] {
  const cloud = step.new?.outputs ?? {};
  const recorded = { ...old.inputs, ...old.outputs };
  // The engine's own diff when it sent one (paths like `rules[0].ports`), else compare outputs.
  const paths = Object.keys(step.detailedDiff ?? {});
  const keys =
    paths.length > 0
      ? paths.map((path) => path.split(/[.[]/)[0])
      : (step.diffs ?? Object.keys({ ...old.outputs, ...cloud }));
  return [...new Set(keys)]
    .filter((key) => !VOLATILE.has(key))
    .filter((key) => JSON.stringify(recorded[key]) !== JSON.stringify(cloud[key]))
    .sort()
    .map((property) => ({ property, recorded: recorded[property], cloud: cloud[property] }));
}

function powerStateFinding(base: DriftFinding, change: PropertyDrift, stack: string): DriftFinding {
  const name = base.name;
  const wanted = STATE_OF_POWER[show(change.recorded)] ?? "active";
  const now = STATE_OF_POWER[show(change.cloud)];
  const restore = `\`pulumi up --stack ${stack}\` to make it ${wanted} again`;
  const record: Record<InstanceState, string> = {
    shelved: `\`jetstream suspend ${verbName(name)} --stack ${stack}\` to record it (shelved costs no SUs)`,
    stopped: `\`jetstream stop ${verbName(name)} --stack ${stack}\` to record it`,
    active: `\`jetstream resume ${verbName(name)} --stack ${stack}\` to record it`,
  };
  const verbs: Record<InstanceState, string> = { shelved: "shelved", stopped: "stopped", active: "started" };
  if (now === undefined) {
    // `error` and `migrating`: states the provider reads but cannot set, and nobody chose.
    const status = show(change.cloud);
    const again = `then \`jetstream drift --stack ${stack}\` again`;
    return {
      ...base,
      kind: "power-state",
      what: `${name} is in nova state ${status} (not set by Pulumi); the stack file says ${wanted}`,
      remedies:
        status === "migrating"
          ? [
              `Jetstream2 is moving it to another host: wait for it to finish (\`openstack server show ${name}\`), ${again}`,
            ]
          : [
              `read its fault with \`openstack server show ${name}\`; a hard reboot (\`openstack server reboot --hard ${name}\`) often clears it, ${again}`,
              "if it stays in error, ask Jetstream2 support before anything replaces it",
            ],
    };
  }
  return {
    ...base,
    kind: "power-state",
    what: `someone ${verbs[now]} ${name} outside Pulumi (web UI or openstack CLI): the cloud says ${show(change.cloud)}, the stack file says ${wanted}`,
    remedies: [`run ${record[now]}`, `or ${restore}`],
  };
}

function deletedFinding(base: DriftFinding, old: StepEventStateMetadata, stack: string): DriftFinding {
  const up = `\`pulumi up --refresh --stack ${stack}\``;
  const outputs = old.outputs ?? {};
  switch (old.type) {
    case INSTANCE:
      return {
        ...base,
        what: `${base.name} (server) was deleted outside Pulumi: its disk and private address are gone`,
        remedies: [
          `${up} creates it again from the stack file (fresh disk, new private address)`,
          `or \`jetstream delete ${verbName(base.name)} --stack ${stack}\` to record that it is gone`,
        ],
      };
    case FLOATING_IP_ASSOCIATION:
      return {
        ...base,
        kind: "floating-ip-detached",
        what: `${show(outputs.floatingIp)} is no longer attached to ${base.name} (disassociated outside Pulumi)`,
        remedies: [`${up} attaches it again`],
      };
    case FLOATING_IP:
      return {
        ...base,
        what: `floating IP ${show(outputs.address)} of ${base.name} was released outside Pulumi`,
        remedies: [
          `${up} allocates a new address, not necessarily the same one: check DNS for anything that pointed at ${show(outputs.address)}`,
          "Jetstream2 may hand the released address to another project: ask its support before relying on it",
        ],
      };
    case SECURITY_GROUP_RULE:
      return {
        ...base,
        what: `security group rule ${base.name} (${show(outputs.direction)} ${show(outputs.protocol)} ${ports(outputs)} from ${show(outputs.remoteIpPrefix)}) was deleted outside Pulumi`,
        remedies: [
          `${up} puts it back`,
          "or, if it should stay gone, remove it from securityGroup.rules in the stack file",
        ],
      };
    default:
      return {
        ...base,
        what: `${base.name} (${resourceKind(old.type)}) was deleted outside Pulumi`,
        remedies: [`${up} creates it again from the stack file`],
      };
  }
}

function ports(outputs: Record<string, unknown>): string {
  const min = outputs.portRangeMin;
  const max = outputs.portRangeMax;
  if (!min) return "all ports";
  return min === max ? `port ${min}` : `ports ${min}-${max}`;
}

function explainStep(step: StepEventMetadata, stack: string): DriftFinding | undefined {
  const old = step.old;
  if (old === undefined) return undefined;
  const base: DriftFinding = {
    urn: step.urn,
    type: step.type,
    name: operatorName(old),
    kind: "changed",
    what: "",
    remedies: [],
    properties: [],
  };
  if (step.new === undefined || step.op === "delete")
    return { ...deletedFinding({ ...base, kind: "deleted" }, old, stack) };

  const properties = changedProperties(step, old);
  if (properties.length === 0) return undefined;
  const power = properties.find((change) => change.property === "powerState");
  if (step.type === INSTANCE && power && properties.length === 1) {
    return powerStateFinding({ ...base, properties }, power, stack);
  }
  const port = properties.find((change) => change.property === "portId");
  if (step.type === FLOATING_IP && port && !port.cloud) {
    return {
      ...base,
      properties,
      kind: "floating-ip-detached",
      what: `${show(old.outputs?.address)} is no longer attached to ${base.name} (disassociated outside Pulumi)`,
      remedies: [`\`pulumi up --refresh --stack ${stack}\` attaches it again`],
    };
  }
  const listed = properties.map(
    (change) => `${change.property} ${show(change.recorded)} -> ${show(change.cloud)}`,
  );
  return {
    ...base,
    properties,
    what: `${base.name} (${resourceKind(step.type)}) changed outside Pulumi: ${listed.join("; ")}`,
    remedies: [
      `\`pulumi up --stack ${stack}\` sets it back to what the stack file says`,
      "or change the stack file to match the cloud (then `jetstream plan` should show no change)",
    ],
  };
}

/**
 * terraform-provider-openstack, which @pulumi/openstack wraps, reads a server's status into
 * powerState only when it is active, shutoff, error, migrating, shelved or shelved_offloaded;
 * any other (SUSPENDED, PAUSED, RESCUE, VERIFY_RESIZE...) fails the read with
 * "Invalid power_state for instance <id>: <STATUS>", and with it the whole refresh, `pulumi up
 * --refresh` included. The engine reports it as an error diagnostic on the server's URN.
 */
const UNREADABLE_SERVER = /Invalid power_state for instance ([^\s:]+): ([A-Za-z_]+)/;

/** The state each resource had before the refresh, by URN and by cloud ID. */
function recordedStates(events: readonly EngineEvent[]): {
  byUrn: Map<string, StepEventStateMetadata>;
  byId: Map<string, StepEventStateMetadata>;
} {
  const byUrn = new Map<string, StepEventStateMetadata>();
  const byId = new Map<string, StepEventStateMetadata>();
  for (const event of events) {
    const old = (event.resourcePreEvent ?? event.resOutputsEvent ?? event.resOpFailedEvent)?.metadata.old;
    if (old === undefined) continue;
    byUrn.set(old.urn, old);
    if (old.id !== "") byId.set(old.id, old);
  }
  return { byUrn, byId };
}

function unreadableServerFinding(urn: string, name: string, status: string, stack: string): DriftFinding {
  const base = { urn, type: INSTANCE, name, kind: "unreadable" as const, properties: [] };
  const stayOff = `\`jetstream suspend ${verbName(name)} --stack ${stack}\` if it should stay off (shelved costs no SU)`;
  switch (status.toLowerCase()) {
    case "suspended":
      return {
        ...base,
        what: `${name} was suspended outside Pulumi (the provider cannot read a suspended server)`,
        remedies: [`resume it in the web UI or \`openstack server resume ${name}\`, then ${stayOff}`],
      };
    case "paused":
      return {
        ...base,
        what: `${name} was paused outside Pulumi (the provider cannot read a paused server)`,
        remedies: [`unpause it in the web UI or \`openstack server unpause ${name}\`, then ${stayOff}`],
      };
    default:
      return {
        ...base,
        what: `${name} is ${status} in the cloud, a server status the provider cannot read`,
        remedies: [
          `bring it back to ACTIVE or SHUTOFF (\`openstack server show ${name}\` shows where it is; a resize waits for \`openstack server resize confirm ${name}\`), then \`jetstream drift --stack ${stack}\` again`,
        ],
      };
  }
}

/**
 * Servers whose read failed on a status the provider does not know. Neither `pulumi refresh`
 * nor `pulumi up --refresh` gets past them: the cloud has to change first.
 */
export function unreadableServers(events: readonly EngineEvent[], stack: string): DriftFinding[] {
  const { byUrn, byId } = recordedStates(events);
  const findings = new Map<string, DriftFinding>();
  for (const event of events) {
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity !== "error") continue;
    const match = UNREADABLE_SERVER.exec(diagnostic.message);
    if (match === null) continue;
    const [, id, status] = match;
    const old = (diagnostic.urn ? byUrn.get(diagnostic.urn) : undefined) ?? byId.get(id);
    const urn = old?.urn ?? diagnostic.urn ?? id;
    const name = old ? operatorName(old) : `server ${id}`;
    if (!findings.has(urn)) findings.set(urn, unreadableServerFinding(urn, name, status, stack));
  }
  return [...findings.values()];
}

export function explainDrift(events: readonly EngineEvent[], stack: string): DriftFinding[] {
  const unreadable = unreadableServers(events, stack);
  // A resource whose read failed has a pre-event and no result: not a deletion.
  const failed = new Set([
    ...unreadable.map((finding) => finding.urn),
    ...events.flatMap((event) => event.resOpFailedEvent?.metadata.urn ?? []),
  ]);
  const findings = refreshedResources(events)
    .filter((step) => !failed.has(step.urn))
    .map((step) => explainStep(step, stack))
    .filter((finding): finding is DriftFinding => finding !== undefined);
  // One disassociation shows twice (the association is gone, the address lost its port): say it once.
  const detached = new Set<string>();
  const readable = findings.filter((finding) => {
    if (finding.kind !== "floating-ip-detached") return true;
    if (detached.has(finding.name)) return false;
    detached.add(finding.name);
    return true;
  });
  return [...unreadable, ...readable];
}

export function renderDriftReport(findings: readonly DriftFinding[], stack: string, checked: number): string {
  if (findings.length === 0) {
    return `No drift on stack ${stack}: the cloud matches the state of the last \`pulumi up\` (${checked} resources checked).`;
  }
  const lines = [
    `Drift on stack ${stack}: ${findings.length} resource${findings.length === 1 ? "" : "s"} changed outside Pulumi.`,
  ];
  for (const finding of findings) {
    lines.push("", finding.what);
    for (const remedy of finding.remedies) lines.push(`  - ${remedy}`);
  }
  if (findings.some((finding) => finding.kind === "unreadable")) {
    lines.push(
      "",
      `The refresh stopped at a server it could not read, so later resources may be unchecked: run \`jetstream drift --stack ${stack}\` again once it is fixed.`,
    );
  }
  return lines.join("\n");
}

/**
 * What changed in the cloud behind Pulumi's back, in the operator's words. Input: the engine
 * events of `pulumi refresh --preview-only` (live through the Automation API, or an event log);
 * output: one finding per drifted resource with what to do. Pure: events in, findings out.
 */
import type { EngineEvent, StepEventMetadata, StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { DEFAULT_STATE, type InstanceState, POWER_STATE } from "../../config/defaults";
import { type DriftFinding, INSTANCE, operatorName, type PropertyDrift, verbName } from "./findings";
import { offlinePage, type ServedSites, type SiteServed, siteDown } from "./site-targets";
import { unreadableServers } from "./unreadable";

export type { DriftFinding, DriftKind, PropertyDrift } from "./findings";
export { unreadableServers } from "./unreadable";

const FLOATING_IP = "openstack:networking/floatingIp:FloatingIp";
const FLOATING_IP_ASSOCIATION = "openstack:networking/floatingIpAssociate:FloatingIpAssociate";
const SECURITY_GROUP_RULE = "openstack:networking/secGroupRule:SecGroupRule";

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
function refreshedResources(events: readonly EngineEvent[]): StepEventMetadata[] {
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

function powerStateFinding(
  base: DriftFinding,
  change: PropertyDrift,
  stack: string,
  site: SiteServed | undefined,
): DriftFinding {
  const name = base.name;
  // The recorded power state is what the last `pulumi up` set; the stack file may say otherwise since.
  const wanted = STATE_OF_POWER[show(change.recorded)] ?? DEFAULT_STATE;
  const now = STATE_OF_POWER[show(change.cloud)];
  const restore = `\`pulumi up --refresh --stack ${stack}\` to make it ${wanted} again`;
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
      what: `${name} is in nova state ${status} (not set by Pulumi); the last \`pulumi up\` left it ${wanted}`,
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
  const what = `someone ${verbs[now]} ${name} outside Pulumi (web UI or openstack CLI): the cloud says ${show(change.cloud)}, the last \`pulumi up\` left it ${wanted}`;
  if (site !== undefined && now !== "active") {
    // The site fails now: what brings it back comes first, and recording the change needs the offline page first.
    return {
      ...base,
      kind: "power-state",
      what: `${what}; ${siteDown(site, "while it is off")}`,
      remedies: [
        `${restore} (${site.domain} works again with it)`,
        `or, if it should stay off: ${offlinePage(site)}, then ${record[now]}`,
      ],
    };
  }
  return { ...base, kind: "power-state", what, remedies: [`run ${record[now]}`, `or ${restore}`] };
}

function deletedFinding(
  base: DriftFinding,
  old: StepEventStateMetadata,
  stack: string,
  site: SiteServed | undefined,
): DriftFinding {
  const up = `\`pulumi up --refresh --stack ${stack}\``;
  const outputs = old.outputs ?? {};
  switch (old.type) {
    case INSTANCE: {
      const what = `${base.name} (server) was deleted outside Pulumi: its disk and private address are gone`;
      const recreate = `${up} creates it again from the stack file (fresh disk, new private address)`;
      const record = `\`jetstream delete ${verbName(base.name)} --stack ${stack}\` to record that it is gone`;
      if (site === undefined) return { ...base, what, remedies: [recreate, `or ${record}`] };
      // `delete` refuses the proxy's online target: the site has to point elsewhere first.
      const elsewhere = `${offlinePage(site)} or \`jetstream proxy OTHER --stack ${site.proxyStack}\``;
      return {
        ...base,
        what: `${what}; ${siteDown(site, "until it is back")}`,
        remedies: [recreate, `or, if it should stay gone: ${elsewhere}, then ${record}`],
      };
    }
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

function explainStep(step: StepEventMetadata, stack: string, served: ServedSites): DriftFinding | undefined {
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
    return { ...deletedFinding({ ...base, kind: "deleted" }, old, stack, served.get(base.name)) };

  const properties = changedProperties(step, old);
  if (properties.length === 0) return undefined;
  const power = properties.find((change) => change.property === "powerState");
  if (step.type === INSTANCE && power && properties.length === 1) {
    return powerStateFinding({ ...base, properties }, power, stack, served.get(base.name));
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
      `\`pulumi up --refresh --stack ${stack}\` sets it back to what the stack file says`,
      "or change the stack file to match the cloud (then `jetstream plan` should show no change)",
    ],
  };
}

/** `served`: what the stack files say the proxies serve (site-targets.ts); none when unknown. */
export function explainDrift(
  events: readonly EngineEvent[],
  stack: string,
  served: ServedSites = new Map(),
): DriftFinding[] {
  const unreadable = unreadableServers(events, stack, served);
  // A resource whose read failed has a pre-event and no result: not a deletion.
  const failed = new Set([
    ...unreadable.map((finding) => finding.urn),
    ...events.flatMap((event) => event.resOpFailedEvent?.metadata.urn ?? []),
  ]);
  const findings = refreshedResources(events)
    .filter((step) => !failed.has(step.urn))
    .map((step) => explainStep(step, stack, served))
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

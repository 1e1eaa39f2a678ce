/** Servers the refresh could not read, because the cloud has them in a status the provider does not know. */
import type { EngineEvent, StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { type DriftFinding, INSTANCE, operatorName, verbName } from "./findings";
import { offlinePage, type ServedSites, type SiteServed, siteDown } from "./site-targets";

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

function unreadableServerFinding(
  urn: string,
  name: string,
  status: string,
  stack: string,
  site: SiteServed | undefined,
): DriftFinding {
  const base = { urn, type: INSTANCE, name, kind: "unreadable" as const, properties: [] };
  const suspend = `\`jetstream suspend ${verbName(name)} --stack ${stack}\``;
  // The proxy's target takes the site down with it: say so, and put the offline page up before recording it.
  const comesBack = site === undefined ? "" : ` (${site.domain} works again with it)`;
  const stayOff =
    site === undefined
      ? ` ${suspend} if it should stay off (shelved costs no SU)`
      : `, if it should stay off: ${offlinePage(site)} and ${suspend} (shelved costs no SU)`;
  const down = site === undefined ? "" : `; ${siteDown(site, "while it is off")}`;
  switch (status.toLowerCase()) {
    case "suspended":
      return {
        ...base,
        what: `${name} was suspended outside Pulumi (the provider cannot read a suspended server)${down}`,
        remedies: [
          `resume it in the web UI or \`openstack server resume ${name}\`${comesBack}, then${stayOff}`,
        ],
      };
    case "paused":
      return {
        ...base,
        what: `${name} was paused outside Pulumi (the provider cannot read a paused server)${down}`,
        remedies: [
          `unpause it in the web UI or \`openstack server unpause ${name}\`${comesBack}, then${stayOff}`,
        ],
      };
    default:
      return {
        ...base,
        what: `${name} is ${status} in the cloud, a server status the provider cannot read${down}`,
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
export function unreadableServers(
  events: readonly EngineEvent[],
  stack: string,
  served: ServedSites = new Map(),
): DriftFinding[] {
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
    if (!findings.has(urn))
      findings.set(urn, unreadableServerFinding(urn, name, status, stack, served.get(name)));
  }
  return [...findings.values()];
}

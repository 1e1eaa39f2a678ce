/**
 * Which servers jetstream.lappsgrid.org (or any stack's proxy) serves right now, so drift can
 * say that a server shelved, suspended or deleted outside Pulumi took the site down with it,
 * and advise what brings it back before what records the change.
 */
import type { StackConfig } from "../../config";
import { projectStacks } from "../stack-file/other-stacks";

export interface SiteServed {
  /** The proxy's domain, e.g. jetstream.lappsgrid.org. */
  domain: string;
  /** The stack whose proxy it is: `jetstream offline --stack` takes this one. */
  proxyStack: string;
}

/** By server name (`lappsgrid-galaxy`): the site that fails while that server is off. */
export type ServedSites = ReadonlyMap<string, SiteServed>;

/** The server of `stack` an online proxy forwards to, by name, `<stack>/<name>` or its fixed address. */
function servedServer(proxyStack: string, proxy: StackConfig["proxy"], stack: string, own?: StackConfig) {
  const target = proxy?.mode === "online" ? proxy.target : undefined;
  if (target?.kind === "instance") return proxyStack === stack ? target.name : undefined;
  if (target?.kind === "stack") return target.stack === stack ? target.name : undefined;
  if (target?.kind !== "address") return undefined;
  const owner = own?.instances.find((i) => i.ip.kind === "adopt" && i.ip.address === target.address);
  return owner?.name;
}

/**
 * What the project's stack files say the proxies serve from `stack`. A file that cannot be read
 * says nothing here: drift reports what the cloud did either way, and `plan` names the problem.
 */
export function sitesServed(projectDir: string, stack: string): ServedSites {
  const stacks = projectStacks(projectDir);
  const own = stacks.find((entry) => entry.stack === stack)?.config;
  const served = new Map<string, SiteServed>();
  for (const { stack: proxyStack, config } of stacks) {
    const proxy = config?.proxy;
    const server = servedServer(proxyStack, proxy, stack, own);
    if (proxy !== undefined && server !== undefined) served.set(server, { domain: proxy.domain, proxyStack });
  }
  return served;
}

/** `it is the proxy target of jetstream.lappsgrid.org, which fails while it is off`. */
export function siteDown(site: SiteServed, when: string): string {
  return `it is the proxy target of ${site.domain}, which fails ${when}`;
}

/** The command that puts the offline page up instead, in the proxy's own stack. */
export function offlinePage(site: SiteServed): string {
  return `\`jetstream offline --stack ${site.proxyStack}\` (the offline page)`;
}

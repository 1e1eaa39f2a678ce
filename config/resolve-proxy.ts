/**
 * The proxy block, validated: where the proxy host is, what it serves, and whether that target
 * could ever answer (not the proxy itself, a port its security group opens).
 */
import { DEFAULT_PROXY } from "./defaults";
import { normaliseInstanceName } from "./names";
import {
  cidrContains,
  documentationRange,
  ipv4ToInt,
  isHostName,
  isIpv4,
  isLocalhostName,
  notAHostAddress,
  privateRange,
  withoutRootDot,
} from "./net";
import { coversCidr, openTcpPorts, tcpPortOpen } from "./proxy-reach";
import {
  checkOfflineUntil,
  notAnHttpPort,
  openHttpPortsChoice,
  PROXY_PORT_ALLOWED,
  parseHealthStatuses,
} from "./proxy-settings";
import { resolveProxyTls } from "./proxy-tls";
import type { RawStackConfig } from "./schema";
import type { InstanceConfig, ProxyConfig, ProxyTarget, SecurityRule } from "./types";

function resolveTarget(
  target: string,
  instances: InstanceConfig[],
  domain: string,
  problems: string[],
): ProxyTarget | undefined {
  const known = instances.map((i) => i.name);
  const crossStack = /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([a-z0-9][a-z0-9-]*)$/.exec(target);
  if (crossStack) return { kind: "stack", stack: crossStack[1], name: normaliseInstanceName(crossStack[2]) };
  if (isIpv4(target)) return { kind: "address", address: target };
  const local = normaliseInstanceName(target);
  if (known.includes(local)) return { kind: "instance", name: local };
  if (target.includes(".") && isHostName(target)) return { kind: "address", address: target };
  // Refused below as the proxy host itself, rather than as an unknown instance.
  if (isLocalhostName(target) || sameHostName(target, domain)) return { kind: "address", address: target };
  const bare = withoutRootDot(target);
  if (bare !== undefined) {
    problems.push(
      `proxy.target: ${JSON.stringify(target)} ends with a dot (a fully qualified name), which nginx's upstream does not take; allowed: the name without it (${bare})`,
    );
    return undefined;
  }
  problems.push(
    `proxy.target: ${JSON.stringify(target)} is not an instance of this stack (${known.join(", ") || "none"}), <stack>/<instance>, an IPv4 address or a host name`,
  );
  return undefined;
}

/** DNS names compare without case and without the root's trailing dot. */
function sameHostName(a: string, b: string): boolean {
  const canonical = (name: string) => name.toLowerCase().replace(/\.$/, "");
  return canonical(a) === canonical(b);
}

export const TARGET_ALLOWED = "allowed: an instance, <stack>/<instance>, or another host's address or name";

/** What a target address is judged against: the proxy's own names and addresses, the stack's subnet. */
export interface TargetContext {
  host: ProxyConfig["host"] | undefined;
  domain: string;
  /** The instance with role: proxy, when there is exactly one. */
  proxyHost: InstanceConfig | undefined;
  cidr: string;
}

/** Why an address inside the subnet is not a server there (neutron's own addresses), or undefined. */
function subnetOwnAddress(address: string, cidr: string): string | undefined {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  if (size < 4) return undefined;
  const offset = ipv4ToInt(address) - ipv4ToInt(base);
  if (offset === 0) return `is the network address of this stack's subnet ${cidr} (network.cidr), not a host`;
  if (offset === size - 1)
    return `is the broadcast address of this stack's subnet ${cidr} (network.cidr), not a host`;
  // Neutron gives a subnet created without a gateway_ip its first address as gateway: the router's port.
  if (offset === 1)
    return `is the gateway of this stack's subnet ${cidr} (its first address, the router's), not a service`;
  return undefined;
}

function ipTargetProblem(address: string, context: TargetContext): string | undefined {
  const { host, proxyHost, cidr } = context;
  const why = notAHostAddress(address);
  if (why !== undefined) return why.endsWith("(loopback)") ? `${why}: the proxy would serve itself` : why;
  const example = documentationRange(address);
  if (example !== undefined) return `${example}, not a host on the internet`;
  if (proxyHost?.ip.kind === "adopt" && proxyHost.ip.address === address) {
    return `is the proxy host's own address (instances.${proxyHost.key}.ip)`;
  }
  if (host?.kind === "external" && host.address === address)
    return "is the proxy host's own address (proxy.host)";
  if (cidrContains(cidr, address)) return subnetOwnAddress(address, cidr);
  // A proxy host of this stack sits on the subnet and the internet only; a host this stack does
  // not manage may sit on a private network of its own.
  if (host?.kind === "instance" && privateRange(address) !== undefined) {
    return `is a private address outside this stack's subnet ${cidr} (network.cidr): the proxy host cannot reach it`;
  }
  return undefined;
}

/**
 * Why the target address `written` would send the site's requests back to the proxy itself,
 * or nowhere; undefined when it is another host.
 */
export function addressTargetProblem(written: string, context: TargetContext): string | undefined {
  if (isIpv4(written)) return ipTargetProblem(written, context);
  const { host, domain } = context;
  if (sameHostName(written, domain)) return "is the proxy's own domain (proxy.domain)";
  if (host?.kind === "external" && sameHostName(written, host.address)) {
    return "is the proxy host's own name (proxy.host)";
  }
  if (isLocalhostName(written)) return "is the proxy host itself";
  return undefined;
}

/** The proxy reaches an instance of its own stack on its private address: the port must be open from the subnet. */
export function servicePortProblem(
  proxy: ProxyConfig,
  rules: SecurityRule[],
  cidr: string,
): string | undefined {
  if (proxy.target?.kind !== "instance") return undefined;
  const fromSubnet = (from: string) => coversCidr(from, cidr);
  if (tcpPortOpen(rules, proxy.port, fromSubnet)) return undefined;
  const open = openTcpPorts(rules, fromSubnet);
  return `proxy.port: ${proxy.port} is not open from the subnet ${cidr} in this stack's security group (open from it: tcp ${open.join(", ") || "none"}); allowed: ${openHttpPortsChoice(open)}securityGroup.servicePort: ${proxy.port}`;
}

export function resolveProxy(
  raw: RawStackConfig,
  instances: InstanceConfig[],
  cidr: string,
  problems: string[],
): ProxyConfig | undefined {
  const proxyHosts = instances.filter((i) => i.role === "proxy");
  // Two proxy hosts are already refused by name (validate.ts); which one serves is unknown, so
  // nothing below may judge the block against either of them.
  const hostUnknown = proxyHosts.length > 1;
  const proxyHost = hostUnknown ? undefined : proxyHosts[0];
  if (raw.proxy === undefined) return undefined;
  const proxy = raw.proxy;
  let host: ProxyConfig["host"] | undefined;
  if (proxy.host === undefined) {
    if (proxyHost) host = { kind: "instance", name: proxyHost.name };
    else if (!hostUnknown)
      problems.push(
        "proxy.host: no instance has role: proxy; allowed: mark one instance role: proxy, or give the address of a proxy host this stack does not manage",
      );
  } else if (isIpv4(proxy.host) || (proxy.host.includes(".") && isHostName(proxy.host))) {
    host = { kind: "external", address: proxy.host };
  } else if (proxyHost && normaliseInstanceName(proxy.host) === proxyHost.name) {
    host = { kind: "instance", name: proxyHost.name };
  } else if (withoutRootDot(proxy.host) !== undefined) {
    problems.push(
      `proxy.host: ${JSON.stringify(proxy.host)} ends with a dot (a fully qualified name); allowed: the name without it (${withoutRootDot(proxy.host)})`,
    );
  } else if (!hostUnknown) {
    problems.push(
      `proxy.host: ${JSON.stringify(proxy.host)} is not the proxy host; allowed: the instance with role: proxy (${proxyHost?.name ?? "none"}), an IPv4 address or a host name`,
    );
  }
  const mode = proxy.mode ?? DEFAULT_PROXY.mode;
  const domain = proxy.domain ?? DEFAULT_PROXY.domain;
  const target =
    proxy.target === undefined ? undefined : resolveTarget(proxy.target, instances, domain, problems);
  if (mode === "online" && proxy.target === undefined) {
    problems.push(
      "proxy.target: required when proxy.mode is online; allowed: an instance, <stack>/<instance>, an IPv4 address or a host name",
    );
  }
  if (target?.kind === "instance" && host?.kind === "instance" && target.name === host.name) {
    problems.push(
      `proxy.target: ${JSON.stringify(proxy.target)} is the proxy host itself; allowed: another instance`,
    );
  }
  const selfProblem =
    target?.kind === "address"
      ? addressTargetProblem(target.address, { host, domain, proxyHost, cidr })
      : undefined;
  if (selfProblem !== undefined) {
    problems.push(`proxy.target: ${JSON.stringify(proxy.target)} ${selfProblem}; ${TARGET_ALLOWED}`);
  }
  const notHttp = proxy.port === undefined ? undefined : notAnHttpPort(proxy.port);
  if (notHttp !== undefined) problems.push(`proxy.port: ${proxy.port} ${notHttp}; ${PROXY_PORT_ALLOWED}`);
  const statuses = parseHealthStatuses(proxy.healthStatuses ?? DEFAULT_PROXY.health.statuses);
  if ("problem" in statuses) problems.push(statuses.problem);
  const untilProblem = proxy.offlineUntil === undefined ? undefined : checkOfflineUntil(proxy.offlineUntil);
  if (untilProblem !== undefined) problems.push(untilProblem);
  const tls = resolveProxyTls(raw, domain, problems);
  if (host === undefined) return undefined;
  return {
    domain,
    host,
    mode,
    target,
    port: proxy.port ?? DEFAULT_PROXY.port,
    offlineTitle: proxy.offlineTitle ?? DEFAULT_PROXY.offlineTitle,
    offlineMessage: proxy.offlineMessage ?? DEFAULT_PROXY.offlineMessage,
    offlineUntil: proxy.offlineUntil,
    health: {
      path: proxy.healthPath ?? DEFAULT_PROXY.health.path,
      statuses: "ranges" in statuses ? statuses.ranges : "",
      tries: proxy.healthTries ?? DEFAULT_PROXY.health.tries,
      intervalSeconds: proxy.healthInterval ?? DEFAULT_PROXY.health.intervalSeconds,
    },
    hostKey: proxy.hostKey,
    tls,
  };
}

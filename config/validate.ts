/**
 * Turns the raw `lappsgrid-jetstream:*` values of a stack into a validated StackConfig, or
 * fails with every problem found, one line each: the key path, the bad value, what is allowed.
 * The program and the CLI both call this: there is one definition of a valid stack.
 */
import type { z } from "zod";
import {
  CONFIG_NAMESPACES,
  DEFAULT_IMAGE,
  DEFAULT_IMAGES,
  DEFAULT_KEYPAIR_NAME,
  DEFAULT_NETWORK,
  DEFAULT_PROXY,
  DEFAULT_SECURITY_GROUP_NAME,
  DEFAULT_SIZE,
  DEFAULT_SIZES,
  DEFAULT_SSH_FROM,
  INSTANCE_PREFIX,
  SIZE_NAMES,
} from "./defaults";
import { isHostName, isIpv4 } from "./net";
import { checkOfflineUntil, parseHealthStatuses } from "./proxy-settings";
import { type RawInstance, type RawRule, type RawStackConfig, stackConfigSchema } from "./schema";
import type {
  InstanceConfig,
  NetworkConfig,
  ProxyConfig,
  ProxyTarget,
  PublicIp,
  SecurityRule,
  StackConfig,
} from "./types";

export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "StackConfigError";
  }
}

/** Keys (`namespace:name`) of namespaces no part of this project reads, as problems. */
export function unknownNamespaceProblems(keys: string[]): string[] {
  return keys
    .filter((key) => !CONFIG_NAMESPACES.includes(key.split(":")[0]))
    .map(
      (key) =>
        `${key}: unknown config namespace ${JSON.stringify(key.split(":")[0])}; allowed: ${CONFIG_NAMESPACES.join(", ")}`,
    );
}

/** `galaxy` and `lappsgrid-galaxy` are the same instance, as in the old script. */
export function normaliseInstanceName(name: string): string {
  return name.startsWith(INSTANCE_PREFIX) ? name : `${INSTANCE_PREFIX}${name}`;
}

const INSTANCE_KEY = /^[a-z0-9][a-z0-9-]{0,50}$/;

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a map";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function joinPath(path: PropertyKey[]): string {
  return path.map(String).join(".");
}

/** zod's own wording starts so; ours (set in schema.ts) already says what is allowed. */
const ZOD_DEFAULT_MESSAGE = /^Invalid input/;

function formatIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === "unrecognized_keys") {
    // One line per typo, each with its full key path.
    return issue.keys.map((key) => `${joinPath([...issue.path, key])}: ${issue.message}`);
  }
  const path = joinPath(issue.path) || "(stack config)";
  if (issue.code === "invalid_type" && ZOD_DEFAULT_MESSAGE.test(issue.message)) {
    const input = (issue as { input?: unknown }).input;
    const got = input === undefined ? "nothing" : describeType(input);
    return [`${path}: expected ${issue.expected}, got ${got}`];
  }
  return [`${path}: ${issue.message}`];
}

/**
 * An adopted resource is imported only if its inputs match what exists, so an adopted
 * network, subnet or router takes only the values the stack states, never our defaults: the
 * seed's `neutron subnet-create` made a subnet with no name and no DNS servers.
 */
function resolveNetwork(raw: RawStackConfig): NetworkConfig {
  const given = raw.network ?? {};
  const adopted = given.import ?? {};
  const unlessAdopted = <T>(importId: string | undefined, value: T | undefined, fallback: T) =>
    value ?? (importId === undefined ? fallback : undefined);
  return {
    name: unlessAdopted(adopted.network, given.name, DEFAULT_NETWORK.name),
    subnetName: unlessAdopted(adopted.subnet, given.subnetName, DEFAULT_NETWORK.subnetName),
    routerName: unlessAdopted(adopted.router, given.routerName, DEFAULT_NETWORK.routerName),
    cidr: given.cidr ?? DEFAULT_NETWORK.cidr,
    dnsNameservers: unlessAdopted(adopted.subnet, given.dnsNameservers, DEFAULT_NETWORK.dnsNameservers),
    externalNetwork: given.externalNetwork ?? DEFAULT_NETWORK.externalNetwork,
    existingRouter: given.existingRouter,
    import: adopted,
  };
}

function parsePorts(rule: RawRule): { portMin?: number; portMax?: number } | string {
  if (rule.ports === undefined) {
    return rule.protocol === "icmp" ? {} : 'required for tcp and udp; allowed: 22 or "8000-8100"';
  }
  if (rule.protocol === "icmp") return "not allowed for icmp";
  const [min, max] =
    typeof rule.ports === "number" ? [rule.ports, rule.ports] : rule.ports.split("-").map(Number);
  if (min < 1 || max > 65535 || min > max) {
    return `${JSON.stringify(rule.ports)} is not a port range; allowed: low-high within 1-65535`;
  }
  return { portMin: min, portMax: max };
}

function defaultRules(
  sshFrom: string[],
  subnetCidr: string,
  servicePort: number,
  serviceFrom: string[],
): RawRule[] {
  return [
    ...sshFrom.map((from) => ({ description: "SSH", protocol: "tcp" as const, ports: 22, from })),
    { description: "HTTP", protocol: "tcp", ports: 80, from: "0.0.0.0/0" },
    { description: "HTTPS", protocol: "tcp", ports: 443, from: "0.0.0.0/0" },
    // The proxy reaches the service on its private address; nobody else needs that port...
    { description: "proxied service", protocol: "tcp", ports: servicePort, from: subnetCidr },
    // ...but a proxy in another cloud comes over the internet, from its public address.
    ...serviceFrom.map((from) => ({
      description: "proxied service, from another stack's proxy",
      protocol: "tcp" as const,
      ports: servicePort,
      from,
    })),
    { description: "ICMP inside the subnet", protocol: "icmp", from: subnetCidr },
  ];
}

function resolveRules(raw: RawStackConfig, cidr: string, problems: string[]): SecurityRule[] {
  const group = raw.securityGroup ?? {};
  if (group.importId !== undefined && group.rules === undefined) {
    // The defaults would be created a second time next to the group's own rules: Neutron says 409.
    problems.push(
      "securityGroup.rules: required with securityGroup.importId; allowed: the adopted group's rules, each with its importId, and any new ones",
    );
    return [];
  }
  const servicePort = group.servicePort ?? raw.proxy?.port ?? DEFAULT_PROXY.port;
  const rules =
    group.rules ??
    defaultRules(group.sshFrom ?? DEFAULT_SSH_FROM, cidr, servicePort, group.serviceFrom ?? []);
  const resolved: SecurityRule[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const ports = parsePorts(rule);
    if (typeof ports === "string") {
      problems.push(`securityGroup.rules.${index}.ports: ${ports}`);
      return;
    }
    const portPart =
      ports.portMin === undefined
        ? ""
        : ports.portMin === ports.portMax
          ? `${ports.portMin}`
          : `${ports.portMin}-${ports.portMax}`;
    const key = `${rule.protocol}${portPart ? `-${portPart}` : ""}-from-${rule.from.replace(/[./]/g, "-")}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(
        `securityGroup.rules.${index}: repeats securityGroup.rules.${earlier}; allowed: each protocol, port and source once`,
      );
      return;
    }
    seen.set(key, index);
    resolved.push({
      key,
      // A hand-made rule has no description; an import sending one would differ and fail.
      description: rule.description ?? (rule.importId === undefined ? key : undefined),
      protocol: rule.protocol,
      ...ports,
      from: rule.from,
      importId: rule.importId,
    });
  });
  return resolved;
}

function resolveIp(key: string, raw: RawInstance, problems: string[]): PublicIp {
  if (raw.floatingIpDescription !== undefined && raw.floatingIpImportId === undefined) {
    problems.push(
      `instances.${key}.floatingIpDescription: only allowed with floatingIpImportId; it states the adopted address's own description`,
    );
  }
  if (raw.ip === undefined) {
    if (raw.floatingIpImportId !== undefined) {
      problems.push(`instances.${key}.floatingIpImportId: only allowed with ip: <address>`);
    }
    return { kind: "none" };
  }
  if (raw.ip === "assign") {
    if (raw.floatingIpImportId !== undefined) {
      problems.push(
        `instances.${key}.floatingIpImportId: only allowed with ip: <address>, not with ip: assign`,
      );
    }
    return { kind: "assign" };
  }
  if (isIpv4(raw.ip)) {
    return {
      kind: "adopt",
      address: raw.ip,
      importId: raw.floatingIpImportId,
      description: raw.floatingIpDescription,
    };
  }
  problems.push(`instances.${key}.ip: ${JSON.stringify(raw.ip)} is neither "assign" nor an IPv4 address`);
  return { kind: "none" };
}

function resolveInstances(
  raw: RawStackConfig,
  images: Record<string, string>,
  problems: string[],
): InstanceConfig[] {
  const sizes = { ...DEFAULT_SIZES, ...raw.sizes };
  const byName = new Map<string, string>();
  const byAddress = new Map<string, string>();
  let proxyKey: string | undefined;
  const instances: InstanceConfig[] = [];
  for (const [key, entry] of Object.entries(raw.instances ?? {})) {
    if (!INSTANCE_KEY.test(key)) {
      problems.push(
        `instances.${key}: ${JSON.stringify(key)} is not an instance name; allowed: lower-case letters, digits and "-", starting with a letter or digit`,
      );
      continue;
    }
    const name = normaliseInstanceName(key);
    const sameName = byName.get(name);
    if (sameName !== undefined) {
      problems.push(`instances.${key}: names the same instance as instances.${sameName} (${name}); keep one`);
      continue;
    }
    byName.set(name, key);
    const imageAlias = entry.image ?? DEFAULT_IMAGE;
    const imageName = images[imageAlias];
    if (imageName === undefined) {
      problems.push(
        `instances.${key}.image: ${JSON.stringify(imageAlias)} is not an image alias of this stack; allowed: ${Object.keys(images).sort().join(", ")}`,
      );
    }
    const ip = resolveIp(key, entry, problems);
    if (ip.kind === "adopt") {
      const owner = byAddress.get(ip.address);
      if (owner !== undefined) {
        problems.push(
          `instances.${key}.ip: ${ip.address} is already the address of instances.${owner}; allowed: each address on one instance`,
        );
      }
      byAddress.set(ip.address, key);
    }
    const role = entry.role ?? "service";
    if (role === "proxy") {
      if (proxyKey !== undefined) {
        problems.push(
          `instances.${key}.role: "proxy" is already the role of instances.${proxyKey}; allowed: one proxy host per stack`,
        );
      }
      proxyKey ??= key;
      if (entry.ip === undefined) {
        problems.push(
          `instances.${key}.ip: required on the proxy host; allowed: assign, or the address the proxy's domain points at`,
        );
      }
      if (entry.state !== undefined && entry.state !== "active") {
        // A stopped proxy host serves nothing, not even the offline page, and the apply command
        // cannot reach it over SSH.
        problems.push(
          `instances.${key}.state: ${JSON.stringify(entry.state)} is not allowed on the proxy host, which must serve the site and carry SSH; allowed: active (take the site down with proxy.mode: offline)`,
        );
      }
      if (entry.userData !== undefined) {
        problems.push(
          `instances.${key}.userData: not allowed on the proxy host; its user data is rendered by the proxy component`,
        );
      }
    }
    const size = entry.size ?? DEFAULT_SIZE;
    instances.push({
      key,
      name,
      size,
      flavor: sizes[size],
      imageAlias,
      imageName: imageName ?? "",
      ip,
      state: entry.state ?? "active",
      role,
      userData: entry.userData,
      acceptRebuild: entry.acceptRebuild ?? false,
    });
  }
  return instances.sort((a, b) => a.name.localeCompare(b.name));
}

function resolveTarget(
  target: string,
  instances: InstanceConfig[],
  problems: string[],
): ProxyTarget | undefined {
  const known = instances.map((i) => i.name);
  const crossStack = /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([a-z0-9][a-z0-9-]*)$/.exec(target);
  if (crossStack) return { kind: "stack", stack: crossStack[1], name: normaliseInstanceName(crossStack[2]) };
  if (isIpv4(target)) return { kind: "address", address: target };
  const local = normaliseInstanceName(target);
  if (known.includes(local)) return { kind: "instance", name: local };
  if (target.includes(".") && isHostName(target)) return { kind: "address", address: target };
  problems.push(
    `proxy.target: ${JSON.stringify(target)} is not an instance of this stack (${known.join(", ") || "none"}), <stack>/<instance>, an IPv4 address or a host name`,
  );
  return undefined;
}

function resolveProxy(
  raw: RawStackConfig,
  instances: InstanceConfig[],
  problems: string[],
): ProxyConfig | undefined {
  const proxyHost = instances.find((i) => i.role === "proxy");
  if (raw.proxy === undefined) return undefined;
  const proxy = raw.proxy;
  let host: ProxyConfig["host"] | undefined;
  if (proxy.host === undefined) {
    if (proxyHost) host = { kind: "instance", name: proxyHost.name };
    else
      problems.push(
        "proxy.host: no instance has role: proxy; allowed: mark one instance role: proxy, or give the address of a proxy host this stack does not manage",
      );
  } else if (isIpv4(proxy.host) || (proxy.host.includes(".") && isHostName(proxy.host))) {
    host = { kind: "external", address: proxy.host };
  } else if (proxyHost && normaliseInstanceName(proxy.host) === proxyHost.name) {
    host = { kind: "instance", name: proxyHost.name };
  } else {
    problems.push(
      `proxy.host: ${JSON.stringify(proxy.host)} is not the proxy host; allowed: the instance with role: proxy (${proxyHost?.name ?? "none"}), an IPv4 address or a host name`,
    );
  }
  const mode = proxy.mode ?? DEFAULT_PROXY.mode;
  const target = proxy.target === undefined ? undefined : resolveTarget(proxy.target, instances, problems);
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
  const statuses = parseHealthStatuses(proxy.healthStatuses ?? DEFAULT_PROXY.health.statuses);
  if ("problem" in statuses) problems.push(statuses.problem);
  const untilProblem = proxy.offlineUntil === undefined ? undefined : checkOfflineUntil(proxy.offlineUntil);
  if (untilProblem !== undefined) problems.push(untilProblem);
  if (host === undefined) return undefined;
  return {
    domain: proxy.domain ?? DEFAULT_PROXY.domain,
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
  };
}

/**
 * The one rule against a site forwarding to a server that is down: an online proxy's target in
 * this stack must be active. Within one `pulumi up` nothing orders the power change against the
 * site switch, so stopping or shelving the target while the site is online would leave
 * jetstream.lappsgrid.org answering 502 for as long as the server is down. The operator goes
 * offline (or points elsewhere) first; the target may then stop or shelve.
 */
function refuseOnlineTargetNotActive(proxy: ProxyConfig | undefined, instances: InstanceConfig[]): string[] {
  if (proxy?.mode !== "online" || proxy.target?.kind !== "instance") return [];
  const targetName = proxy.target.name;
  const target = instances.find((instance) => instance.name === targetName);
  if (target === undefined || target.state === "active") return [];
  return [
    `instances.${target.key}.state: ${JSON.stringify(target.state)} is not allowed while proxy.target is ${target.key} and proxy.mode is online: the site would forward to a server that is down; allowed: active, or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)`,
  ];
}

/**
 * Validates the stack's config values (keys without the `lappsgrid-jetstream:` prefix) and
 * applies every default. Throws StackConfigError listing all problems.
 */
export function validateStackConfig(values: Record<string, unknown>, stackName = "stack"): StackConfig {
  const parsed = stackConfigSchema.safeParse(values, { reportInput: true });
  if (!parsed.success) throw new StackConfigError(parsed.error.issues.flatMap(formatIssue));
  const raw = parsed.data;
  const problems: string[] = [];
  const network = resolveNetwork(raw);
  if (network.existingRouter !== undefined && network.import.router !== undefined) {
    problems.push(
      "network.import.router: not allowed with network.existingRouter; allowed: one of them (reuse by name, or adopt by ID)",
    );
  }
  const images = { ...DEFAULT_IMAGES, ...raw.images };
  const instances = resolveInstances(raw, images, problems);
  const securityGroup = {
    name: raw.securityGroup?.name ?? DEFAULT_SECURITY_GROUP_NAME,
    importId: raw.securityGroup?.importId,
    rules: resolveRules(raw, network.cidr, problems),
  };
  const keypairName = raw.keypair?.name ?? DEFAULT_KEYPAIR_NAME;
  const keypair = raw.keypair?.publicKey
    ? { kind: "managed" as const, name: keypairName, publicKey: raw.keypair.publicKey }
    : { kind: "existing" as const, name: keypairName };
  const proxy = resolveProxy(raw, instances, problems);
  problems.push(...refuseOnlineTargetNotActive(proxy, instances));
  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    cloud: raw.cloud ?? stackName,
    network,
    securityGroup,
    keypair,
    sizes: { ...DEFAULT_SIZES, ...raw.sizes },
    images,
    instances,
    proxy,
  };
}

export { SIZE_NAMES };

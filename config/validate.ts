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
  DEFAULT_ROLE,
  DEFAULT_SECURITY_GROUP_NAME,
  DEFAULT_SIZE,
  DEFAULT_SIZES,
  DEFAULT_SSH_FROM,
  DEFAULT_STATE,
  type Flavor,
  SIZE_NAMES,
  type SizeName,
} from "./defaults";
import { emptyMapProblem, lengthProblem, textForBooleanProblem } from "./issue-wording";
import { badInstanceName, INSTANCE_NAME_ALLOWED, isInstanceName, normaliseInstanceName } from "./names";
import { cidrContains, isIpv4, notAFloatingIp, portRange } from "./net";
import { withNumbersAsWritten } from "./numbers-as-written";
import { resolveProxy, servicePortProblem } from "./resolve-proxy";
import { type RawInstance, type RawRule, type RawStackConfig, stackConfigSchema, written } from "./schema";
import type {
  InstanceConfig,
  NetworkConfig,
  ProxyConfig,
  PublicIp,
  SecurityRule,
  StackConfig,
} from "./types";

export { badInstanceName, INSTANCE_NAME_ALLOWED, isInstanceName, normaliseInstanceName };

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

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a map";
  return `${typeof value} ${written(value)}`;
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
  if (issue.code === "invalid_key") {
    // A map key the key rule refused: its own message says what is allowed.
    const key = String(issue.path[issue.path.length - 1] ?? "");
    const where = joinPath([...issue.path.slice(0, -1), key === "" ? '""' : key]);
    return issue.issues.map((inner) => `${where}: ${inner.message}`);
  }
  const path = joinPath(issue.path) || "(stack config)";
  const length = lengthProblem(issue);
  if (length !== undefined) return [`${path}: ${length}`];
  const textForBoolean = textForBooleanProblem(issue);
  if (textForBoolean !== undefined) return [`${path}: ${textForBoolean}`];
  if (issue.code === "invalid_type" && ZOD_DEFAULT_MESSAGE.test(issue.message)) {
    const input = (issue as { input?: unknown }).input;
    const empty = emptyMapProblem(stackConfigSchema, issue.path, input);
    if (empty !== undefined) return [`${path}: ${empty}`];
    const got = input === undefined ? "nothing" : describeType(input);
    return [`${path}: expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${got}`];
  }
  return [`${path}: ${issue.message}`];
}

/** zod's names for what belongs there, in the words of a YAML file's reader. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  record: "a map",
  object: "a map",
  array: "a list",
  string: "text",
  number: "a number",
  boolean: "true or false",
};

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

/** A rule and how the operator wrote it: `securityGroup.sshFrom.1`, or a default they never wrote. */
interface WrittenRule {
  rule: RawRule;
  /** Where the operator wrote it; undefined for a default rule. */
  where?: string;
}

function defaultRules(
  sshFrom: string[],
  subnetCidr: string,
  servicePort: number,
  serviceFrom: string[],
): WrittenRule[] {
  return [
    ...sshFrom.map((from, i) => ({
      rule: { description: "SSH", protocol: "tcp" as const, ports: 22, from },
      where: `securityGroup.sshFrom.${i}`,
    })),
    { rule: { description: "HTTP", protocol: "tcp", ports: 80, from: "0.0.0.0/0" } },
    { rule: { description: "HTTPS", protocol: "tcp", ports: 443, from: "0.0.0.0/0" } },
    // The proxy reaches the service on its private address; nobody else needs that port...
    { rule: { description: "proxied service", protocol: "tcp", ports: servicePort, from: subnetCidr } },
    // ...but a proxy in another cloud comes over the internet, from its public address.
    ...serviceFrom.map((from, i) => ({
      rule: {
        description: "proxied service, from another stack's proxy",
        protocol: "tcp" as const,
        ports: servicePort,
        from,
      },
      where: `securityGroup.serviceFrom.${i}`,
    })),
    { rule: { description: "ICMP inside the subnet", protocol: "icmp", from: subnetCidr } },
  ];
}

/** `rules.3 repeats rules.1` in the words the operator used: the list entry, or the default rule it repeats. */
function repeatProblem(
  later: WrittenRule,
  earlier: WrittenRule,
  index: number,
  earlierIndex: number,
): string {
  if (later.where === undefined && earlier.where === undefined) {
    return `securityGroup.rules.${index}: repeats securityGroup.rules.${earlierIndex}; allowed: each protocol, port and source once`;
  }
  // Blame the entry the operator wrote; name the other as they would know it.
  const [blamed, other] = later.where === undefined ? [earlier, later] : [later, earlier];
  const { rule } = other;
  const shown =
    other.where === undefined
      ? `the default rule ${JSON.stringify(rule.description)} (${rule.protocol} ${rule.ports} from ${rule.from})`
      : `${other.where} (${rule.from})`;
  return `${blamed.where}: repeats ${shown}; allowed: each source once`;
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
  if (group.rules !== undefined) {
    // Both only feed the default rules, which a rules list replaces: ignoring them would open
    // nothing the operator asked for, silently.
    for (const key of ["sshFrom", "serviceFrom"] as const) {
      if (group[key] !== undefined) {
        problems.push(
          `securityGroup.${key}: not used when securityGroup.rules is given (rules replaces the default rules); allowed: write the rule in securityGroup.rules, or drop rules to use the defaults`,
        );
      }
    }
  }
  const servicePort = group.servicePort ?? raw.proxy?.port ?? DEFAULT_PROXY.port;
  const written: WrittenRule[] =
    group.rules?.map((rule) => ({ rule })) ??
    defaultRules(group.sshFrom ?? DEFAULT_SSH_FROM, cidr, servicePort, group.serviceFrom ?? []);
  const resolved: SecurityRule[] = [];
  const seen = new Map<string, number>();
  /** Rule import IDs and the list entry that adopts each. */
  const adopters = new Map<string, number>();
  written.forEach((entry, index) => {
    const { rule } = entry;
    const ports = parsePorts(rule);
    if (typeof ports === "string") {
      problems.push(`securityGroup.rules.${index}.ports: ${ports}`);
      return;
    }
    const portPart = ports.portMin === undefined ? "" : portRange(ports.portMin, ports.portMax);
    const key = `${rule.protocol}${portPart ? `-${portPart}` : ""}-from-${rule.from.replace(/[./]/g, "-")}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(repeatProblem(entry, written[earlier], index, earlier));
      return;
    }
    seen.set(key, index);
    if (rule.importId !== undefined) {
      const adoptedBy = adopters.get(rule.importId);
      if (adoptedBy !== undefined) {
        problems.push(
          `securityGroup.rules.${index}.importId: ${rule.importId} is also the importId of securityGroup.rules.${adoptedBy}; one rule in the cloud is adopted once; allowed: the ID of another rule of the group, or leave importId out to create the rule`,
        );
        return;
      }
      adopters.set(rule.importId, index);
    }
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

const FLOATING_IP_ALLOWED = "allowed: assign, or a public address allocated earlier in this cloud";

function resolveIp(key: string, raw: RawInstance, cidr: string, problems: string[]): PublicIp {
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
    const why = cidrContains(cidr, raw.ip)
      ? `is inside this stack's subnet ${cidr} (network.cidr), a private address`
      : notAFloatingIp(raw.ip);
    if (why !== undefined) {
      problems.push(`instances.${key}.ip: ${raw.ip} ${why}; ${FLOATING_IP_ALLOWED}`);
      return { kind: "none" };
    }
    return {
      kind: "adopt",
      address: raw.ip,
      importId: raw.floatingIpImportId,
      description: raw.floatingIpDescription,
    };
  }
  problems.push(
    `instances.${key}.ip: ${JSON.stringify(raw.ip)} is neither "assign" nor an IPv4 address; ${FLOATING_IP_ALLOWED}`,
  );
  return { kind: "none" };
}

function resolveInstances(
  raw: RawStackConfig,
  sizes: Record<SizeName, Flavor>,
  images: Record<string, string>,
  cidr: string,
  problems: string[],
): InstanceConfig[] {
  const byName = new Map<string, string>();
  const byAddress = new Map<string, string>();
  let proxyKey: string | undefined;
  const instances: InstanceConfig[] = [];
  for (const [key, entry] of Object.entries(raw.instances ?? {})) {
    if (!isInstanceName(key)) {
      problems.push(`instances.${key}: ${badInstanceName(key)}; ${INSTANCE_NAME_ALLOWED}`);
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
    const ip = resolveIp(key, entry, cidr, problems);
    if (ip.kind === "adopt") {
      const owner = byAddress.get(ip.address);
      if (owner !== undefined) {
        problems.push(
          `instances.${key}.ip: ${ip.address} is already the address of instances.${owner}; allowed: each address on one instance`,
        );
      }
      byAddress.set(ip.address, key);
    }
    const role = entry.role ?? DEFAULT_ROLE;
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
      state: entry.state ?? DEFAULT_STATE,
      role,
      userData: entry.userData,
      acceptRebuild: entry.acceptRebuild ?? false,
    });
  }
  return instances.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Neutron takes from every subnet the network and broadcast addresses, the gateway (the router's
 * interface) and one address for the DHCP port; each instance's port needs one more. A subnet
 * too small fails `pulumi up` at the first server left without an address.
 */
function subnetSizeProblem(cidr: string, instanceCount: number): string | undefined {
  const total = 2 ** (32 - Number(cidr.split("/")[1]));
  const forPorts = Math.max(total - 2, 0);
  const needed = instanceCount + 2;
  if (needed <= forPorts) return undefined;
  const prefix = 32 - Math.ceil(Math.log2(needed + 2));
  const instances = `${instanceCount} instance${instanceCount === 1 ? "" : "s"}`;
  return `network.cidr: ${cidr} leaves ${forPorts} addresses for ports (${total} in all, less the network and broadcast addresses), and this stack needs ${needed}: ${instances}, the router's gateway and one DHCP port; allowed: a prefix of /${prefix} or shorter`;
}

/** Adoptions neutron cannot honour: the pieces of a hand-made network come together. */
function adoptionProblems(network: NetworkConfig): string[] {
  const adopted = network.import;
  const problems: string[] = [];
  if (adopted.router !== undefined && adopted.subnet !== undefined && adopted.routerInterface === undefined) {
    problems.push(
      "network.import.routerInterface: required with network.import.router and network.import.subnet (the subnet is already on the router: a second interface is refused); allowed: the interface's port ID from `openstack port list --router ROUTER -f json`",
    );
  }
  if (adopted.subnet !== undefined && adopted.network === undefined) {
    problems.push(
      "network.import.network: required with network.import.subnet (an adopted subnet lives on its own network); allowed: the ID of the subnet's network from `openstack subnet show SUBNET -f value -c network_id`",
    );
  }
  return problems;
}

/**
 * The one rule against a site forwarding to a server that is down: an online proxy's target in
 * this stack must be active. Within one `pulumi up` nothing orders the power change against the
 * site switch, so stopping or shelving the target while the site is online would leave
 * jetstream.lappsgrid.org answering 502 for as long as the server is down. The operator goes
 * offline (or points elsewhere) first; the target may then stop or shelve.
 */
function refuseOnlineTargetNotActive(proxy: ProxyConfig | undefined, instances: InstanceConfig[]): string[] {
  if (proxy?.mode !== "online") return [];
  const aim = proxy.target;
  // A target written as an address is the instance whose fixed public address it is.
  const target = instances.find((instance) =>
    aim?.kind === "instance"
      ? instance.name === aim.name
      : aim?.kind === "address" && instance.ip.kind === "adopt" && instance.ip.address === aim.address,
  );
  if (target === undefined || target.state === "active") return [];
  const written = aim?.kind === "address" ? `${aim.address} (${target.key}'s ip:)` : target.key;
  return [
    `instances.${target.key}.state: ${JSON.stringify(target.state)} is not allowed while proxy.target is ${written} and proxy.mode is online: the site would forward to a server that is down; allowed: active (\`jetstream ${target.state === "shelved" ? "resume" : "start"} ${target.key}\`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)`,
  ];
}

/** The settings that are Pulumi secrets; every other one is read as plain text. */
const SECRET_SETTINGS = ["proxySshKey", "proxyTlsCertificate", "proxyTlsKey"];

/**
 * `images: {secure: ...}`: Pulumi decrypts it and hands the program text where a map belongs,
 * which would be reported as the text "[secret]"; a secret is refused where it is not one.
 */
function misplacedSecretProblems(values: Record<string, unknown>): string[] {
  return Object.entries(values)
    .filter(([key, value]) => !SECRET_SETTINGS.includes(key) && isSecretForm(value))
    .map(
      ([key]) =>
        `${key}: a secret (secure:) is not allowed here; allowed: a plain value (only ${SECRET_SETTINGS.slice(0, -1).join(", ")} and ${SECRET_SETTINGS[SECRET_SETTINGS.length - 1]} are secrets)`,
    );
}

function isSecretForm(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

/**
 * Validates the stack's config values (keys without the `lappsgrid-jetstream:` prefix) and
 * applies every default. Throws StackConfigError listing all problems.
 */
export function validateStackConfig(values: Record<string, unknown>, stackName = "stack"): StackConfig {
  try {
    return validate(values, stackName);
  } catch (error) {
    // A number is named as the file writes it (`1e400`), not as YAML read it (`.inf`).
    if (!(error instanceof StackConfigError)) throw error;
    throw new StackConfigError(withNumbersAsWritten(values, error.problems));
  }
}

function validate(values: Record<string, unknown>, stackName: string): StackConfig {
  const secrets = misplacedSecretProblems(values);
  if (secrets.length > 0) throw new StackConfigError(secrets);
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
  problems.push(...adoptionProblems(network));
  const sizes = { ...DEFAULT_SIZES, ...raw.sizes };
  const images = { ...DEFAULT_IMAGES, ...raw.images };
  const instances = resolveInstances(raw, sizes, images, network.cidr, problems);
  const subnetProblem = subnetSizeProblem(network.cidr, instances.length);
  if (subnetProblem !== undefined) problems.push(subnetProblem);
  const securityGroup = {
    name: raw.securityGroup?.name ?? DEFAULT_SECURITY_GROUP_NAME,
    importId: raw.securityGroup?.importId,
    rules: resolveRules(raw, network.cidr, problems),
  };
  const keypairName = raw.keypair?.name ?? DEFAULT_KEYPAIR_NAME;
  const keypair = raw.keypair?.publicKey
    ? { kind: "managed" as const, name: keypairName, publicKey: raw.keypair.publicKey }
    : { kind: "existing" as const, name: keypairName };
  const proxy = resolveProxy(raw, instances, network.cidr, problems);
  const portProblem = proxy && servicePortProblem(proxy, securityGroup.rules, network.cidr);
  if (portProblem) problems.push(portProblem);
  problems.push(...refuseOnlineTargetNotActive(proxy, instances));
  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    cloud: raw.cloud ?? stackName,
    network,
    securityGroup,
    keypair,
    sizes,
    images,
    instances,
    proxy,
  };
}

export { SIZE_NAMES };

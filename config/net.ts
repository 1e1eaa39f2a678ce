/** Address checks shared by the config schema, the CLI and the nginx renderers. */

const IPV4_OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

export function ipv4ToInt(address: string): number {
  return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** An IPv4 CIDR whose address is the network address itself (10.0.0.0/24, not 10.0.0.5/24). */
export function isIpv4Cidr(value: string): boolean {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(value);
  if (!match || !isIpv4(match[1])) return false;
  const bits = Number(match[2]);
  if (bits > 32) return false;
  const size = 2 ** (32 - bits);
  return ipv4ToInt(match[1]) % size === 0;
}

/**
 * RFC 1123 host name: letters, digits and hyphens in dot-separated labels, the last one not all
 * digits (so a mistyped address such as 10.0.0.300 is not taken for a name).
 */
export function isHostName(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split(".");
  return (
    labels.every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)) &&
    !/^\d+$/.test(labels[labels.length - 1])
  );
}

/** Whether `address` lies inside `cidr` (a valid IPv4 CIDR). */
export function cidrContains(cidr: string, address: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4ToInt(address) / size) === Math.floor(ipv4ToInt(base) / size);
}

/** Ranges no host is ever on (RFC 6890), with what they are. */
const NEVER_A_HOST: [string, string][] = [
  ["0.0.0.0/8", "this network"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

/** Ranges no host on the internet is on: examples in documentation, never routed. */
const DOCUMENTATION: [string, string][] = [
  ["192.0.2.0/24", "documentation"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
];

/** Addresses a host may have inside some network, never as its address on the internet. */
const PRIVATE: [string, string][] = [
  ["10.0.0.0/8", "private"],
  ["172.16.0.0/12", "private"],
  ["192.168.0.0/16", "private"],
  ["100.64.0.0/10", "shared address space, carrier-grade NAT"],
  ["198.18.0.0/15", "benchmarking"],
  ["192.0.0.0/24", "IETF protocol assignments"],
];

function rangeOf(ranges: [string, string][], address: string): string | undefined {
  const range = ranges.find(([cidr]) => cidrContains(cidr, address));
  return range ? `is in ${range[0]} (${range[1]})` : undefined;
}

/** `localhost`, `localhost.` or a name under it (`localhost.localdomain`): the host itself, by name. */
export function isLocalhostName(name: string): boolean {
  return /^localhost(\.|$)/i.test(name);
}

/** Why no host can have `address` ("is in 127.0.0.0/8 (loopback)"), or undefined. */
export function notAHostAddress(address: string): string | undefined {
  if (address === "255.255.255.255") return "is the broadcast address";
  return rangeOf(NEVER_A_HOST, address);
}

/** Why `address` is not on the internet, the documentation ranges; undefined otherwise. */
export function documentationRange(address: string): string | undefined {
  return rangeOf(DOCUMENTATION, address);
}

/** Why `address` is a private one (RFC 1918, shared, benchmarking), or undefined. */
export function privateRange(address: string): string | undefined {
  return rangeOf(PRIVATE, address);
}

/**
 * Why `address` can never be a floating IP ("is the broadcast address"), or undefined: Jetstream2
 * hands out public addresses only (IU's 149.165.x.x, TACC's 129.114.x.x).
 */
export function notAFloatingIp(address: string): string | undefined {
  return notAHostAddress(address) ?? documentationRange(address) ?? privateRange(address);
}

/** Second-level domains reserved for documentation (RFC 2606): nobody owns them or reads their mail. */
const DOCUMENTATION_DOMAINS = ["example.com", "example.net", "example.org"];

/** Top-level names that never lead to a host on the internet, with what each is for. */
const RESERVED_TOP_LEVEL: Record<string, string> = {
  test: "reserved for testing (RFC 6761)",
  example: "reserved for documentation (RFC 6761)",
  invalid: "reserved as never existing (RFC 6761)",
  localhost: "the host itself (RFC 6761)",
  local: "multicast DNS on the local network (RFC 6762)",
  internal: "reserved for private networks",
};

/** The RFC 2606 documentation domain `name` is or lies under ("example.org"), or undefined. */
export function documentationDomain(name: string): string | undefined {
  const canonical = name.toLowerCase().replace(/\.$/, "");
  return DOCUMENTATION_DOMAINS.find((domain) => canonical === domain || canonical.endsWith(`.${domain}`));
}

/**
 * Why `name` is not a public DNS name a certificate authority could validate ("under .test,
 * reserved for testing (RFC 6761)"), or undefined for a name that may be public.
 */
export function notPublicDomain(name: string): string | undefined {
  const canonical = name.toLowerCase().replace(/\.$/, "");
  if (isIpv4(canonical)) return "an IP address, not a name";
  if (isLocalhostName(canonical)) return "this host itself (localhost)";
  const labels = canonical.split(".");
  if (labels.length === 1) return "a single-label name, not in public DNS";
  const documentation = documentationDomain(canonical);
  if (documentation !== undefined) {
    const where = canonical === documentation ? documentation : `under ${documentation}`;
    return `${where}, reserved for documentation (RFC 2606)`;
  }
  const top = labels[labels.length - 1];
  if (RESERVED_TOP_LEVEL[top] !== undefined) return `under .${top}, ${RESERVED_TOP_LEVEL[top]}`;
  if (canonical === "home.arpa" || canonical.endsWith(".home.arpa"))
    return "under home.arpa, reserved for home networks (RFC 8375)";
  return undefined;
}

/** "example.org" for "example.org." (a fully qualified name), when what is left is a host name; else undefined. */
export function withoutRootDot(name: string): string | undefined {
  const bare = name.slice(0, -1);
  return name.endsWith(".") && bare.includes(".") && isHostName(bare) ? bare : undefined;
}

export const SUBNET_CIDR_ALLOWED =
  "allowed: a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (like 10.0.0.0/24)";

/**
 * Why `cidr` cannot be the stack's subnet, or undefined. Servers send traffic for any address
 * of their subnet to the subnet itself: a public range would hide those hosts on the internet.
 */
export function subnetCidrProblem(cidr: string): string | undefined {
  const shown = JSON.stringify(cidr);
  if (!isIpv4Cidr(cidr)) return `${shown} is not an IPv4 CIDR (like 10.0.0.0/24)`;
  const [base, bits] = cidr.split("/");
  if (Number(bits) === 0) {
    return `${shown} covers every IPv4 address: the subnet would hide every host on the internet from its servers`;
  }
  const inside = PRIVATE.slice(0, 3).some(([range]) => {
    const rangeBits = Number(range.split("/")[1]);
    return Number(bits) >= rangeBits && cidrContains(range, base);
  });
  if (!inside) {
    return `${shown} is not a private range: the subnet would hide those hosts on the internet from its servers`;
  }
  // Whether it holds this stack's servers is counted where the instances are known (validate.ts).
  return undefined;
}

/** `8080`, or `8000-8090` for a range: how a rule's ports are written, in messages and in names. */
export function portRange(min: number, max: number | undefined): string {
  return max === undefined || min === max ? `${min}` : `${min}-${max}`;
}

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

/** Ranges no cloud hands out as a public address (RFC 6890), with what they are. */
const NOT_PUBLIC: [string, string][] = [
  ["0.0.0.0/8", "this network"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

/** Why `address` can never be a floating IP ("is the broadcast address"), or undefined. */
export function notAFloatingIp(address: string): string | undefined {
  if (address === "255.255.255.255") return "is the broadcast address";
  const range = NOT_PUBLIC.find(([cidr]) => cidrContains(cidr, address));
  return range ? `is in ${range[0]} (${range[1]})` : undefined;
}

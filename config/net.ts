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

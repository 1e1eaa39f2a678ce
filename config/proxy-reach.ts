/**
 * Whether the proxy can reach its target's service port through the target's security group:
 * a port the group does not open from where the proxy stands makes every request time out,
 * and nothing in the plan would show it.
 */
import { cidrContains } from "./net";
import type { SecurityRule } from "./types";

/** The tcp ports the rules open to a source `reaches` accepts, as written in messages: "22, 80, 8000-8100". */
export function openTcpPorts(rules: SecurityRule[], reaches: (from: string) => boolean): string[] {
  const open = rules.filter(
    (rule) => rule.protocol === "tcp" && rule.portMin !== undefined && reaches(rule.from),
  );
  const shown = open
    .sort((a, b) => (a.portMin ?? 0) - (b.portMin ?? 0))
    .map((rule) => (rule.portMin === rule.portMax ? `${rule.portMin}` : `${rule.portMin}-${rule.portMax}`));
  return [...new Set(shown)];
}

export function tcpPortOpen(
  rules: SecurityRule[],
  port: number,
  reaches: (from: string) => boolean,
): boolean {
  return rules.some(
    (rule) =>
      rule.protocol === "tcp" &&
      rule.portMin !== undefined &&
      rule.portMin <= port &&
      port <= (rule.portMax ?? rule.portMin) &&
      reaches(rule.from),
  );
}

/** Whether the rule source `from` covers every address of `cidr`. */
export function coversCidr(from: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const fromBits = Number(from.split("/")[1] ?? 32);
  return fromBits <= Number(bits) && cidrContains(from, base);
}

/** Whether the rule source `from` admits `address`. */
export function admitsAddress(from: string, address: string): boolean {
  return cidrContains(from.includes("/") ? from : `${from}/32`, address);
}

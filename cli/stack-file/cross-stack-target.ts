/**
 * A proxy target in another stack, `<stack>/<instance>`: the config module sees one file, so
 * whether that names an instance of the other stack, with the service port open to the proxy,
 * is checked here against the other stack's file. Every edit that sets the target or the port
 * asks (the edit flow), not only the proxy verb.
 */

import { readFileSync } from "node:fs";
import {
  isIpv4,
  listStacks,
  type StackConfig,
  splitStackConfig,
  stackFilePath,
  validateStackConfig,
} from "../../config";
import { admitsAddress, coversCidr, openTcpPorts, tcpPortOpen } from "../../config/proxy-reach";
import { openHttpPortsChoice } from "../../config/proxy-settings";
import { firstProblem, isProgrammingError } from "../error-report";

/** The proxy's public address when the stack states it (an adopted floating IP, or proxy.host). */
function proxyAddress(config: StackConfig): string | undefined {
  const host = config.proxy?.host;
  if (host?.kind === "external") return isIpv4(host.address) ? host.address : undefined;
  const instance = config.instances.find((i) => i.name === host?.name);
  return instance?.ip.kind === "adopt" ? instance.ip.address : undefined;
}

/** The other stack's security group must open the service port to the proxy, which comes over the internet. */
function portProblem(config: StackConfig, target: StackConfig, targetFile: string): string | undefined {
  const port = config.proxy?.port ?? 0;
  const address = proxyAddress(config);
  const reaches = address
    ? (from: string) => admitsAddress(from, address)
    : (from: string) => !coversCidr(target.network.cidr, from.includes("/") ? from : `${from}/32`);
  const rules = target.securityGroup.rules;
  if (tcpPortOpen(rules, port, reaches)) return undefined;
  const who = address ? `to the proxy (${address})` : "from outside its subnet";
  const open = openTcpPorts(rules, reaches);
  return `proxy.port: ${port} is not open ${who} in ${targetFile}'s security group (open to it: tcp ${open.join(", ") || "none"}); allowed: ${openHttpPortsChoice(open)}open ${port} there first (securityGroup.servicePort: ${port} in ${targetFile})`;
}

/**
 * Why a `<stack>/<instance>` target cannot be served, from the other stack's file: no such
 * instance, or its security group does not open the port to the proxy; undefined when it can
 * (or the target is not in another stack). Without this the program fails only when the proxy
 * looks the address up in that stack's outputs, and a closed port fails only at request time.
 */
export function crossStackTargetProblem(
  projectDir: string,
  stack: string,
  config: StackConfig,
): string | undefined {
  const target = config.proxy?.target;
  if (target?.kind !== "stack") return undefined;
  const written = `${target.stack}/${target.name}`;
  if (target.stack === stack) {
    return `proxy.target: ${written} is an instance of this stack; allowed: its name alone (${target.name})`;
  }
  const others = listStacks(projectDir).filter((other) => other !== stack);
  if (!others.includes(target.stack)) {
    return `proxy.target: no stack "${target.stack}" (no Pulumi.${target.stack}.yaml); allowed: ${others.join(", ") || "none"}`;
  }
  const fileName = `Pulumi.${target.stack}.yaml`;
  let text: string;
  try {
    text = readFileSync(stackFilePath(projectDir, target.stack), "utf8");
  } catch (error) {
    return `proxy.target: ${fileName} cannot be read (${(error as Error).message}), so ${written} cannot be looked up; allowed: a readable stack file`;
  }
  let other: StackConfig;
  try {
    other = validateStackConfig(splitStackConfig(text, fileName).project, target.stack);
  } catch (error) {
    if (isProgrammingError(error)) throw error;
    // Bad YAML or bad values: the first one here, all of them from its own `plan`.
    return `proxy.target: ${fileName} is not valid as it is (${firstProblem(error as Error, fileName)}), so ${written} cannot be looked up; fix it first (\`jetstream plan --stack ${target.stack}\`)`;
  }
  const known = other.instances.map((instance) => instance.name);
  if (!known.includes(target.name)) {
    return `proxy.target: ${written} is not an instance of stack ${target.stack} (known: ${known.join(", ") || "none"})`;
  }
  const instance = other.instances.find((candidate) => candidate.name === target.name);
  if (instance?.ip.kind === "none") {
    // Another cloud's instance is reached over the internet: its private address is another network's.
    return `proxy.target: ${written} has no ip: in ${fileName} (no public address), and the proxy reaches another stack's instance by its public address; allowed: an instance of ${fileName} with ip: assign or an address, or first add ip: assign to instances.${instance.key} there`;
  }
  return portProblem(config, other, `Pulumi.${target.stack}.yaml`);
}

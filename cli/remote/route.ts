/**
 * Where `ssh`, `visit` and `forget` go for an instance: its address from the stack's live
 * outputs (or `--address`), the user its image logs in with, and the proxy host as jump host
 * when the instance has only a private address. Pure: the caller reads the outputs.
 */
import { ipv4ToInt, isIpv4, normaliseInstanceName, type StackConfig } from "../../config";
import { loginUser } from "./login-user";

/** A refusal with the whole story in its message; the CLI prints it and exits 1. */
export class RemoteAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RemoteAccessError";
  }
}

export interface Endpoint {
  host: string;
  port: number;
  user: string;
}

export interface Route {
  /** The normalised instance name, `lappsgrid-galaxy`. */
  instance: string;
  target: Endpoint;
  /** The proxy host, when the target is reached through it. */
  jump?: Endpoint;
  /** The stack's proxy host instance (`lappsgrid-proxy`), the name `forget` knows the jump host by. */
  jumpName?: string;
}

/** What the program exports per instance under `instances` (index.ts). */
export interface LiveInstance {
  publicIp?: string;
  privateIp?: string;
}

export function liveInstances(outputs: Record<string, unknown> | undefined): Record<string, LiveInstance> {
  return (outputs?.instances ?? {}) as Record<string, LiveInstance>;
}

/** Whether an address lies in the stack's subnet: reachable only through the proxy host. */
function inSubnet(address: string, cidr: string): boolean {
  const [network, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4ToInt(address) / size) === Math.floor(ipv4ToInt(network) / size);
}

export const ADDRESS_ALLOWED = "allowed: [USER@]HOST[:PORT] (an IPv4 address or a host name, port 1-65535)";

/** `[USER@]HOST[:PORT]`, as `--address` and `--jump` take it. */
export function parseAddress(value: string, option: string): { host: string; port: number; user?: string } {
  const match = /^(?:([a-z_][a-z0-9_.-]*)@)?([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
  const port = Number(match?.[3] ?? 22);
  if (!match || port < 1 || port > 65535) {
    throw new RemoteAccessError(`${option}: ${JSON.stringify(value)} is not an address; ${ADDRESS_ALLOWED}`);
  }
  return { host: match[2], port, user: match[1] };
}

export interface RouteRequest {
  /** The stack's name, for the commands a message suggests. */
  stack: string;
  /** As the operator typed it: `galaxy` or `lappsgrid-galaxy`. */
  name: string;
  config: StackConfig;
  /** The stack's `instances` output; undefined when `--address` made reading it unnecessary. */
  live?: Record<string, LiveInstance>;
  address?: string;
  jump?: string;
  user?: string;
}

/** The stack file's entry for NAME; a NAME it lacks is refused, listing the instances it has. */
export function stackInstance(request: Pick<RouteRequest, "config" | "name" | "stack">) {
  const { config, name } = request;
  const instance = config.instances.find((entry) => entry.name === normaliseInstanceName(name));
  if (instance === undefined) {
    throw new RemoteAccessError(
      `NAME: no instance ${JSON.stringify(name)} in stack ${request.stack}; allowed: ${config.instances.map((entry) => entry.key).join(", ") || "none"}`,
    );
  }
  return instance;
}

/** The proxy host's public address and login user: the way into the private subnet. */
function jumpHost(request: RouteRequest): Endpoint {
  const { config } = request;
  const proxyHost = config.instances.find((instance) => instance.role === "proxy");
  const user = proxyHost ? loginUser(proxyHost.imageName) : loginUser("");
  if (request.jump !== undefined) {
    const given = parseAddress(request.jump, "--jump");
    return { host: given.host, port: given.port, user: given.user ?? user };
  }
  const host =
    config.proxy?.host.kind === "external"
      ? config.proxy.host.address
      : proxyHost
        ? (request.live?.[proxyHost.name]?.publicIp ??
          (proxyHost.ip.kind === "adopt" ? proxyHost.ip.address : undefined))
        : undefined;
  if (host === undefined) {
    throw new RemoteAccessError(
      `${normaliseInstanceName(request.name)} has only a private address and the stack has no proxy host with a public one to jump through; give the jump host with --jump HOST[:PORT]`,
    );
  }
  return { host, port: 22, user };
}

const proxyHostName = (request: RouteRequest): string | undefined =>
  request.config.instances.find((instance) => instance.role === "proxy")?.name;

export function planRoute(request: RouteRequest): Route {
  const instance = stackInstance(request);
  const user = request.user ?? loginUser(instance.imageName);
  if (request.address !== undefined) {
    const given = parseAddress(request.address, "--address");
    const isPrivate = isIpv4(given.host) && inSubnet(given.host, request.config.network.cidr);
    const jump = request.jump !== undefined || isPrivate ? jumpHost(request) : undefined;
    return {
      instance: instance.name,
      target: { host: given.host, port: given.port, user: request.user ?? given.user ?? user },
      ...(jump === undefined ? {} : { jump, jumpName: proxyHostName(request) }),
    };
  }
  const live = request.live?.[instance.name];
  if (live?.publicIp) return { instance: instance.name, target: { host: live.publicIp, port: 22, user } };
  if (live?.privateIp) {
    return {
      instance: instance.name,
      target: { host: live.privateIp, port: 22, user },
      jump: jumpHost(request),
      jumpName: proxyHostName(request),
    };
  }
  throw new RemoteAccessError(
    `${instance.name} has no address in the stack's outputs (not created yet, or created by an older program: run \`pulumi up --stack ${request.stack}\`); give it by hand with --address HOST[:PORT]`,
  );
}

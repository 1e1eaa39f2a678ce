/** The validated stack: plain objects, every default applied. Components take these. */
import type { Flavor, InstanceState, SizeName } from "./defaults";

export interface NetworkConfig {
  /** Undefined only for an adopted resource whose stack states no name. */
  name?: string;
  subnetName?: string;
  routerName?: string;
  cidr: string;
  dnsNameservers?: string[];
  externalNetwork: string;
  /** Reuse this router (one per project on Jetstream2): only the interface is created. */
  existingRouter?: string;
  import: { network?: string; subnet?: string; router?: string; routerInterface?: string };
}

export interface SecurityRule {
  /** Stable slug for the rule's resource name, derived from what the rule allows. */
  key: string;
  /** Undefined only for an adopted rule whose stack states none: the import sends none. */
  description?: string;
  protocol: "tcp" | "udp" | "icmp";
  portMin?: number;
  portMax?: number;
  from: string;
  /** OpenStack ID of this rule in an adopted group. */
  importId?: string;
}

export interface SecurityGroupConfig {
  name: string;
  importId?: string;
  rules: SecurityRule[];
}

export type KeypairConfig =
  | { kind: "managed"; name: string; publicKey: string }
  | { kind: "existing"; name: string };

export type PublicIp =
  | { kind: "none" }
  | { kind: "assign" }
  /** An address allocated earlier; adopted, and never released by this stack. */
  | { kind: "adopt"; address: string; importId?: string; description?: string };

export interface InstanceConfig {
  /** The key as written under `instances` in the stack file (for messages). */
  key: string;
  /** The normalised OpenStack server name, `lappsgrid-` prefixed. */
  name: string;
  size: SizeName;
  flavor: Flavor;
  imageAlias: string;
  imageName: string;
  ip: PublicIp;
  state: InstanceState;
  role: "proxy" | "service";
  userData?: string;
  acceptRebuild: boolean;
}

export type ProxyHost = { kind: "instance"; name: string } | { kind: "external"; address: string };

export type ProxyTarget =
  | { kind: "instance"; name: string }
  /** An instance of another stack, resolved through that stack's outputs. */
  | { kind: "stack"; stack: string; name: string }
  | { kind: "address"; address: string };

export interface HealthCheck {
  /** GET this path on the target's service port. */
  path: string;
  /** Accepted status codes as ranges, like "200-399" or "200-299,401". */
  statuses: string;
  tries: number;
  /** Seconds between tries. */
  intervalSeconds: number;
}

/** How the proxy's domain is served over HTTPS. */
export type ProxyTls =
  /** Plain HTTP only, as before HTTPS existed. */
  | { mode: "none"; hsts: false }
  /**
   * The proxy host obtains and renews its certificate from an ACME server (HTTP-01, webroot);
   * without `email`, the account is registered with no contact.
   */
  | { mode: "acme"; email?: string; directory: string; hsts: boolean }
  /** The stack's proxyTlsCertificate and proxyTlsKey secrets. */
  | { mode: "certificate"; hsts: boolean };

export interface ProxyConfig {
  domain: string;
  host: ProxyHost;
  mode: "online" | "offline";
  target?: ProxyTarget;
  port: number;
  offlineTitle: string;
  offlineMessage: string;
  /** When the site is expected back (ISO date or date-time as written), shown on the offline page. */
  offlineUntil?: string;
  /** The check the target must pass, from the proxy host, before the site switches to it. */
  health: HealthCheck;
  /** The proxy host's SSH host key, when the stack pins it. */
  hostKey?: string;
  tls: ProxyTls;
}

export interface StackConfig {
  cloud: string;
  network: NetworkConfig;
  securityGroup: SecurityGroupConfig;
  keypair: KeypairConfig;
  sizes: Record<SizeName, Flavor>;
  images: Record<string, string>;
  /** Sorted by name, so plans and outputs read the same on every run. */
  instances: InstanceConfig[];
  proxy?: ProxyConfig;
}

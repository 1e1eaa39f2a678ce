/**
 * Defaults a stack starts from. Every default of the project lives here, so a reader finds
 * what `size: medium` or an absent `securityGroup` means in one place.
 */

export const PROJECT = "lappsgrid-jetstream";

/**
 * Config namespaces a stack file may use: ours, the providers' and Pulumi's own. A typo in a
 * namespace (`lappsgrid-jetstrem:instances`) would otherwise hide the key from the program,
 * which would then plan to delete every instance.
 */
export const CONFIG_NAMESPACES = [PROJECT, "openstack", "command", "pulumi"];

/** The old script prefixed every instance name; operators still type the short form. */
export const INSTANCE_PREFIX = "lappsgrid-";

export const SIZE_NAMES = ["tiny", "small", "medium", "large", "xlarge"] as const;
export type SizeName = (typeof SIZE_NAMES)[number];

export interface Flavor {
  /** The OpenStack flavor name. */
  flavor: string;
  /** vCPUs of that flavor: the unit Jetstream2 charges service units on. */
  vcpus: number;
}

/** Jetstream2 `m3.*` flavors, matched to the old script's size names by name. */
export const DEFAULT_SIZES: Record<SizeName, Flavor> = {
  tiny: { flavor: "m3.tiny", vcpus: 1 },
  small: { flavor: "m3.small", vcpus: 2 },
  medium: { flavor: "m3.medium", vcpus: 8 },
  large: { flavor: "m3.large", vcpus: 16 },
  xlarge: { flavor: "m3.xl", vcpus: 32 },
};

/**
 * Image aliases every stack knows. Jetstream2 rebuilds its `Featured-*` images weekly; the
 * name stays, the ID behind it changes (see the instance component for how that is guarded).
 * `docker` and `master` were LAPPS-made images: a stack defines them under `images`.
 */
export const DEFAULT_IMAGES: Record<string, string> = {
  ubuntu: "Featured-Ubuntu24",
  centos: "Featured-RockyLinux9",
};

export const DEFAULT_SIZE: SizeName = "medium";
export const DEFAULT_IMAGE = "ubuntu";

export const INSTANCE_STATES = ["active", "stopped", "shelved"] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** An instance without `state:` runs. */
export const DEFAULT_STATE: InstanceState = "active";

/** An instance without `role:` is a service (the proxy host is the one marked `role: proxy`). */
export const DEFAULT_ROLE = "service" as const;

/** The provider knows only these power states; nova's "suspend" is not reachable through it. */
export const POWER_STATE: Record<InstanceState, string> = {
  active: "active",
  stopped: "shutoff",
  shelved: "shelved_offloaded",
};

/** Jetstream2 charges per vCPU-hour: active 100 %, stopped 50 %, shelved nothing. */
export const SU_RATE: Record<InstanceState, number> = {
  active: 1,
  stopped: 0.5,
  shelved: 0,
};

export const DEFAULT_NETWORK = {
  name: "lappsgrid-network",
  subnetName: "lappsgrid-subnet",
  routerName: "lappsgrid-router",
  cidr: "10.0.0.0/24",
  dnsNameservers: ["8.8.8.8", "8.8.4.4"],
  externalNetwork: "public",
};

export const DEFAULT_SECURITY_GROUP_NAME = "lappsgrid-secgroup";
export const DEFAULT_KEYPAIR_NAME = "lappsgrid-shared-key";
export const DEFAULT_SSH_FROM = ["0.0.0.0/0"];

export const DEFAULT_PROXY = {
  domain: "jetstream.lappsgrid.org",
  mode: "online" as const,
  /** The Galaxy service port, the old script's default. */
  port: 8080,
  offlineTitle: "LAPPS Grid on Jetstream is offline",
  offlineMessage:
    "This service has been taken offline to preserve resources. It will be back when it is needed; please try again later or write to the LAPPS Grid team.",
  /**
   * The health gate: GET / on the target, any 2xx or 3xx (Galaxy redirects to its login page),
   * 30 tries 10 s apart: a server still booting gets about five minutes to start answering.
   */
  health: { path: "/", statuses: "200-399", tries: 30, intervalSeconds: 10 },
};

/**
 * HTTPS on the proxy. Let's Encrypt production by default; its staging directory
 * (https://acme-staging-v02.api.letsencrypt.org/directory) or a test server can be named instead.
 * HSTS stays off unless asked for: browsers remember it, so a later return to plain HTTP would
 * lock visitors out.
 */
export const DEFAULT_PROXY_TLS = {
  acmeDirectory: "https://acme-v02.api.letsencrypt.org/directory",
  hsts: false,
};

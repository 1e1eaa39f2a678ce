/**
 * Builds `inventory/<stack>.yaml` from what the openstack CLI prints with `-f json`, so an
 * operator records a project without jq or hand-copying IDs. The folder holds:
 *
 *   flavors.json            openstack flavor list -f json
 *   external-networks.json  openstack network list --external -f json
 *   keypairs.json           openstack keypair list -f json   (as the user who runs pulumi up)
 *   quota.json              openstack quota show -f json     (optional: routers, default 1)
 *   images/*.json           openstack image show -f json ID  (one per image the stacks use)
 *   networks/*.json         openstack network show -f json NAME
 *   subnets/*.json          openstack subnet show -f json ID
 *   routers/*.json          openstack router show -f json NAME
 *   security-groups/*.json  openstack security group show -f json NAME
 *   floating-ips/*.json     openstack floating ip show -f json ADDRESS
 *   servers.json            openstack server list --long -f json
 *
 * The `show` outputs carry what the `list` ones leave out: creation dates, descriptions, tags,
 * a router's interfaces and a group's rules.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { unreadableFile } from "../../config/stack-file";
import { type Inventory, parseInventory } from "./inventory";

type Json = Record<string, unknown>;

class InventoryImportError extends Error {}

function readJson(dir: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(join(dir, file), "utf8");
  } catch (error) {
    const why =
      unreadableFile(error, "the output of an openstack command") ?? (error as Error).message.split("\n")[0];
    throw new InventoryImportError(`${file}: ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's words quote a cut of the text at the failing token; the first line shows what was saved.
    const first = text.trim().split("\n")[0].trim();
    const holds = first === "" ? "it is empty" : `it starts with ${JSON.stringify(first)}`;
    throw new InventoryImportError(
      `${file}: not JSON (${holds}); allowed: the output of the openstack command with -f json`,
    );
  }
}

/**
 * The command that writes each listing, in the README's order ("The inventory"). A listing left
 * out would read as "the project has none" and switch off the check it feeds (servers: the
 * second-Galaxy guard; floating IPs: the `ip:` check), so a missing one is refused; `[]` or an
 * empty folder says "none". quota.json is left out: without it the quota is one router, the
 * strictest.
 */
const LISTED_BY = {
  "flavors.json": "`openstack flavor list -f json > flavors.json`",
  "external-networks.json": "`openstack network list --external -f json > external-networks.json`",
  "keypairs.json": "`openstack keypair list -f json > keypairs.json` (as the user who runs pulumi up)",
  "images/": "`openstack image show -f json ID > images/ID.json`",
  "networks/": "`openstack network show -f json NAME > networks/NAME.json`",
  "subnets/": "`openstack subnet show -f json ID > subnets/ID.json`",
  "routers/": "`openstack router show -f json NAME > routers/NAME.json`",
  "security-groups/": "`openstack security group show -f json NAME > security-groups/NAME.json`",
  "floating-ips/": "`openstack floating ip show -f json ADDRESS > floating-ips/ADDRESS.json`",
  "servers.json": "`openstack server list --long -f json > servers.json`",
};

function refuseMissingListings(dir: string): void {
  for (const [listing, command] of Object.entries(LISTED_BY)) {
    const isFolder = listing.endsWith("/");
    const path = join(dir, listing.replace(/\/$/, ""));
    const found = existsSync(path) ? (statSync(path).isDirectory() ? "a folder" : "a file") : "missing";
    if (found === (isFolder ? "a folder" : "a file")) continue;
    const what =
      found === "missing"
        ? `missing in ${dir}`
        : `${found} in ${dir}, not ${isFolder ? "a folder" : "a file"}`;
    throw new InventoryImportError(
      isFolder
        ? `${listing}: ${what}; fill it with ${command} for each one in the project, ` +
            'or make it empty if there is none; README, "The inventory"'
        : `${listing}: ${what}; write it in that folder with ${command}; README, "The inventory"`,
    );
  }
}

function list(dir: string, file: string): Json[] {
  const value = readJson(dir, file);
  if (!Array.isArray(value)) {
    throw new InventoryImportError(`${file}: expected the JSON list a \`list -f json\` command prints`);
  }
  return value as Json[];
}

function shown(dir: string, folder: string): Json[] {
  return readdirSync(join(dir, folder))
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => readJson(dir, join(folder, file)) as Json);
}

const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const tags = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** `openstack quota show -f json`: a list of {Resource, Limit} in newer clients, a map in older. */
function routerQuota(dir: string): number {
  if (!existsSync(join(dir, "quota.json"))) return 1;
  const quota = readJson(dir, "quota.json");
  if (Array.isArray(quota)) {
    const row = (quota as Json[]).find((r) => r.Resource === "routers");
    return Number(row?.Limit ?? 1);
  }
  return Number((quota as Json).routers ?? 1);
}

function rulesOf(group: Json): Inventory["securityGroups"][number]["rules"] {
  const rules = Array.isArray(group.rules) ? (group.rules as Json[]) : [];
  // The stack manages ingress IPv4 rules; neutron's default egress rules are not its business.
  return rules
    .filter((rule) => rule.direction === "ingress" && rule.ethertype === "IPv4")
    .map((rule) => ({
      id: text(rule.id),
      description: text(rule.description),
      protocol: text(rule.protocol) as "tcp" | "udp" | "icmp",
      ...(rule.port_range_min === null || rule.port_range_min === undefined
        ? {}
        : { portMin: Number(rule.port_range_min), portMax: Number(rule.port_range_max) }),
      remoteIpPrefix: text(rule.remote_ip_prefix ?? "0.0.0.0/0"),
    }));
}

/**
 * A server's addresses: newer clients print `{"net": ["10.0.0.5", "149.165.157.82"]}`, older
 * ones `"net=10.0.0.5, 149.165.157.82; other=..."`.
 */
function addressesOf(networks: unknown): Record<string, string[]> {
  if (networks !== null && typeof networks === "object" && !Array.isArray(networks)) {
    return Object.fromEntries(
      Object.entries(networks as Json).map(([net, list]) => [
        net,
        Array.isArray(list) ? list.map(String) : [],
      ]),
    );
  }
  const entries = text(networks)
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.includes("="))
    .map((part) => {
      const [net, list] = part.split("=", 2);
      return [
        net.trim(),
        list
          .split(",")
          .map((a) => a.trim())
          .filter(Boolean),
      ];
    });
  return Object.fromEntries(entries);
}

/** A server's metadata (`Properties`): a map in newer clients, `k='v', k2='v2'` in older ones. */
function metadataOf(properties: unknown): Record<string, string> {
  if (properties !== null && typeof properties === "object" && !Array.isArray(properties)) {
    return Object.fromEntries(Object.entries(properties as Json).map(([k, v]) => [k, text(v)]));
  }
  return Object.fromEntries(
    [...text(properties).matchAll(/([^\s=,]+)='([^']*)'/g)].map((match) => [match[1], match[2]]),
  );
}

/** `openstack server list --long -f json`; the image ID column says "N/A (booted from volume)" for those. */
function serversOf(dir: string): Inventory["servers"] {
  return list(dir, "servers.json").map((s) => {
    const imageId = text(s["Image ID"]);
    return {
      name: text(s.Name),
      id: text(s.ID),
      status: text(s.Status),
      flavor: text(s["Flavor Name"] ?? s.Flavor),
      imageId: imageId.includes(" ") ? "" : imageId,
      addresses: addressesOf(s.Networks),
      metadata: metadataOf(s.Properties),
    };
  });
}

/** The inventory the folder's outputs describe, validated like a committed file. */
export function inventoryFromOpenstackJson(dir: string, cloud: string): Inventory {
  refuseMissingListings(dir);
  const subnets = shown(dir, "subnets").map((s) => ({
    name: text(s.name),
    id: text(s.id),
    networkId: text(s.network_id),
    cidr: text(s.cidr),
    description: text(s.description),
    tags: tags(s.tags),
  }));
  const cidrOf = new Map(subnets.map((s) => [s.id, s.cidr]));
  const inventory = {
    cloud,
    quotas: { routers: routerQuota(dir) },
    flavors: list(dir, "flavors.json").map((f) => ({
      name: text(f.Name),
      vcpus: Number(f.VCPUs),
      ramGb: Math.round((Number(f.RAM) / 1024) * 10) / 10,
    })),
    images: shown(dir, "images").map((i) => ({
      name: text(i.name),
      id: text(i.id),
      createdAt: text(i.created_at),
    })),
    externalNetworks: list(dir, "external-networks.json").map((n) => ({
      name: text(n.Name),
      id: text(n.ID),
    })),
    keypairs: list(dir, "keypairs.json").map((k) => ({ name: text(k.Name) })),
    networks: shown(dir, "networks").map((n) => ({
      name: text(n.name),
      id: text(n.id),
      description: text(n.description),
      tags: tags(n.tags),
    })),
    subnets,
    routers: shown(dir, "routers").map((r) => ({
      name: text(r.name),
      id: text(r.id),
      description: text(r.description),
      tags: tags(r.tags),
      // An interface on a subnet whose `show` is not in the folder has no known CIDR: left out.
      interfaces: (Array.isArray(r.interfaces_info) ? (r.interfaces_info as Json[]) : [])
        .filter((i) => cidrOf.has(text(i.subnet_id)))
        .map((i) => ({
          portId: text(i.port_id),
          subnetId: text(i.subnet_id),
          cidr: cidrOf.get(text(i.subnet_id)) ?? "",
        })),
    })),
    securityGroups: shown(dir, "security-groups").map((g) => ({
      name: text(g.name),
      id: text(g.id),
      description: text(g.description),
      tags: tags(g.tags),
      rules: rulesOf(g),
    })),
    floatingIps: shown(dir, "floating-ips").map((f) => ({
      address: text(f.floating_ip_address),
      id: text(f.id),
      description: text(f.description),
      tags: tags(f.tags),
    })),
    servers: serversOf(dir),
  };
  // The same schema as a committed file: a field the client did not print fails here, by name.
  return parseInventory(stringify(inventory), `inventory built from ${dir}`);
}

/** The header a first import writes: what the file is and where it comes from. */
export function generatedHeader(stack: string): string {
  return (
    `# What exists in the project of stack ${stack}, recorded by \`jetstream inventory import\` from the\n` +
    '# openstack CLI\'s JSON output (README, "The inventory"). Real IDs: refresh, never edit by hand.\n'
  );
}

/** `header`: the comment lines before the records; a refresh passes the file's own. */
export function renderInventory(
  inventory: Inventory,
  stack: string,
  header = generatedHeader(stack),
): string {
  return header + stringify(inventory);
}

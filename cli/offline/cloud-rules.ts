/**
 * What Jetstream2 refuses that the program cannot see for itself: unknown flavors, a second
 * router, a subnet overlapping one already on the router, an import whose inputs differ from
 * the object that exists. Each refusal names the resource, the reason (in the real error's
 * words) and the fix, on one line.
 */

import { MANAGED_MARK } from "../../components/existing";
import { ROLE_METADATA_KEY } from "../../components/instance";
import {
  IMPORT_DIFFERS,
  MORE_THAN_ONE_IMAGE,
  NO_RESULTS,
  noFlavor,
  overlappingSubnet,
  ROUTER_QUOTA,
} from "../../components/openstack-errors";
import { ipv4ToInt } from "../../config";
import type { Inventory } from "./inventory";

/** What a stack made on an earlier `up` carries this mark: the state has it, it is no second one. */
const isOurs = (description: string) => description.endsWith(MANAGED_MARK);

interface Request {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id?: string;
}

/** The image a name resolves to, as the provider's image data source picks it. */
export function findImage(inventory: Inventory, name: string, mostRecent: boolean) {
  const matches = inventory.images.filter((image) => image.name === name);
  if (matches.length === 0) throw new Error(NO_RESULTS);
  if (matches.length > 1 && !mostRecent) throw new Error(MORE_THAN_ONE_IMAGE);
  return [...matches].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

function cidrRange(cidr: string): [number, number] {
  const [address, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = ipv4ToInt(address);
  return [start, start + size - 1];
}

function overlaps(a: string, b: string): boolean {
  const [aStart, aEnd] = cidrRange(a);
  const [bStart, bEnd] = cidrRange(b);
  return aStart <= bEnd && bStart <= aEnd;
}

/** Fields the provider keeps Optional and not Computed, per resource type: an import must match them. */
const IMPORT_COMPARED: Record<string, { fields: string[]; find: (inv: Inventory, id: string) => unknown }> = {
  "openstack:networking/network:Network": {
    fields: ["description", "tags"],
    find: (inv, id) => inv.networks.find((n) => n.id === id),
  },
  "openstack:networking/subnet:Subnet": {
    fields: ["description", "tags"],
    find: (inv, id) => inv.subnets.find((s) => s.id === id),
  },
  "openstack:networking/router:Router": {
    fields: ["description", "tags"],
    find: (inv, id) => inv.routers.find((r) => r.id === id),
  },
  "openstack:networking/secGroup:SecGroup": {
    fields: ["tags"],
    find: (inv, id) => inv.securityGroups.find((g) => g.id === id),
  },
  "openstack:networking/secGroupRule:SecGroupRule": {
    fields: ["description"],
    find: (inv, id) => inv.securityGroups.flatMap((g) => g.rules).find((r) => r.id === id),
  },
  "openstack:networking/floatingIp:FloatingIp": {
    fields: ["description", "tags"],
    find: (inv, id) => inv.floatingIps.find((f) => f.id === id),
  },
};

function importDifference(inventory: Inventory, request: Request): string | undefined {
  const compared = IMPORT_COMPARED[request.type];
  if (compared === undefined || request.id === undefined) return undefined;
  const existing = compared.find(inventory, request.id) as Record<string, unknown> | undefined;
  // An ID the inventory does not record cannot be checked here; the real import will.
  if (existing === undefined) return undefined;
  for (const field of compared.fields) {
    const empty = field === "tags" ? [] : "";
    const sent = request.inputs[field] ?? empty;
    const held = existing[field] ?? empty;
    if (JSON.stringify(sent) !== JSON.stringify(held)) {
      return (
        `${request.name}: ${IMPORT_DIFFERS}: ${field} is ${JSON.stringify(held)} in the cloud, the program sends ${JSON.stringify(sent)}; ` +
        `fix: state it in the stack file exactly as the cloud has it${field === "description" ? ' (an empty one: description: "")' : ""}`
      );
    }
  }
  return undefined;
}

function flavorRefusal(inventory: Inventory, request: Request): string | undefined {
  const flavor = String(request.inputs.flavorName ?? "");
  if (inventory.flavors.some((f) => f.name === flavor)) return undefined;
  return (
    `${request.name}: ${noFlavor(flavor)} on ${inventory.cloud}; ` +
    `fix: under sizes, a flavor the cloud has (${inventory.flavors.map((f) => f.name).join(", ")})`
  );
}

function routerQuotaRefusal(inventory: Inventory, request: Request): string | undefined {
  if (request.id) return undefined;
  if (inventory.routers.some((r) => r.name === request.inputs.name && isOurs(r.description)))
    return undefined;
  if (inventory.routers.length < inventory.quotas.routers) return undefined;
  const existing = inventory.routers[0];
  return (
    `${request.name}: ${ROUTER_QUOTA} ${inventory.cloud} allows ${inventory.quotas.routers} router(s) per project and has ${existing.name} (${existing.id}); ` +
    `fix: reuse it with network.existingRouter: ${existing.name}, or adopt it with network.import.router: ${existing.id}`
  );
}

function interfaceRefusal(
  inventory: Inventory,
  request: Request,
  createdSubnets: Map<string, string>,
): string | undefined {
  if (request.id) return undefined;
  const router = inventory.routers.find((r) => r.id === request.inputs.routerId);
  const subnetId = String(request.inputs.subnetId ?? "");
  const cidr = createdSubnets.get(subnetId) ?? inventory.subnets.find((s) => s.id === subnetId)?.cidr;
  if (router === undefined || cidr === undefined) return undefined;
  const ourSubnets = new Set(inventory.subnets.filter((s) => isOurs(s.description)).map((s) => s.id));
  const clash = router.interfaces.find(
    (i) => i.subnetId !== subnetId && !ourSubnets.has(i.subnetId) && overlaps(i.cidr, cidr),
  );
  if (clash === undefined) return undefined;
  return (
    `${request.name}: ${overlappingSubnet(cidr, subnetId, clash.cidr, clash.subnetId)} ` +
    `fix: network.cidr: a range that does not overlap ${clash.cidr} on router ${router.name}`
  );
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

function privateAddressOf(server: Inventory["servers"][number]): string | undefined {
  return Object.values(server.addresses)
    .flat()
    .find((address) => PRIVATE_RANGES.some((range) => overlaps(`${address}/32`, range)));
}

/**
 * Nova lets two servers share a name, so nothing in the cloud refuses a stack that declares a
 * server the project already runs: the first `up` would build a second, empty one. The provider
 * (v1.54.1) has no data source that finds a server by name, so `pulumi preview` cannot see this;
 * the inventory can. A server this stack made carries its role in nova metadata.
 *
 * Why not adopt it by ID, as networks are: read in terraform-provider-openstack v1.54.1
 * (resource_openstack_compute_instance_v2.go) and the Pulumi engine (pkg/resource/deploy):
 * - the import reads `metadata` (Optional, not Computed) exactly as nova has it, and never reads
 *   `user_data` back (ForceNew; only its hash is kept at create), so the program's inputs differ;
 * - `network` is ForceNew and the import reads the port nova made when the script booted the
 *   server with a network ID; the program boots on a port of its own, so adopting the server
 *   means adopting that port too, with its name, fixed IPs and groups;
 * - Pulumi CLIs before 3.174 (ImportStep.Apply) fail `up` on any difference left after
 *   ignoreChanges (metadata, stopBeforeDestroy, the port) and only warn in preview; from 3.174
 *   (#19339) the import reads, then updates what differs in place and refuses on `up` a
 *   difference that would replace the server. Which CLI an operator runs is not in this
 *   repository, so whether an adoption succeeds could not be known here.
 * So the stack refuses instead, and the fix keeps the hand-made server running untouched.
 */
function serverNameRefusal(
  inventory: Inventory,
  request: Request,
  instanceKeys: ReadonlyMap<string, string>,
): string | undefined {
  if (request.id) return undefined;
  const name = String(request.inputs.name ?? "");
  const existing = inventory.servers.find(
    (server) => server.name === name && server.metadata[ROLE_METADATA_KEY] === undefined,
  );
  if (existing === undefined) return undefined;
  const key = `instances.${instanceKeys.get(name) ?? name}`;
  const address = privateAddressOf(existing);
  const facts = [existing.status, existing.flavor, address && `private address ${address}`].filter(Boolean);
  return (
    `${key}: a server named ${name} already exists in this project (${existing.id}: ${facts.join(", ")}) and this stack did not make it; ` +
    "nova allows two servers of one name, so `pulumi up` would build a second one next to it, and a server cannot be adopted " +
    '(README, "First-time setup"); ' +
    `fix: leave ${key} out of the stack file (the server keeps running, unmanaged${address ? `; proxy.target can name its private address ${address}` : ""}), ` +
    `or rename the old one first if the stack's is to replace it (\`openstack server set --name ${name}-old ${name}\`), or give the stack's another name`
  );
}

/** Why the cloud would refuse this registration, or undefined when it would not. */
export function refusalOf(
  inventory: Inventory,
  request: Request,
  createdSubnets: Map<string, string>,
  instanceKeys: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  const difference = importDifference(inventory, request);
  if (difference !== undefined) return difference;
  switch (request.type) {
    case "openstack:compute/instance:Instance":
      return serverNameRefusal(inventory, request, instanceKeys) ?? flavorRefusal(inventory, request);
    case "openstack:networking/router:Router":
      return routerQuotaRefusal(inventory, request);
    case "openstack:networking/routerInterface:RouterInterface":
      return interfaceRefusal(inventory, request, createdSubnets);
    default:
      return undefined;
  }
}

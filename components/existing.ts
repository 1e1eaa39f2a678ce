/**
 * What the project already holds, asked of the cloud before anything is created. Neutron lets
 * two networks, routers or security groups share a name, so a first `pulumi up` on a project
 * made by hand would quietly make a second of each (and Jetstream2 allows one router): the
 * program refuses, during `pulumi preview`, to create what exists unless the stack adopts it,
 * and names the key and ID to add. A keypair is per user and per cloud: a missing one fails
 * here, not at the server's create after the network was made.
 */
import * as openstack from "@pulumi/openstack";
import type { KeypairConfig, NetworkConfig, SecurityGroupConfig } from "../config";
import { NO_RESULTS, NO_ROUTER, noSecurityGroup, providerWords } from "./openstack-errors";

/**
 * Ends the description of every network, subnet, router and security group this stack creates
 * (never of an adopted one: an import must match what exists). On the next run the lookup finds
 * the stack's own object by name: the mark says it is ours, not one made by hand.
 */
export const MANAGED_MARK = "(managed by Pulumi)";

function isOurs(description: string | undefined): boolean {
  return (description ?? "").endsWith(MANAGED_MARK);
}

/**
 * The ID of an object by that name this stack did not create, or undefined when there is none
 * (the provider answered "nothing by that name", or the one found carries our mark).
 */
async function foreignId(
  lookup: () => Promise<{ id: string; description?: string }>,
  nothingFound: string,
): Promise<string | undefined> {
  try {
    const found = await lookup();
    return isOurs(found.description) ? undefined : found.id;
  } catch (error) {
    if (error instanceof Error && error.message.includes(nothingFound)) return undefined;
    throw error;
  }
}

export const MANAGED_NETWORK_DESCRIPTION = `LAPPS Grid private network ${MANAGED_MARK}`;
export const MANAGED_SUBNET_DESCRIPTION = `LAPPS Grid instances' subnet ${MANAGED_MARK}`;
export const MANAGED_ROUTER_DESCRIPTION = `LAPPS Grid router ${MANAGED_MARK}`;
export const MANAGED_SECURITY_GROUP_DESCRIPTION = `LAPPS Grid instances ${MANAGED_MARK}`;

function refuse(message: string): never {
  throw new Error(message);
}

/** Refuses a network, subnet or router the project holds already and the stack does not adopt. */
export async function refuseUnadoptedNetwork(network: NetworkConfig): Promise<void> {
  const adopted = network.import;
  const name = network.name;
  if (adopted.network === undefined && name !== undefined) {
    const id = await foreignId(() => openstack.networking.getNetwork({ name }), NO_RESULTS);
    if (id !== undefined) {
      refuse(
        `network.name: a network named ${name} already exists in this project (${id}); adopt it: add network.import.network: ${id} (with its subnet, router and interface) to the stack file, or choose another network.name`,
      );
    }
  }
  if (adopted.network !== undefined && adopted.subnet === undefined) {
    const onNetwork = { networkId: adopted.network, cidr: network.cidr };
    const [all, ours] = await Promise.all([
      openstack.networking.getSubnetIdsV2(onNetwork),
      // The data source filters by exact description only: the stack's own subnet is asked for apart.
      openstack.networking.getSubnetIdsV2({ ...onNetwork, description: MANAGED_SUBNET_DESCRIPTION }),
    ]);
    const handMade = all.ids.filter((id) => !ours.ids.includes(id));
    if (handMade.length > 0) {
      refuse(
        `network.import.subnet: network ${adopted.network} already has subnet ${handMade[0]} with cidr ${network.cidr}; adopt it: add network.import.subnet: ${handMade[0]} to the stack file`,
      );
    }
  }
  const routerName = network.routerName;
  if (network.existingRouter === undefined && adopted.router === undefined && routerName !== undefined) {
    const id = await foreignId(() => openstack.networking.getRouter({ name: routerName }), NO_ROUTER);
    if (id !== undefined) {
      refuse(
        `network.routerName: a router named ${routerName} already exists in this project (${id}); adopt it: add network.import.router: ${id} to the stack file, or reuse it with network.existingRouter: ${routerName}`,
      );
    }
  }
}

/** Refuses a security group the project holds already; checks that the keypair exists for this user. */
export async function refuseUnadoptedAccess(
  group: SecurityGroupConfig,
  keypair: KeypairConfig,
): Promise<void> {
  if (group.importId === undefined) {
    const id = await foreignId(
      () => openstack.networking.getSecGroup({ name: group.name }),
      noSecurityGroup(group.name),
    );
    if (id !== undefined) {
      refuse(
        `securityGroup.name: a security group named ${group.name} already exists in this project (${id}); adopt it: add securityGroup.importId: ${id} and its rules (each with its importId) to the stack file, or choose another securityGroup.name`,
      );
    }
  }
  if (keypair.kind === "existing") {
    try {
      await openstack.compute.getKeypair({ name: keypair.name });
    } catch (error) {
      refuse(
        `keypair.name: no keypair ${keypair.name} for this credential's user on this cloud (${providerWords(error)}); keypairs belong to a user: create it as that user with \`openstack keypair create --public-key KEY.pub ${keypair.name}\`, or set keypair.publicKey`,
      );
    }
  }
}

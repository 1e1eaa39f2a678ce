/**
 * A stand-in for the OpenStack cloud during an offline evaluation: it answers the engine's
 * resource registrations and data-source calls from the stack's inventory (what exists in the
 * project), refuses what Jetstream2 refuses in the real error's words, and makes up values
 * shaped like real ones for what would be created (UUIDs, addresses from the stack's subnet,
 * floating IPs from the documentation range 192.0.2.0/24), remembering each so printers can
 * mark them as mock-made.
 */
import { createHash } from "node:crypto";
import { NO_RESULTS, NO_ROUTER, noKeypair, noSecurityGroup } from "../../components/openstack-errors";
import { intToIpv4, ipv4ToInt } from "../../config";
import { findImage, refusalOf } from "./cloud-rules";
import type { Inventory } from "./inventory";

export interface MockResourceRequest {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id?: string;
}

/** Documentation range (RFC 5737): looks like a public address, can never be one. */
const MOCK_FLOATING_IP_BASE = ipv4ToInt("192.0.2.0");

/** A UUID derived from what it names, so two runs of the same stack agree. */
export function mockUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class MockCloud {
  readonly madeUp = new Set<string>();
  private nextPrivateHost = 10;
  private nextFloatingHost = 10;
  private readonly subnetBase: number;
  /** Subnets registered in this evaluation, by ID: a router interface needs their CIDR. */
  private readonly createdSubnets = new Map<string, string>();
  /**
   * Addresses a made-up one must never be: what the project's servers and floating IPs hold and
   * what the stack file writes out. Handing one out would show a literal of the stack file as
   * made up, and a port taking the address of a server the proxy targets as a change to the site.
   */
  private readonly taken: Set<string>;

  /**
   * @param subnetCidr private addresses are handed out from here, as Neutron would
   * @param otherStackOutputs outputs of another stack by its name, for StackReference targets
   * @param inventory what exists in the project; absent, lookups find only external networks,
   *   keypairs and images (made up) and nothing is refused
   * @param instanceKeys the stack file's key under `instances` of each server name, for refusals
   * @param stackAddresses addresses the stack file writes out (a proxy target, adopted floating IPs)
   */
  constructor(
    subnetCidr: string,
    private readonly otherStackOutputs: (stack: string) => Record<string, unknown> = () => ({}),
    private readonly inventory?: Inventory,
    private readonly instanceKeys: ReadonlyMap<string, string> = new Map(),
    stackAddresses: Iterable<string> = [],
  ) {
    this.subnetBase = ipv4ToInt(subnetCidr.split("/")[0]);
    this.taken = new Set([
      ...stackAddresses,
      ...(inventory?.servers ?? []).flatMap((server) => Object.values(server.addresses).flat()),
      ...(inventory?.floatingIps ?? []).map((ip) => ip.address),
    ]);
  }

  private remember(value: string): string {
    this.madeUp.add(value);
    return value;
  }

  uuid(seed: string): string {
    return this.remember(mockUuid(seed));
  }

  privateIp(): string {
    let address = intToIpv4(this.subnetBase + this.nextPrivateHost++);
    while (this.taken.has(address)) address = intToIpv4(this.subnetBase + this.nextPrivateHost++);
    return this.remember(address);
  }

  floatingIp(): string {
    let address = intToIpv4(MOCK_FLOATING_IP_BASE + this.nextFloatingHost++);
    while (this.taken.has(address)) address = intToIpv4(MOCK_FLOATING_IP_BASE + this.nextFloatingHost++);
    return this.remember(address);
  }

  newResource(request: MockResourceRequest): { id: string; state: Record<string, unknown> } {
    const { type, name, inputs } = request;
    if (this.inventory) {
      const refusal = refusalOf(this.inventory, request, this.createdSubnets, this.instanceKeys);
      if (refusal !== undefined) throw new Error(refusal);
    }
    // An adopted resource keeps the ID it was imported with: that one is real.
    const id = request.id ? request.id : this.uuid(`${type}::${name}`);
    switch (type) {
      case "openstack:networking/subnet:Subnet":
        this.createdSubnets.set(id, String(inputs.cidr));
        return { id, state: inputs };
      case "openstack:networking/port:Port":
        return { id, state: { ...inputs, allFixedIps: [this.privateIp()] } };
      case "openstack:networking/floatingIp:FloatingIp":
        return { id, state: { ...inputs, address: inputs.address ?? this.floatingIp() } };
      case "openstack:compute/keypair:Keypair":
        return { id: String(inputs.name), state: inputs };
      case "pulumi:pulumi:StackReference": {
        const stackName = String(inputs.name).split("/").pop() ?? "";
        return { id: String(inputs.name), state: { ...inputs, outputs: this.otherStackOutputs(stackName) } };
      }
      default:
        return { id, state: inputs };
    }
  }

  /**
   * Data sources the program reads; any other call is a program change the mock must learn.
   * A failed lookup reaches the program as the engine delivers it: a gRPC error whose details
   * carry the provider's words (the mock runtime reads only `details`).
   */
  call(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    try {
      return this.lookup(token, inputs);
    } catch (error) {
      const details = `invoking ${token}: ${(error as Error).message}`;
      throw Object.assign(new Error(details), { details });
    }
  }

  private lookup(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const inventory = this.inventory;
    const name = String(inputs.name ?? "");
    switch (token) {
      case "openstack:networking/getNetwork:getNetwork": {
        if (inventory === undefined) {
          if (inputs.external !== true) throw new Error(NO_RESULTS);
          return { ...inputs, id: this.uuid(`network::${name}`) };
        }
        const external = inventory.externalNetworks.filter((n) => n.name === name);
        const candidates =
          inputs.external === true
            ? external
            : [...external, ...inventory.networks.filter((n) => n.name === name)];
        if (candidates.length === 0) throw new Error(NO_RESULTS);
        return {
          ...inputs,
          id: candidates[0].id,
          description: "description" in candidates[0] ? candidates[0].description : "",
        };
      }
      case "openstack:networking/getSubnetIdsV2:getSubnetIdsV2": {
        const ids = (inventory?.subnets ?? [])
          .filter(
            (s) =>
              (inputs.name === undefined || s.name === inputs.name) &&
              (inputs.networkId === undefined || s.networkId === inputs.networkId) &&
              (inputs.cidr === undefined || s.cidr === inputs.cidr) &&
              (inputs.description === undefined || s.description === inputs.description),
          )
          .map((s) => s.id);
        return { ...inputs, id: this.uuid(`subnet-ids::${JSON.stringify(inputs)}`), ids };
      }
      case "openstack:networking/getRouter:getRouter": {
        if (inventory === undefined) return { ...inputs, id: this.uuid(`router::${name}`) };
        const router = inventory.routers.find((r) => r.name === name);
        if (router === undefined) throw new Error(NO_ROUTER);
        return { ...inputs, id: router.id, description: router.description };
      }
      case "openstack:networking/getSecGroup:getSecGroup": {
        const group = inventory?.securityGroups.find((g) => g.name === name);
        if (group === undefined) throw new Error(noSecurityGroup(name));
        return { ...inputs, id: group.id, description: group.description };
      }
      case "openstack:compute/getKeypair:getKeypair": {
        if (inventory !== undefined && !inventory.keypairs.some((k) => k.name === name)) {
          throw new Error(noKeypair(name));
        }
        return { ...inputs, id: name };
      }
      case "openstack:images/getImage:getImage": {
        if (inventory === undefined) return { ...inputs, id: this.uuid(`image::${name}`) };
        return { ...inputs, id: findImage(inventory, name, inputs.mostRecent === true).id };
      }
      default:
        throw new Error(`offline evaluation does not know the data source ${token}`);
    }
  }
}

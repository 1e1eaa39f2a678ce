/**
 * The private network every LAPPS instance lives on: what the operator page did by hand with
 * `neutron net-create`, `subnet-create`, `router-create`, `router-gateway-set` and
 * `router-interface-add`.
 */
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../config";
import { adoptOptions } from "./adopt";
import {
  MANAGED_NETWORK_DESCRIPTION,
  MANAGED_ROUTER_DESCRIPTION,
  MANAGED_SUBNET_DESCRIPTION,
  refuseUnadoptedNetwork,
} from "./existing";
import { explainLookup } from "./openstack-errors";

export interface NetworkArgs {
  /** Validated `network` block of the stack; defaults already applied. */
  readonly network: NetworkConfig;
}

export class Network extends pulumi.ComponentResource {
  public readonly networkId: pulumi.Output<string>;
  public readonly subnetId: pulumi.Output<string>;
  public readonly routerId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lappsgrid:jetstream:Network", name, {}, opts);
    const { network } = args;
    // Nothing registers before the project is known not to hold it already (`pulumi preview`
    // runs these lookups): the subnet and interface wait on the network and router.
    const nothingUnadopted = refuseUnadoptedNetwork(network).then(() => []);

    const privateNetwork = new openstack.networking.Network(
      `${name}-network`,
      {
        name: network.name,
        adminStateUp: true,
        // Marks what this stack made, for the next run's lookup; an adopted network keeps its own.
        ...(network.import.network === undefined && { description: MANAGED_NETWORK_DESCRIPTION }),
      },
      { ...adoptOptions(this, network.import.network), dependsOn: nothingUnadopted },
    );

    const subnet = new openstack.networking.Subnet(
      `${name}-subnet`,
      {
        name: network.subnetName,
        networkId: privateNetwork.id,
        cidr: network.cidr,
        ipVersion: 4,
        dnsNameservers: network.dnsNameservers,
        ...(network.import.subnet === undefined && { description: MANAGED_SUBNET_DESCRIPTION }),
      },
      adoptOptions(this, network.import.subnet),
    );

    const externalNetwork = pulumi.output(
      explainLookup(
        openstack.networking.getNetwork({ name: network.externalNetwork, external: true }, { parent: this }),
        (words) =>
          `network.externalNetwork: no external network named ${network.externalNetwork} on this cloud (the provider: ${words}); allowed: a name \`openstack network list --external\` shows (public on Jetstream2)`,
      ),
    );

    // Jetstream2 allows one router per project; the web UI may have made it already.
    const routerId =
      network.existingRouter === undefined
        ? new openstack.networking.Router(
            `${name}-router`,
            {
              name: network.routerName,
              adminStateUp: true,
              externalNetworkId: externalNetwork.id,
              ...(network.import.router === undefined && { description: MANAGED_ROUTER_DESCRIPTION }),
            },
            { ...adoptOptions(this, network.import.router), dependsOn: nothingUnadopted },
          ).id
        : openstack.networking.getRouterOutput({ name: network.existingRouter }, { parent: this }).id;

    new openstack.networking.RouterInterface(
      `${name}-router-interface`,
      { routerId, subnetId: subnet.id },
      adoptOptions(this, network.import.routerInterface),
    );

    this.networkId = privateNetwork.id;
    this.subnetId = subnet.id;
    this.routerId = routerId;
    this.registerOutputs({ networkId: this.networkId, subnetId: this.subnetId, routerId: this.routerId });
  }
}

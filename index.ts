/**
 * The LAPPS Grid on one Jetstream2 cloud: the network the operator page built by hand, the
 * security group and key every instance boots with, the instances, and the public proxy.
 * Each stack (`Pulumi.iu.yaml`, `Pulumi.tacc.yaml`) declares one cloud.
 */
import { Access } from "./components/access";
import { Instance } from "./components/instance";
import { Network } from "./components/network";
import { stackSuBurn } from "./config";
import { loadStackConfig } from "./config/program";

const stack = loadStackConfig();

// neutron net-create / subnet-create / router-create / router-gateway-set / router-interface-add
const network = new Network("lappsgrid", { network: stack.network });

// lappsgrid-secgroup and lappsgrid-shared-key
const access = new Access("lappsgrid", { securityGroup: stack.securityGroup, keypair: stack.keypair });

// jetstream launch / suspend / resume / stop / start / delete
const instanceComponents = stack.instances.map(
  (instance) =>
    new Instance(
      instance.name,
      {
        instance,
        networkId: network.networkId,
        subnetId: network.subnetId,
        securityGroupId: access.securityGroupId,
        keypairName: access.keypairName,
        externalNetwork: stack.network.externalNetwork,
      },
      // A floating IP can only be attached once the subnet reaches the router.
      { dependsOn: [network] },
    ),
);

const suBurn = stackSuBurn(stack.instances);

export const cloud = stack.cloud;
export const networkId = network.networkId;
export const subnetId = network.subnetId;
export const routerId = network.routerId;
export const instances = Object.fromEntries(
  stack.instances.map((instance, index) => {
    const component = instanceComponents[index];
    return [
      instance.name,
      {
        name: instance.name,
        size: instance.size,
        flavor: instance.flavor.flavor,
        state: instance.state,
        privateIp: component.privateIp,
        publicIp: component.publicIp,
        suPerHour: component.suPerHour,
      },
    ];
  }),
);
export const suPerHour = suBurn.perHour;
export const suPerDay = suBurn.perDay;

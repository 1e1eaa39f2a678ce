/**
 * The LAPPS Grid on one Jetstream2 cloud: the network the operator page built by hand, the
 * security group and key every instance boots with, the instances, and the public proxy.
 * Each stack (`Pulumi.iu.yaml`, `Pulumi.tacc.yaml`) declares one cloud.
 */

import * as pulumi from "@pulumi/pulumi";
import { Access } from "./components/access";
import { Instance } from "./components/instance";
import { Network } from "./components/network";
import { Proxy as ProxyComponent, renderProxyHostUserData } from "./components/proxy";
import { type InstanceConfig, type ProxyConfig, stackSuBurn, suBurnPerHour } from "./config";
import { loadStackConfig, requireProxySshKey, requireProxyTlsCertificate } from "./config/program";
import { proxyTlsWarnings } from "./config/proxy-tls";

const stack = loadStackConfig();
// Valid, but worth knowing before `up`: `pulumi preview` and `jetstream plan` both show these.
for (const warning of proxyTlsWarnings(stack)) pulumi.log.warn(warning);

// neutron net-create / subnet-create / router-create / router-gateway-set / router-interface-add
const network = new Network("lappsgrid", { network: stack.network });

// lappsgrid-secgroup and lappsgrid-shared-key
const access = new Access("lappsgrid", { securityGroup: stack.securityGroup, keypair: stack.keypair });

// jetstream launch / suspend / resume / stop / start / delete
function declareInstance(instance: InstanceConfig, runAfter: pulumi.Resource[] = []): Instance {
  return new Instance(
    instance.name,
    {
      instance,
      networkId: network.networkId,
      subnetId: network.subnetId,
      securityGroupId: access.securityGroupId,
      keypairName: access.keypairName,
      externalNetwork: stack.network.externalNetwork,
      // The proxy host boots into nginx serving the offline page; mode and target come later,
      // over SSH, so they never touch its user data (a change there replaces the server).
      userData: instance.role === "proxy" ? renderProxyHostUserData() : undefined,
      runAfter,
    },
    // A floating IP can only be attached once the subnet reaches the router, and a server
    // boots only with its keypair and security group in place.
    { dependsOn: [network, access] },
  );
}
const instanceComponents = new Map<string, Instance>();
// Active servers first: the proxy host and an online target are active (config validation).
for (const instance of stack.instances.filter((i) => i.state === "active")) {
  instanceComponents.set(instance.name, declareInstance(instance));
}

// jetstream proxy / online / offline: what jetstream.lappsgrid.org serves
function declarePublicProxy(proxy: ProxyConfig): ProxyComponent {
  const managedHost = proxy.host.kind === "instance" ? instanceComponents.get(proxy.host.name) : undefined;
  const target = proxy.mode === "online" ? proxy.target : undefined;
  return new ProxyComponent("public-proxy", {
    proxy,
    // Config validation requires a public address on the proxy host.
    hostAddress: proxy.host.kind === "external" ? proxy.host.address : managedHost!.requirePublicIp(),
    hostServer: managedHost?.server,
    // The proxy host shares the subnet with this stack's instances: their private address.
    targetAddress: target?.kind === "instance" ? instanceComponents.get(target.name)!.privateIp : undefined,
    // Offline, the site forwards to nobody: it must not wait for the server it used to forward to.
    targetServer: target?.kind === "instance" ? instanceComponents.get(target.name)!.server : undefined,
    sshPrivateKey: requireProxySshKey(),
    tlsCertificate: proxy.tls.mode === "certificate" ? requireProxyTlsCertificate() : undefined,
  });
}
const publicProxyComponent = stack.proxy && declarePublicProxy(stack.proxy);

// Stopped and shelved servers go down only after the site has switched away from them: taking
// the site offline and shelving its old target in one `pulumi up` never leaves
// jetstream.lappsgrid.org forwarding to a server on its way down.
for (const instance of stack.instances.filter((i) => i.state !== "active")) {
  instanceComponents.set(
    instance.name,
    declareInstance(instance, publicProxyComponent ? [publicProxyComponent.site] : []),
  );
}

const suBurn = stackSuBurn(stack.instances);

export const cloud = stack.cloud;
export const networkId = network.networkId;
export const subnetId = network.subnetId;
export const routerId = network.routerId;
export const instances = Object.fromEntries(
  stack.instances.map((instance) => {
    const component = instanceComponents.get(instance.name)!;
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
        // A server created shelved runs ACTIVE until a second `pulumi up` (cli/resource-diff/cloud-refusals.ts).
        suPerHourWhenActive: suBurnPerHour({ ...instance, state: "active" }),
      },
    ];
  }),
);
// null, not undefined, in a stack without a proxy: an undefined output is dropped with a warning.
export const publicProxy = publicProxyComponent
  ? {
      domain: publicProxyComponent.domain,
      mode: publicProxyComponent.mode,
      upstream: publicProxyComponent.upstream,
    }
  : null;
export const suPerHour = suBurn.perHour;
export const suPerDay = suBurn.perDay;

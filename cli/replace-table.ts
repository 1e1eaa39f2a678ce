/**
 * Which input changes make the engine replace a resource (delete and create again) instead of
 * updating it in place. Taken from the provider's own documentation, not guessed:
 *
 * - OpenStack: the argument docs of @pulumi/openstack 3.15.2 (the `...Args` interfaces in
 *   node_modules/@pulumi/openstack, "Changing this creates a new server/port/...") checked
 *   against the `ForceNew: true` schema fields of terraform-provider-openstack, which the
 *   Pulumi provider bridges (openstack/resource_openstack_<type>.go). Names are the Pulumi
 *   (camelCase) spellings of the Terraform fields.
 * - @pulumi/command remote.Command: `triggers` and `connection` force replacement
 *   (pulumi/pulumi-command#17: "introduce a new `triggers` property ... that force
 *   replacement", "This keeps `connection` as forcing replacement"); `create`, `update`,
 *   `delete`, `stdin` and `environment` changes are updates that re-run the update (or
 *   create) command.
 *
 * A field listed in `inPlaceButDestructive` is an update to the engine but does damage the
 * operator must know about (a rebuild wipes the root disk).
 */

export interface ReplaceRule {
  /** Inputs whose change replaces the resource (Terraform `ForceNew`). */
  forceNew: readonly string[];
  /** Inputs updated in place, with what the update does to the running thing. */
  inPlaceButDestructive?: Readonly<Record<string, string>>;
}

export const REPLACE_TABLE: Readonly<Record<string, ReplaceRule>> = {
  // openstack_compute_instance_v2: flavor changes resize in place; power_state, name,
  // metadata, security groups and tags update in place.
  "openstack:compute/instance:Instance": {
    forceNew: [
      "region",
      "availabilityZone",
      "availabilityZoneHints",
      "networkMode",
      "networks",
      "hypervisorHostname",
      "configDrive",
      "keyPair",
      "userData",
      "blockDevices",
      "schedulerHints",
    ],
    inPlaceButDestructive: {
      imageName: "rebuilds the server from the new image: the root disk is wiped",
      imageId: "rebuilds the server from the new image: the root disk is wiped",
      personalities: "rebuilds the server: the root disk is wiped",
      flavorName: "resizes the server: it reboots",
      flavorId: "resizes the server: it reboots",
    },
  },
  // openstack_networking_port_v2: fixed IPs, security groups, name and admin state update in place.
  "openstack:networking/port:Port": {
    forceNew: ["region", "networkId", "macAddress", "tenantId", "deviceOwner", "deviceId", "valueSpecs"],
  },
  // openstack_networking_floatingip_v2: description, port and tags update in place.
  "openstack:networking/floatingIp:FloatingIp": {
    forceNew: ["region", "address", "pool", "tenantId", "valueSpecs", "dnsName", "dnsDomain"],
  },
  // openstack_networking_floatingip_associate_v2: an association is re-made, never edited.
  "openstack:networking/floatingIpAssociate:FloatingIpAssociate": {
    forceNew: ["region", "floatingIp", "portId"],
  },
  // openstack_networking_network_v2: name, description, admin state, shared, external update in place.
  "openstack:networking/network:Network": {
    forceNew: ["region", "tenantId", "segments", "valueSpecs", "availabilityZoneHints"],
  },
  // openstack_networking_subnet_v2: name, gateway, DNS servers, DHCP, pools update in place.
  "openstack:networking/subnet:Subnet": {
    forceNew: [
      "region",
      "networkId",
      "cidr",
      "prefixLength",
      "tenantId",
      "ipVersion",
      "ipv6AddressMode",
      "ipv6RaMode",
      "subnetpoolId",
      "valueSpecs",
    ],
  },
  // openstack_networking_router_v2: name, gateway (external network, SNAT, fixed IPs) update in place.
  "openstack:networking/router:Router": {
    forceNew: ["region", "distributed", "flavorId", "tenantId", "valueSpecs", "availabilityZoneHints"],
  },
  // openstack_networking_router_interface_v2: no update at all.
  "openstack:networking/routerInterface:RouterInterface": {
    forceNew: ["region", "routerId", "subnetId", "portId"],
  },
  // openstack_networking_secgroup_v2: name, description, stateful and tags update in place.
  "openstack:networking/secGroup:SecGroup": {
    forceNew: ["region", "tenantId", "deleteDefaultRules"],
  },
  // openstack_networking_secgroup_rule_v2: no update at all; every field is ForceNew.
  "openstack:networking/secGroupRule:SecGroupRule": {
    forceNew: [
      "region",
      "description",
      "direction",
      "ethertype",
      "portRangeMin",
      "portRangeMax",
      "protocol",
      "remoteGroupId",
      "remoteIpPrefix",
      "securityGroupId",
      "tenantId",
    ],
  },
  // openstack_compute_keypair_v2: no update at all.
  "openstack:compute/keypair:Keypair": {
    forceNew: ["region", "name", "userId", "publicKey", "valueSpecs"],
  },
  "command:remote:Command": {
    forceNew: ["triggers", "connection"],
  },
};

/** The top-level input a path like `networks[0].port` or `connection.host` belongs to. */
export function topLevelInput(path: string): string {
  return /^[^.[]+/.exec(path)?.[0] ?? path;
}

/** Whether changing this input replaces a resource of this type. */
export function forcesReplacement(type: string, path: string): boolean {
  return REPLACE_TABLE[type]?.forceNew.includes(topLevelInput(path)) ?? false;
}

/** What an in-place update of this input does that an operator must know, if anything. */
export function updateWarning(type: string, path: string): string | undefined {
  return REPLACE_TABLE[type]?.inPlaceButDestructive?.[topLevelInput(path)];
}

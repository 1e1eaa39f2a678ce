/**
 * Which input changes make the engine replace a resource (delete and create again) instead of
 * updating it in place, for the provider versions pinned in package-lock.json
 * (`CHECKED_AGAINST`). Read from the providers' sources at those tags, not guessed:
 *
 * - OpenStack: @pulumi/openstack 3.15.2 bridges terraform-provider-openstack v1.54.1; a field is
 *   listed when its schema in openstack/resource_openstack_<type>.go says `ForceNew: true`
 *   (names are the Pulumi camelCase spellings), or when every field nested in it does
 *   (`blockDevices`, `schedulerHints`). The `...Args` docs in node_modules say "Changing this
 *   creates a new ..." for only some of these; test/cli/resource-diff/replace-table.test.ts checks that each
 *   of those is listed, that every listed name is still an input, and that the pinned versions
 *   are still the ones read here.
 * - @pulumi/command 1.2.1 remote.Command: only `triggers` carries `replaceOnChanges`
 *   (provider/pkg/provider/common/inputs.go; the SDK passes `replaceOnChanges: ["triggers[*]"]`).
 *   `connection`, `create`, `update`, `delete`, `stdin` and `environment` are updates: the
 *   update (or create) command runs again.
 *
 * A field listed in `inPlaceButDestructive` is an update to the engine but does damage the
 * operator must know about (a rebuild wipes the root disk).
 */

/** The package versions (and the sources they wrap) this table was read against. */
export const CHECKED_AGAINST: Readonly<Record<string, string>> = {
  "@pulumi/openstack": "3.15.2 (terraform-provider-openstack v1.54.1)",
  "@pulumi/command": "1.2.1 (pulumi-command v1.2.1)",
};

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
  // openstack_networking_floatingip_associate_v2: a new port moves the address in place (the
  // update sends port_id again); only another floating IP makes a new association.
  "openstack:networking/floatingIpAssociate:FloatingIpAssociate": {
    forceNew: ["region", "floatingIp"],
  },
  // openstack_networking_network_v2: name, description, admin state, shared, external and
  // segments update in place.
  "openstack:networking/network:Network": {
    forceNew: ["region", "tenantId", "valueSpecs", "availabilityZoneHints", "transparentVlan"],
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
    forceNew: ["region", "distributed", "tenantId", "valueSpecs", "availabilityZoneHints"],
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
    forceNew: ["triggers"],
  },
};

/** The top-level input a path like `networks[0].port` or `connection.host` belongs to. */
function topLevelInput(path: string): string {
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

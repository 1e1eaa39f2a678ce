/**
 * One LAPPS instance: its server, the network port it sits on, and its public address.
 * The port and the floating IP are resources of their own, so a server replacement keeps both
 * its private and its public address (kubespray's lesson).
 */
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { type InstanceConfig, POWER_STATE, suBurnPerHour } from "../config";
import { explainLookup } from "./openstack-errors";

export interface InstanceArgs {
  readonly instance: InstanceConfig;
  readonly networkId: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly keypairName: pulumi.Input<string>;
  /** Pool floating IPs are allocated from (`public` on Jetstream2). */
  readonly externalNetwork: string;
  /** User data rendered for this instance by another component (the proxy host's bootstrap). */
  readonly userData?: string;
  /**
   * What the server's power change must wait for: the proxy's site command, for a server that
   * stops or shelves, so the site stops forwarding to it first. Default none.
   */
  readonly runAfter?: pulumi.Resource[];
}

/**
 * Server inputs that rebuild the root disk or replace the server when they drift: user data,
 * and the image, whose ID behind a `Featured-*` name changes every week. Ignored unless the
 * instance says `acceptRebuild: true`, so no refresh ever silently wipes a server.
 */
export const REBUILD_GUARDED_INPUTS = ["imageName", "imageId", "userData"];

/**
 * Nova metadata every server of this stack carries: on the next run the offline cloud knows a
 * server of that name as the stack's own, not one made by hand (the old script set none).
 */
export const ROLE_METADATA_KEY = "lappsgrid-role";

export class Instance extends pulumi.ComponentResource {
  /** Names the server in its own messages (requirePublicIp). */
  private readonly serverName: string;
  public readonly privateIp: pulumi.Output<string>;
  public readonly publicIp: pulumi.Output<string | undefined>;
  public readonly server: openstack.compute.Instance;
  public readonly suPerHour: number;

  constructor(name: string, args: InstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lappsgrid:jetstream:Instance", name, {}, opts);
    const { instance } = args;
    // The proxy host and its address carry jetstream.lappsgrid.org: Pulumi refuses to delete
    // or replace them until an operator removes the protection on purpose.
    const protect = instance.role === "proxy";

    const port = new openstack.networking.Port(
      `${name}-port`,
      {
        name: `${instance.name}-port`,
        networkId: args.networkId,
        fixedIps: [{ subnetId: args.subnetId }],
        securityGroupIds: [args.securityGroupId],
        adminStateUp: true,
      },
      { parent: this, protect },
    );

    // Featured images are rebuilt weekly and two may share a name for a while: the newest one,
    // by ID (the rebuild guard below keeps a new ID from rebuilding a running server).
    const image = pulumi.output(
      explainLookup(
        openstack.images.getImage({ name: instance.imageName, mostRecent: true }, { parent: this }),
        (words) =>
          `instances.${instance.key}.image: no image named ${instance.imageName} on this cloud (the provider: ${words}); allowed: a name \`openstack image list\` shows, set for alias ${instance.imageAlias} under images`,
      ),
    );

    this.server = new openstack.compute.Instance(
      `${name}-server`,
      {
        name: instance.name,
        flavorName: instance.flavor.flavor,
        imageName: instance.imageName,
        imageId: image.id,
        keyPair: args.keypairName,
        networks: [{ port: port.id }],
        powerState: POWER_STATE[instance.state],
        userData: args.userData ?? instance.userData,
        metadata: { [ROLE_METADATA_KEY]: instance.role, "lappsgrid-size": instance.size },
        stopBeforeDestroy: true,
      },
      {
        parent: this,
        protect,
        ignoreChanges: instance.acceptRebuild ? [] : REBUILD_GUARDED_INPUTS,
        // A replacement boots on the same port, which nova refuses while the old server holds it
        // (409). The provider's delete returns only once nova reports the old server DELETED,
        // and nova unbinds a port it did not create as it deletes the server.
        // vendorOptions.detachPortsBeforeDestroy stays off: its detach loop turns any answer but
        // 404 into a failed delete or a wait until the delete times out, and what nova answers
        // for a stopped or shelved server's interface is not known here.
        deleteBeforeReplace: true,
        dependsOn: args.runAfter ?? [],
      },
    );

    this.publicIp = this.attachPublicIp(name, args, port, this.server, protect);
    this.serverName = instance.name;
    this.privateIp = port.allFixedIps[0];
    this.suPerHour = suBurnPerHour(instance);
    this.registerOutputs({ privateIp: this.privateIp, publicIp: this.publicIp });
  }

  /** The public address, for what cannot work without one (the proxy host's SSH). */
  requirePublicIp(): pulumi.Output<string> {
    return this.publicIp.apply((address) => {
      if (address === undefined) {
        throw new pulumi.ResourceError(
          `${this.serverName} has no public address; give it ip: assign or an address`,
          this,
        );
      }
      return address;
    });
  }

  private attachPublicIp(
    name: string,
    args: InstanceArgs,
    port: openstack.networking.Port,
    server: openstack.compute.Instance,
    protect: boolean,
  ): pulumi.Output<string | undefined> {
    const ip = args.instance.ip;
    if (ip.kind === "none") return pulumi.output(undefined);

    let address: pulumi.Output<string>;
    if (ip.kind === "assign") {
      // Owned by this stack: released when the instance is removed, so addresses no longer leak.
      address = new openstack.networking.FloatingIp(
        `${name}-floating-ip`,
        { pool: args.externalNetwork, description: `${args.instance.name} (managed by Pulumi)` },
        { parent: this, protect },
      ).address;
    } else if (ip.importId !== undefined) {
      // Allocated before this stack: adopted, and kept allocated if the instance goes away. Its
      // description and tags are optional and never computed: the import sends only what the
      // stack states, or it would differ from the address as it is.
      address = new openstack.networking.FloatingIp(
        `${name}-floating-ip`,
        { pool: args.externalNetwork, address: ip.address, description: ip.description },
        { parent: this, protect, import: ip.importId, retainOnDelete: true },
      ).address;
    } else {
      // Not managed here at all: only attached, so deleting the instance never releases it.
      address = pulumi.output(ip.address);
    }

    const association = new openstack.networking.FloatingIpAssociate(
      `${name}-floating-ip-association`,
      { floatingIp: address, portId: port.id },
      {
        parent: this,
        protect,
        // The port keeps its address while a replacement is made: a second association on it
        // is refused (409 FloatingIPPortAlreadyAssociated).
        deleteBeforeReplace: true,
        // An address another machine holds today (the old proxy) leaves it only once this
        // instance's server exists: the public name never points at a server still being made.
        dependsOn: ip.kind === "adopt" ? [server] : [],
      },
    );
    // The address as the association reports it: whoever uses it (the proxy's SSH) waits until
    // it is attached here, not on the machine that held it before an adoption.
    return association.floatingIp;
  }
}

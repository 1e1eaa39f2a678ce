/**
 * Who may reach the instances and with which key: the `lappsgrid-secgroup` security group
 * and the `lappsgrid-shared-key` keypair the old script passed to every `nova boot`.
 */
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import type { KeypairConfig, SecurityGroupConfig } from "../config";
import { adoptOptions } from "./adopt";
import { MANAGED_SECURITY_GROUP_DESCRIPTION, refuseUnadoptedAccess } from "./existing";

export interface AccessArgs {
  readonly securityGroup: SecurityGroupConfig;
  readonly keypair: KeypairConfig;
}

export class Access extends pulumi.ComponentResource {
  public readonly securityGroupId: pulumi.Output<string>;
  /** The keypair name servers boot with; a change of it replaces servers. */
  public readonly keypairName: string;

  constructor(name: string, args: AccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lappsgrid:jetstream:Access", name, {}, opts);
    const { securityGroup, keypair } = args;
    // The group waits for the lookups; rules and every server's port wait for the group, so a
    // group that exists unadopted or a missing keypair stops the stack before anything is made.
    const nothingUnadopted = refuseUnadoptedAccess(securityGroup, keypair).then(() => []);

    const group = new openstack.networking.SecGroup(
      `${name}-security-group`,
      // An adopted group keeps its own description: an import must match what exists.
      securityGroup.importId === undefined
        ? { name: securityGroup.name, description: MANAGED_SECURITY_GROUP_DESCRIPTION }
        : { name: securityGroup.name },
      { ...adoptOptions(this, securityGroup.importId), dependsOn: nothingUnadopted },
    );

    // Rules are separate resources keyed by what they allow, so adding one never touches the
    // others; rules given inline on the group would be rewritten as a whole. Every field of a
    // rule forces a new one, and neutron ignores the description when it looks for duplicates
    // (409 SecurityGroupRuleExists): the old rule must go before its replacement is made.
    for (const rule of securityGroup.rules) {
      new openstack.networking.SecGroupRule(
        `${name}-rule-${rule.key}`,
        {
          securityGroupId: group.id,
          description: rule.description,
          direction: "ingress",
          ethertype: "IPv4",
          protocol: rule.protocol,
          portRangeMin: rule.portMin,
          portRangeMax: rule.portMax,
          remoteIpPrefix: rule.from,
        },
        { ...adoptOptions(group, rule.importId), deleteBeforeReplace: true },
      );
    }

    if (keypair.kind === "managed") {
      // Nova keypair names are unique per user: a new public key must delete the old pair first.
      new openstack.compute.Keypair(
        `${name}-keypair`,
        { name: keypair.name, publicKey: keypair.publicKey },
        { parent: this, deleteBeforeReplace: true },
      );
    }
    // The plain name, never the keypair's output: an output is unknown while a key is being
    // replaced, and every server would show as a possible replacement. Servers depend on this
    // component instead, so the pair exists before they boot.
    this.keypairName = keypair.name;
    this.securityGroupId = group.id;
    this.registerOutputs({ securityGroupId: this.securityGroupId, keypairName: this.keypairName });
  }
}

/**
 * The proxy in front of jetstream.lappsgrid.org: which site its nginx serves (online to a
 * target, or the offline page), pushed over SSH to the proxy host by one `remote.Command`.
 * A change of mode, target or page changes only that command's stdin, so the engine updates
 * it in place and the apply script switches nginx with a reload: no request is dropped and the
 * proxy host itself is never touched (its user data, from renderProxyHostUserData, is constant).
 */
import { remote } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ProxyConfig } from "../../config/types";
import { APPLY_COMMAND, renderApplyInput } from "./apply-input";
import { renderProxyCandidate } from "./candidate";
import { DEFAULT_SSH_USER } from "./host-layout";

export { renderProxyHostUserData } from "./user-data";

export interface ProxyArgs {
  /** The validated `proxy` block of the stack. */
  readonly proxy: ProxyConfig;
  /** The proxy host's public address: SSH goes there. */
  readonly hostAddress: pulumi.Input<string>;
  /** The proxy host's server: the command waits for it, and runs afresh on a replacement. */
  readonly hostServer?: pulumi.Resource;
  /** For a target of kind "instance": that instance's private IP, passed in by the program. */
  readonly targetAddress?: pulumi.Input<string>;
  /** For a target of kind "instance": its server; the site goes online only once it exists. */
  readonly targetServer?: pulumi.Resource;
  /** The SSH private key for the proxy host; kept a Pulumi secret. */
  readonly sshPrivateKey: pulumi.Input<string>;
  /** The user SSH logs in as; default "ubuntu", the cloud images' user with passwordless sudo. */
  readonly sshUser?: string;
}

/** What another stack exports under `instances`, keyed by normalised instance name. */
type StackInstances = Record<string, { publicIp?: string } | undefined> | undefined;

// biome-ignore lint/suspicious/noShadowRestrictedNames: the operator's name for it; this module never needs the JS Proxy global.
export class Proxy extends pulumi.ComponentResource {
  /** The command that applies the site on the proxy host. */
  readonly site: remote.Command;
  readonly mode: ProxyConfig["mode"];
  readonly domain: string;
  /** `HOST:PORT` the online site forwards to; undefined offline. */
  readonly upstream: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lappsgrid:jetstream:Proxy", name, {}, opts);
    const { proxy } = args;
    this.mode = proxy.mode;
    this.domain = proxy.domain;

    const targetHost = this.resolveTargetHost(name, args);
    const online = proxy.mode === "online";
    if (online && targetHost === undefined) {
      throw new pulumi.ResourceError(
        `proxy.target: mode is online but the target's address is unknown (target kind ${proxy.target?.kind ?? "none"}); the program must pass targetAddress`,
        this,
      );
    }
    const stdin = pulumi
      .output(online ? targetHost : undefined)
      .apply((host) => renderApplyInput(renderProxyCandidate(proxy, host)));
    this.upstream = pulumi
      .output(online ? targetHost : undefined)
      .apply((host) => (host === undefined ? undefined : `${host}:${proxy.port}`));

    this.site = new remote.Command(
      `${name}-site`,
      {
        connection: {
          host: args.hostAddress,
          user: args.sshUser ?? DEFAULT_SSH_USER,
          privateKey: pulumi.secret(args.sshPrivateKey),
        },
        create: APPLY_COMMAND,
        update: APPLY_COMMAND,
        stdin,
        // A new server starts from its user data's offline site: the command must run again there.
        // Mode and target never go here; they change stdin, which updates in place.
        triggers: args.hostServer instanceof pulumi.CustomResource ? [args.hostServer.id] : undefined,
      },
      {
        parent: this,
        dependsOn: [args.hostServer, args.targetServer].filter(
          (server): server is pulumi.Resource => server !== undefined,
        ),
      },
    );

    this.registerOutputs({ mode: this.mode, domain: this.domain, upstream: this.upstream });
  }

  private resolveTargetHost(name: string, args: ProxyArgs): pulumi.Input<string> | undefined {
    const target = args.proxy.target;
    if (target === undefined) return undefined;
    switch (target.kind) {
      case "address":
        return target.address;
      case "instance":
        return args.targetAddress;
      case "stack": {
        // Another stack (say TACC's) publishes its instances; its public address is the only
        // one this proxy can reach across clouds.
        const stackName = `${pulumi.getOrganization()}/${pulumi.getProject()}/${target.stack}`;
        const reference = new pulumi.StackReference(
          `${name}-${target.stack}-stack`,
          { name: stackName },
          { parent: this },
        );
        return reference.getOutput("instances").apply((instances: StackInstances) => {
          const address = instances?.[target.name]?.publicIp;
          if (address === undefined) {
            throw new pulumi.ResourceError(
              `proxy.target: stack ${stackName} exports no instance ${target.name} with a publicIp; it exports ${Object.keys(instances ?? {}).join(", ") || "no instances"}`,
              this,
            );
          }
          return address;
        });
      }
    }
  }
}

/**
 * The proxy in front of jetstream.lappsgrid.org: which site its nginx serves (online to a
 * target, or the offline page), pushed over SSH to the proxy host by one `remote.Command`.
 * A change of mode, target or page changes only that command's stdin, so the engine updates
 * it in place and the apply script switches nginx with a reload: no request is dropped and the
 * proxy host itself is never touched (its user data, from renderProxyHostUserData, is constant).
 * The apply script travels in the same stdin, ahead of the site, so a new version of it also
 * updates the command in place (apply-input.ts).
 */
import { remote } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ProxyConfig } from "../../config/types";
import { renderApplyCommand, renderApplyStdin } from "./apply-input";
import { applyScript } from "./apply-script";
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
  /** With proxy.tls mode certificate: the chain and key (PEM), kept Pulumi secrets. */
  readonly tlsCertificate?: { chain: pulumi.Input<string>; key: pulumi.Input<string> };
}

/**
 * How long the command keeps dialling the proxy host. A new server is ACTIVE (and the engine
 * moves on) while it still boots: sshd answers a minute or more later, and every refused or
 * failed connection until then is one failed dial. pulumi-command 1.2.1
 * (provider/pkg/provider/remote/connection.go, dialWithRetry) retries through the Pulumi SDK's
 * retry.Until: first wait 100 ms, each wait 1.5 times the last, at most 5 s, and it gives up
 * when dial number dialErrorLimit + 1 fails. The default limit of 10 waits 11.3 s in all.
 * With 130 the waits add up to 11.3 s (the first ten) + 120 x 5 s = 611 s: over ten minutes
 * even when every dial is refused at once. A dial that hangs (packets to an address not yet
 * routed) gives up after perDialTimeout seconds, TCP connect only, so the worst case is
 * 611 s + 131 x 10 s = 1921 s, about 32 minutes, before `pulumi up` reports the failure.
 * The apply script itself then waits up to 900 s more for cloud-init to finish.
 */
export const SSH_DIAL_ERROR_LIMIT = 130;
export const SSH_PER_DIAL_TIMEOUT_SECONDS = 10;

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
    if (proxy.tls.mode === "certificate" && args.tlsCertificate === undefined) {
      throw new pulumi.ResourceError(
        "proxyTlsCertificate: proxy.tls.mode is certificate but the program passed no tlsCertificate",
        this,
      );
    }
    const script = applyScript();
    const command = renderApplyCommand(script);
    const certificate = proxy.tls.mode === "certificate" ? args.tlsCertificate : undefined;
    const rendered = pulumi
      .all([online ? targetHost : undefined, certificate?.chain, certificate?.key])
      .apply(([host, chain, key]) =>
        renderApplyStdin(
          script,
          renderProxyCandidate(
            proxy,
            host,
            {},
            chain === undefined || key === undefined ? undefined : { chain, key },
          ),
        ),
      );
    // The private key travels in stdin: the engine must keep it encrypted in the state.
    const stdin = certificate === undefined ? rendered : pulumi.secret(rendered);
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
          // Unpinned, the provider accepts any host key (connection.go, SSHConfig). A new managed
          // host makes its key at first boot, so it can be pinned only afterwards; see ProxyConfig.
          hostKey: proxy.hostKey,
          dialErrorLimit: SSH_DIAL_ERROR_LIMIT,
          perDialTimeout: SSH_PER_DIAL_TIMEOUT_SECONDS,
        },
        create: command,
        update: command,
        stdin,
        // Else the provider sets PULUMI_COMMAND_STDOUT/STDERR on the session: Ubuntu's sshd
        // accepts no such variable (AcceptEnv) and the provider warns on every update.
        addPreviousOutputInEnv: false,
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
          const exported = instances?.[target.name];
          const address = exported?.publicIp;
          if (exported !== undefined && address === undefined) {
            throw new pulumi.ResourceError(
              `proxy.target: ${target.stack}/${target.name} has no public address (stack ${stackName} exports it without a publicIp: no ip: in its stack file), and the proxy reaches another stack's instance by its public address; allowed: give it ip: assign there first, or another target`,
              this,
            );
          }
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

/**
 * The ssh_config `jetstream ssh` hands to ssh with `-F`: one Host for the instance, one for the
 * proxy host when it is the jump host, strict host-key checking against one known_hosts file.
 * A config file rather than `-o` options because ProxyJump starts a second ssh for the jump
 * host that gets `-F` but none of the `-o` options: the jump would be checked against other
 * keys, or not at all. The user's own ~/.ssh/config is included last, so keys, agents and
 * the like still apply to everything this file does not set.
 */
import type { Route } from "./route";

/** The jump host's name inside the generated config. */
const JUMP_ALIAS = "lappsgrid-jump-host";

export interface SshSettings {
  knownHostsFile: string;
  /** `yes`: an unknown or changed key stops ssh; `accept-new` records an unknown one (first use). */
  strictHostKeyChecking: "yes" | "accept-new";
  identityFiles: string[];
  /** The user's ssh_config to include after ours, when it exists. */
  userConfig?: string;
}

/** ssh_config takes double-quoted values; none of ours may hold a quote or a line break. */
function quoted(value: string): string {
  if (/["\r\n]/.test(value))
    throw new Error(`ssh_config value ${JSON.stringify(value)} holds a quote or line break`);
  return `"${value}"`;
}

export function renderSshConfig(route: Route, settings: SshSettings): string {
  const host = (alias: string, endpoint: Route["target"], jump: boolean) => [
    `Host ${alias}`,
    `  HostName ${endpoint.host}`,
    `  Port ${endpoint.port}`,
    `  User ${quoted(endpoint.user)}`,
    ...(jump ? [`  ProxyJump ${JUMP_ALIAS}`] : []),
  ];
  return `${[
    "# Written by `jetstream ssh` for one connection.",
    ...(route.jump ? host(JUMP_ALIAS, route.jump, false) : []),
    ...host(route.instance, route.target, route.jump !== undefined),
    "Host *",
    `  StrictHostKeyChecking ${settings.strictHostKeyChecking}`,
    `  UserKnownHostsFile ${quoted(settings.knownHostsFile)}`,
    "  ConnectTimeout 20",
    ...settings.identityFiles.map((file) => `  IdentityFile ${quoted(file)}`),
    ...(settings.userConfig ? ["Match all", `Include ${quoted(settings.userConfig)}`] : []),
  ].join("\n")}\n`;
}

/**
 * `jetstream ssh NAME [-- COMMAND]`: log in to an instance, through the proxy host when it has no
 * public address, with the host key checked. ssh's own words about a changed or unknown key
 * are kept, then one line says what it means here and what to do.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { refuseImpossibleName, refuseUnusableAddress } from "./given-arguments";
import { checkSshKnownHosts, knownHostsFile, knownHostsName, refuseEmptyKnownHosts } from "./known-hosts";
import { planRoute, type Route, stackInstance } from "./route";
import { renderSshConfig } from "./ssh-config";
import { liveOf, type OutputsReader, readLiveOutputs, readStackView } from "./stack-view";

export interface SshOptions {
  stack?: string;
  dir?: string;
  address?: string;
  jump?: string;
  user?: string;
  identity?: string[];
  knownHosts?: string;
  acceptNew?: boolean;
}

export interface SshDeps {
  readOutputs?: OutputsReader;
  /** "inherit" for an operator's terminal; tests read what ssh printed. */
  stdio?: "inherit" | "pipe";
  /** Where the explanation of a host-key failure goes. */
  writeError?: (text: string) => void;
}

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A word as a shell reads it back: bare when it holds nothing the shell would split or expand. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The `forget` that clears the key which changed, with the options this login was given: the
 * default known_hosts or the stack's live addresses are not the ones that hold it then.
 */
function forgetCommand(route: Route, jumpChanged: boolean, stack: string, options: SshOptions): string {
  const words = [
    "jetstream",
    "forget",
    (jumpChanged ? (route.jumpName ?? route.instance) : route.instance).replace(/^lappsgrid-/, ""),
  ];
  words.push("--stack", stack);
  if (options.knownHosts !== undefined) words.push("--known-hosts", options.knownHosts);
  const jump = route.jump;
  if (jumpChanged && jump !== undefined) {
    words.push("--address", options.jump ?? (jump.port === 22 ? jump.host : `${jump.host}:${jump.port}`));
  } else if (!jumpChanged && options.address !== undefined) {
    words.push("--address", options.address);
  }
  return words.map(shellWord).join(" ");
}

/** The line `jetstream ssh` adds after ssh's own refusal of a host key. */
function explainHostKeyFailure(
  stderr: string,
  route: Route,
  knownHosts: string,
  stack: string,
  options: SshOptions,
): string | undefined {
  const changed = /Host key for (\S+) has changed/.exec(stderr)?.[1];
  const unknown = /No \S+ host key is known for (\S+) and/.exec(stderr)?.[1];
  const named = changed ?? unknown;
  if (named === undefined) return undefined;
  const jumpNamed = route.jump !== undefined && knownHostsName(route.jump) === named;
  const host = jumpNamed ? `the jump host (the proxy host, ${named})` : `${route.instance} (${named})`;
  if (changed !== undefined) {
    return `jetstream ssh: the host key of ${host} is not the one recorded in ${knownHosts}. A server that \`pulumi up\` rebuilt or replaced has a new key: if that happened, run \`${forgetCommand(route, jumpNamed, stack, options)}\` and connect again with --accept-new. If not, do not connect: something else answers at that address.\n`;
  }
  return `jetstream ssh: ${host} is not in ${knownHosts} yet; to trust the key it shows on this first connection, run again with --accept-new (it is recorded, and checked from then on).\n`;
}

const UNSET = "an empty value (an unset shell variable?)";

/**
 * Values written into the ssh_config this verb hands to ssh: an empty one would make ssh stop
 * on "Missing argument" in a temporary file, a user with a space would log in as its first word.
 */
function refuseUnusableOptions(options: SshOptions): void {
  if (options.user === "")
    throw new Error(`ssh --user: ${UNSET}; allowed: a login name on the instance, like ubuntu`);
  if (options.user !== undefined && !/^[A-Za-z_][A-Za-z0-9._-]{0,31}$/.test(options.user)) {
    throw new Error(
      `ssh --user: ${JSON.stringify(options.user)} is not a login name; allowed: letters, digits, ".", "_" and "-", starting with a letter or "_", like ubuntu`,
    );
  }
  if (options.identity?.includes(""))
    throw new Error(`ssh --identity: ${UNSET}; allowed: a private key file`);
  refuseEmptyKnownHosts(options.knownHosts);
  refuseUnusableAddress("ssh", "--address", options.address);
  refuseUnusableAddress("ssh", "--jump", options.jump);
}

export async function runSsh(
  name: string,
  command: string[],
  options: SshOptions,
  deps: SshDeps = {},
): Promise<SshResult> {
  refuseImpossibleName("ssh", name);
  refuseUnusableOptions(options);
  const view = readStackView(options);
  // A NAME the stack file lacks is said before the live outputs (the Pulumi CLI) are needed.
  stackInstance({ stack: view.stack, name, config: view.config });
  const live =
    options.address === undefined
      ? await liveOf(view, deps.readOutputs ?? readLiveOutputs, "ssh")
      : undefined;
  const route = planRoute({
    stack: view.stack,
    name,
    config: view.config,
    live,
    address: options.address,
    jump: options.jump,
    user: options.user,
  });
  const knownHosts = knownHostsFile(view.projectDir, options.knownHosts);
  if (options.knownHosts !== undefined) checkSshKnownHosts(knownHosts, options.acceptNew ?? false);
  const userConfig = join(homedir(), ".ssh", "config");
  const configDir = mkdtempSync(join(tmpdir(), "jetstream-ssh-"));
  const configFile = join(configDir, "ssh_config");
  writeFileSync(
    configFile,
    renderSshConfig(route, {
      knownHostsFile: knownHosts,
      strictHostKeyChecking: options.acceptNew ? "accept-new" : "yes",
      identityFiles: options.identity ?? [],
      userConfig: existsSync(userConfig) ? userConfig : undefined,
    }),
    { mode: 0o600 },
  );
  try {
    const stdio = deps.stdio ?? "inherit";
    const child = spawn("ssh", ["-F", configFile, route.instance, ...command], {
      stdio: [stdio === "inherit" ? "inherit" : "ignore", stdio, "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stdio === "inherit") process.stderr.write(chunk);
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (exit) => resolve(exit ?? 255));
    });
    const explanation =
      code === 255 ? explainHostKeyFailure(stderr, route, knownHosts, view.stack, options) : undefined;
    if (explanation !== undefined) {
      (deps.writeError ?? ((text: string) => process.stderr.write(text)))(explanation);
    }
    return { code, stdout, stderr };
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

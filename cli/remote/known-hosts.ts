/**
 * The known_hosts file `ssh` checks host keys against and `forget` cleans: `--known-hosts`,
 * else the project's own `known_hosts` (a team can commit the keys of its servers), else the
 * user's `~/.ssh/known_hosts`.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, lstatSync, readlinkSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type Endpoint, RemoteAccessError } from "./route";

/** resolve("") is the current directory, which ssh would be handed as a known_hosts file. */
export function refuseEmptyKnownHosts(given: string | undefined): void {
  if (given === "") {
    throw new Error("--known-hosts: an empty value (an unset shell variable?); allowed: a known_hosts file");
  }
}

export function knownHostsFile(projectDir: string, given?: string): string {
  refuseEmptyKnownHosts(given);
  if (given !== undefined) return resolve(given);
  const project = join(projectDir, "known_hosts");
  if (existsSync(project)) return project;
  // A link to where the team keeps its keys, not there (yet): ~/.ssh/known_hosts in its place
  // would check keys against, or forget them in, a file the operator did not mean.
  const link = danglingLinkTarget(project);
  if (link !== undefined) {
    throw new RemoteAccessError(
      `known_hosts ${project} is a symbolic link to ${link}, which does not exist; allowed: a link to a known_hosts file, or no known_hosts in the project (then ~/.ssh/known_hosts is used)`,
    );
  }
  return join(homedir(), ".ssh", "known_hosts");
}

/** Where a symlink at `path` points, when `path` is one; undefined when nothing is there. */
function danglingLinkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The known_hosts file `forget` cleans, checked: one named with --known-hosts must be a file
 * the operator can edit (a path that does not exist is a typo, not a file without the key);
 * the default one missing only means there is nothing to forget (`present: false`).
 */
export function knownHostsToClean(projectDir: string, given?: string): { file: string; present: boolean } {
  const file = knownHostsFile(projectDir, given);
  const named = given === undefined ? `known_hosts ${file}` : `--known-hosts: ${file}`;
  const allowed = "allowed: a known_hosts file you can read and write";
  if (!existsSync(file)) {
    if (given === undefined) return { file, present: false };
    throw new RemoteAccessError(`${named} does not exist; ${allowed} (ssh writes ~/.ssh/known_hosts)`);
  }
  if (statSync(file).isDirectory()) throw new RemoteAccessError(`${named} is a directory; ${allowed}`);
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new RemoteAccessError(`${named} is not readable and writable by you; ${allowed}`);
  }
  return { file, present: true };
}

/**
 * The known_hosts file given to `ssh` with --known-hosts: a directory never holds keys, and a
 * path that does not exist (a typo) would only make ssh refuse every key as unknown; with
 * --accept-new, ssh creates the file and records the key.
 */
export function checkSshKnownHosts(file: string, acceptNew: boolean): void {
  if (!existsSync(file)) {
    if (acceptNew) {
      refuseUnrecordable(file);
      return;
    }
    throw new RemoteAccessError(
      `--known-hosts: ${file} does not exist; allowed: an existing known_hosts file, or --accept-new to create it with the key this first connection shows`,
    );
  }
  if (statSync(file).isDirectory()) {
    throw new RemoteAccessError(`--known-hosts: ${file} is a directory; allowed: a known_hosts file`);
  }
}

/**
 * ssh creates the file, not its folder: in a folder that does not exist it prints "Failed to add
 * the host to the list of known hosts" and logs in all the same, so the key is never recorded
 * and every later --accept-new run trusts whatever key answers.
 */
function refuseUnrecordable(file: string): void {
  const folder = dirname(file);
  const why = "so ssh could not record the key it accepts (every later run would accept any key)";
  if (!existsSync(folder)) {
    throw new RemoteAccessError(
      `--known-hosts: ${file}: the folder ${folder} does not exist, ${why}; allowed: a file in an existing folder; create it first (mkdir -p ${folder})`,
    );
  }
  if (!statSync(folder).isDirectory()) {
    throw new RemoteAccessError(
      `--known-hosts: ${file}: ${folder} is not a folder, ${why}; allowed: a file in an existing folder`,
    );
  }
}

/** How ssh names a host in known_hosts: bare on port 22, `[host]:port` elsewhere. */
export function knownHostsName(endpoint: Pick<Endpoint, "host" | "port">): string {
  return endpoint.port === 22 ? endpoint.host : `[${endpoint.host}]:${endpoint.port}`;
}

/** Removes every key of `name` (`ssh-keygen -R`); true when there was one. */
export function forgetHost(file: string, name: string): boolean {
  if (!existsSync(file)) return false;
  const run = spawnSync("ssh-keygen", ["-R", name, "-f", file], { encoding: "utf8" });
  if (run.error) throw run.error;
  if (run.status !== 0) {
    throw new Error(`ssh-keygen -R ${name} -f ${file} failed: ${(run.stderr || run.stdout).trim()}`);
  }
  return run.stdout.includes("found");
}

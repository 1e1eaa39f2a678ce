/**
 * The known_hosts file `ssh` checks host keys against and `forget` cleans: `--known-hosts`,
 * else the project's own `known_hosts` (a team can commit the keys of its servers), else the
 * user's `~/.ssh/known_hosts`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Endpoint } from "./route";

export function knownHostsFile(projectDir: string, given?: string): string {
  // resolve("") is the current directory, which ssh would be handed as a known_hosts file.
  if (given === "") {
    throw new Error("--known-hosts: an empty value (an unset shell variable?); allowed: a known_hosts file");
  }
  if (given !== undefined) return resolve(given);
  const project = join(projectDir, "known_hosts");
  return existsSync(project) ? project : join(homedir(), ".ssh", "known_hosts");
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

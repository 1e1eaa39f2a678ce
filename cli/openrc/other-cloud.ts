/**
 * An openrc file of the other cloud, imported into the wrong stack. The provider settings the
 * import writes win over the OS_* variables CI hands in, so IU's region in the TACC stack would
 * send every TACC deploy to IU. What the project knows of each cloud is in its stack files: the
 * `cloud` each one names and the `openstack:region`/`openstack:authUrl` an earlier import wrote.
 * Jetstream2's clouds may share one Keystone and differ only by region, so an auth URL is another
 * stack's only when the file names no region of its own to choose on it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { splitStackConfig } from "../../config";
import { stackFilePath, unreadableFile } from "../../config/stack-file";
import { fail } from "./parse";
import type { ProviderSettings } from "./provider";

interface StackCloud {
  stack: string;
  fileName: string;
  /** `lappsgrid-jetstream:cloud` as written; undefined when the file does not say. */
  cloud?: string;
  region?: string;
  authUrl?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** What one stack file says of its cloud; `text` when the import has read it already. */
function readStackCloud(path: string, stack: string, known?: string): StackCloud {
  const fileName = basename(path);
  let config: ReturnType<typeof splitStackConfig>;
  try {
    config = splitStackConfig(known ?? readFileSync(path, "utf8"), fileName);
  } catch (error) {
    // A guard that cannot read what it guards refuses, it never passes.
    const first = unreadableFile(error, "a stack file") ?? (error as Error).message.split("\n")[0];
    const why = first.startsWith(`${fileName}: `) ? first.slice(fileName.length + 2) : first;
    throw new Error(
      `${fileName} cannot be read (${why}), so whether this openrc file is stack ${stack}'s cannot be checked; fix it first (\`jetstream plan --stack ${stack}\`)`,
    );
  }
  return {
    stack,
    fileName,
    cloud: text(config.project.cloud),
    region: text(config.other["openstack:region"]),
    authUrl: text(config.other["openstack:authUrl"]),
  };
}

/** Every other stack file of the project, by the name it has on disk (`.yaml` or `.yml`). */
function otherStackClouds(projectDir: string, stack: string): StackCloud[] {
  return readdirSync(projectDir)
    .sort()
    .flatMap((file) => {
      const other = /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1];
      return other === undefined || other === stack ? [] : [readStackCloud(join(projectDir, file), other)];
    });
}

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** Scheme, host and port in lower case, the path without its trailing slash: Keystone reads them so. */
function sameAuthUrl(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    return x.origin === y.origin && x.pathname.replace(/\/+$/, "") === y.pathname.replace(/\/+$/, "");
  } catch {
    return false;
  }
}

/**
 * Refuses the import when its region or auth URL is another stack's; the line is the openrc
 * file's. `stackText` is the stack file as the import read it.
 */
export function refuseOtherCloud(
  result: ProviderSettings,
  stack: string,
  projectDir: string,
  openrc: { name: string; stackText: string },
): void {
  let self: StackCloud;
  try {
    self = readStackCloud(stackFilePath(projectDir, stack), stack, openrc.stackText);
  } catch {
    // The stack's own file: the import refuses it in its own words when it edits it.
    return;
  }
  const cloud = self.cloud ?? stack;
  const others = otherStackClouds(projectDir, stack);
  const region = result.settings["openstack:region"];
  const fix = (owner: StackCloud) =>
    `import the openrc file of ${cloud}'s allocation, or pass --stack ${owner.stack}`;
  if (region !== undefined && !same(region, cloud)) {
    for (const owner of others) {
      const by = same(region, owner.cloud)
        ? `cloud ${owner.cloud} in ${owner.fileName}`
        : same(region, owner.region)
          ? `openstack:region in ${owner.fileName}`
          : undefined;
      if (by === undefined) continue;
      fail(
        openrc.name,
        result.lines["openstack:region"],
        `OS_REGION_NAME ${JSON.stringify(region)} is the region of stack ${owner.stack} (${by}), not of stack ${stack}; allowed: the region of cloud ${cloud}: ${fix(owner)}`,
      );
    }
  }
  const authUrl = result.settings["openstack:authUrl"];
  if (authUrl === undefined) return;
  for (const owner of others) {
    if (owner.authUrl === undefined || !sameAuthUrl(authUrl, owner.authUrl)) continue;
    // One Keystone may serve both clouds: a region of this stack's own tells them apart.
    if (region !== undefined && !same(region, owner.region)) continue;
    const ownerRegion = owner.region === undefined ? "" : `, region ${owner.region}`;
    fail(
      openrc.name,
      result.lines["openstack:authUrl"],
      `OS_AUTH_URL ${JSON.stringify(authUrl)} is the auth URL of stack ${owner.stack} (openstack:authUrl in ${owner.fileName}${ownerRegion}) and this file sets no other OS_REGION_NAME, so stack ${stack} would deploy into ${owner.stack}'s cloud; allowed: the openrc file of ${cloud}'s allocation, or pass --stack ${owner.stack}`,
    );
  }
}

/**
 * `inventory import` from a folder missing a listing: a missing servers.json or floating-ips/
 * would be written as "none" and switch off the check it feeds (a second Galaxy accepted, any
 * address accepted), so each missing listing is refused by name with the command that writes
 * it. An empty listing (`[]`, an empty folder) says "none" and stays valid.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runJetstream } from "../helpers/cli";
import { PROJECT_DIR } from "../helpers/program";

jest.setTimeout(120_000);

const RECORDED = join(PROJECT_DIR, "test", "fixtures", "inventory", "iu");

function iuProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "inventory-listings-project-"));
  for (const file of ["Pulumi.yaml", "Pulumi.iu.yaml"])
    copyFileSync(join(PROJECT_DIR, file), join(dir, file));
  return dir;
}

/** A copy of the recorded listing folder without `missing`. */
function listingWithout(missing: string): string {
  const dir = mkdtempSync(join(tmpdir(), "inventory-listings-from-"));
  cpSync(RECORDED, dir, { recursive: true });
  rmSync(join(dir, missing), { recursive: true });
  return dir;
}

const importFrom = (from: string, project: string) =>
  runJetstream(["inventory", "import", "--stack", "iu", "--from", from, "--dir", project], { cwd: project });

describe("inventory import refuses a listing folder missing a listing", () => {
  test.each([
    ["servers.json", "`openstack server list --long -f json > servers.json`"],
    ["flavors.json", "`openstack flavor list -f json > flavors.json`"],
    ["external-networks.json", "`openstack network list --external -f json > external-networks.json`"],
    ["keypairs.json", "`openstack keypair list -f json > keypairs.json` (as the user who runs pulumi up)"],
  ])("a missing %s is refused with the command that writes it, and nothing is written", (file, command) => {
    const from = listingWithout(file);
    const project = iuProject();
    expect(importFrom(from, project)).toEqual({
      status: 1,
      stdout: "",
      stderr: `jetstream: ${file}: missing in ${from}; write it in that folder with ${command}; README, "The inventory"\n`,
    });
    expect(existsSync(join(project, "inventory", "iu.yaml"))).toBe(false);
  });

  test.each([
    ["floating-ips", "`openstack floating ip show -f json ADDRESS > floating-ips/ADDRESS.json`"],
    ["networks", "`openstack network show -f json NAME > networks/NAME.json`"],
    ["subnets", "`openstack subnet show -f json ID > subnets/ID.json`"],
    ["routers", "`openstack router show -f json NAME > routers/NAME.json`"],
    ["security-groups", "`openstack security group show -f json NAME > security-groups/NAME.json`"],
    ["images", "`openstack image show -f json ID > images/ID.json`"],
  ])("a missing %s/ folder is refused with the command that fills it", (folder, command) => {
    const from = listingWithout(folder);
    const project = iuProject();
    expect(importFrom(from, project)).toEqual({
      status: 1,
      stdout: "",
      stderr:
        `jetstream: ${folder}/: missing in ${from}; fill it with ${command} for each one in the project, ` +
        `or make it empty if there is none; README, "The inventory"\n`,
    });
    expect(existsSync(join(project, "inventory", "iu.yaml"))).toBe(false);
  });

  test("a listing that is a folder, or a folder that is a file, is named as such", () => {
    const folderFile = listingWithout("servers.json");
    mkdirSync(join(folderFile, "servers.json"));
    const fileFolder = listingWithout("floating-ips");
    writeFileSync(join(fileFolder, "floating-ips"), "[]\n");
    const project = iuProject();
    expect(importFrom(folderFile, project)).toEqual({
      status: 1,
      stdout: "",
      stderr:
        `jetstream: servers.json: a folder in ${folderFile}, not a file; write it in that folder with ` +
        '`openstack server list --long -f json > servers.json`; README, "The inventory"\n',
    });
    expect(importFrom(fileFolder, project)).toEqual({
      status: 1,
      stdout: "",
      stderr:
        `jetstream: floating-ips/: a file in ${fileFolder}, not a folder; fill it with ` +
        "`openstack floating ip show -f json ADDRESS > floating-ips/ADDRESS.json` for each one in the project, " +
        'or make it empty if there is none; README, "The inventory"\n',
    });
  });

  test("a quota.json that is a folder is named as such, not with the system's EISDIR", () => {
    const from = listingWithout("quota.json");
    mkdirSync(join(from, "quota.json"));
    expect(importFrom(from, iuProject())).toEqual({
      status: 1,
      stdout: "",
      stderr: "jetstream: quota.json: is a directory, not the output of an openstack command\n",
    });
  });

  test("a refused refresh leaves the committed inventory byte-identical", () => {
    const from = listingWithout("servers.json");
    const project = iuProject();
    cpSync(join(PROJECT_DIR, "inventory"), join(project, "inventory"), { recursive: true });
    const before = readFileSync(join(project, "inventory", "iu.yaml"), "utf8");
    expect(importFrom(from, project).status).toBe(1);
    expect(readFileSync(join(project, "inventory", "iu.yaml"), "utf8")).toBe(before);
  });

  test("quota.json stays optional: a project without it is recorded with one router", () => {
    const from = listingWithout("quota.json");
    const project = iuProject();
    expect(importFrom(from, project).status).toBe(0);
    expect(readFileSync(join(project, "inventory", "iu.yaml"), "utf8")).toContain("quotas:\n  routers: 1\n");
  });

  test("an empty servers.json and an empty floating-ips/ say the project has none", () => {
    const from = listingWithout("floating-ips");
    writeFileSync(join(from, "servers.json"), "[]\n");
    cpSync(join(RECORDED, "floating-ips"), join(from, "floating-ips"), { recursive: true });
    rmSync(join(from, "floating-ips", "149.165.157.82.json"));
    const project = iuProject();
    const run = importFrom(from, project);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout.split("\n")[0]).toBe(
      "Wrote inventory/iu.yaml: 3 flavors, 2 images, 1 networks, 1 subnets, 1 routers, 1 security groups, 0 floating IPs, 0 servers, keypairs: lappsgrid-shared-key.",
    );
  });
});

/**
 * The replace table against the pinned providers: the forceNew lists as read in
 * terraform-provider-openstack v1.54.1 and pulumi-command v1.2.1, and a check that the
 * installed packages still say the same (and are still those versions).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Evaluation, PlannedResource } from "../../../cli/offline/evaluation";
import { diffEvaluations } from "../../../cli/resource-diff/compare";
import { CHECKED_AGAINST, REPLACE_TABLE } from "../../../cli/resource-diff/replace-table";

const ROOT = join(__dirname, "..", "..", "..");
const OPENSTACK = join(ROOT, "node_modules", "@pulumi", "openstack");

function resource(type: string, inputs: Record<string, unknown>): PlannedResource {
  return {
    urn: `urn:pulumi:iu::lappsgrid-jetstream::${type}::r`,
    type,
    name: "r",
    parent: "",
    custom: true,
    inputs,
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
  };
}

function kindOfChange(type: string, input: string, old: unknown, next: unknown): string[] {
  const side = (value: unknown): Evaluation => ({
    stack: "iu",
    resources: [resource(type, { [input]: value })],
    outputs: {},
    mockValues: [],
  });
  return diffEvaluations(side(old), side(next)).changes.map((change) => change.kind);
}

describe("the replace table as read in the pinned provider sources", () => {
  test.each([
    [
      "openstack:compute/instance:Instance",
      [
        "region",
        "availabilityZone",
        "availabilityZoneHints",
        "networkMode",
        "networks",
        "configDrive",
        "keyPair",
        "userData",
        "blockDevices",
        "schedulerHints",
      ],
    ],
    ["openstack:networking/floatingIpAssociate:FloatingIpAssociate", ["region", "floatingIp"]],
    [
      "openstack:networking/network:Network",
      ["region", "tenantId", "valueSpecs", "availabilityZoneHints", "transparentVlan"],
    ],
    ["command:remote:Command", ["triggers"]],
  ])("%s is replaced on a change of exactly %j", (type, forceNew) => {
    expect(REPLACE_TABLE[type].forceNew).toEqual(forceNew);
  });

  test("a remote.Command whose connection changes is updated in place (command 1.2.1: only triggers replaces)", () => {
    expect(
      kindOfChange("command:remote:Command", "connection", { host: "10.0.0.5" }, { host: "10.0.0.6" }),
    ).toEqual(["update"]);
  });

  test("a FloatingIpAssociate moved to another port is updated in place (v1.54.1: port_id is not ForceNew)", () => {
    expect(
      kindOfChange(
        "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
        "portId",
        "port-a",
        "port-b",
      ),
    ).toEqual(["update"]);
  });
});

/** `name: version` of a package as package-lock.json pins it. */
function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version: string }>;
  };
  return lock.packages[`node_modules/${name}`].version;
}

function installedVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version.replace(/^v/, "");
}

/** Each input of `export interface <Type>Args` with its doc comment. */
function argsDocs(file: string, interfaceName: string): Map<string, string> {
  const text = readFileSync(join(OPENSTACK, `${file}.d.ts`), "utf8");
  const start = text.indexOf(`export interface ${interfaceName} {`);
  if (start < 0) throw new Error(`${interfaceName} not found in ${file}.d.ts`);
  const body = text.slice(start, text.indexOf("\n}", start));
  const docs = new Map<string, string>();
  for (const match of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\??:/g)) docs.set(match[2], match[1]);
  return docs;
}

/** `openstack:networking/floatingIp:FloatingIp` -> `networking/floatingIp` and `FloatingIpArgs`. */
function argsOf(type: string): { file: string; interfaceName: string } {
  const [, module, name] = type.split(":");
  return { file: module, interfaceName: `${name}Args` };
}

const OPENSTACK_TYPES = Object.keys(REPLACE_TABLE).filter((type) => type.startsWith("openstack:"));

describe("the replace table cannot drift from the installed providers", () => {
  test.each(["@pulumi/openstack", "@pulumi/command"])(
    "%s in package-lock.json and node_modules is the version the table was checked against",
    (name) => {
      const checked = CHECKED_AGAINST[name].split(" ")[0];
      const message = (found: string) =>
        `${name} ${found} is pinned, but cli/resource-diff/replace-table.ts was checked against ${checked}: re-check the table against the new version's sources, then update CHECKED_AGAINST`;
      expect(lockedVersion(name) === checked ? "" : message(lockedVersion(name))).toBe("");
      expect(installedVersion(name) === checked ? "" : message(installedVersion(name))).toBe("");
    },
  );

  test.each(OPENSTACK_TYPES)("every input the %s docs call force-new is in the table", (type) => {
    const { file, interfaceName } = argsOf(type);
    const documented = [...argsDocs(file, interfaceName)]
      .filter(([, doc]) => /Changing\s+this\s+creates\s+a\s+new/.test(doc))
      .map(([input]) => input);
    expect(documented.filter((input) => !REPLACE_TABLE[type].forceNew.includes(input))).toEqual([]);
  });

  test.each(OPENSTACK_TYPES)(
    "every input the table names for %s is an input of the installed package",
    (type) => {
      const { file, interfaceName } = argsOf(type);
      const inputs = argsDocs(file, interfaceName);
      const rule = REPLACE_TABLE[type];
      const named = [...rule.forceNew, ...Object.keys(rule.inPlaceButDestructive ?? {})];
      expect(named.filter((input) => !inputs.has(input))).toEqual([]);
    },
  );

  test("remote.Command replaces on exactly the inputs the installed SDK passes as replaceOnChanges", () => {
    const sdk = readFileSync(
      join(ROOT, "node_modules", "@pulumi", "command", "remote", "command.js"),
      "utf8",
    );
    const declared = /replaceOnChanges:\s*(\[.*?\])\s*\}/.exec(sdk)?.[1];
    const inputs = (JSON.parse(declared ?? "[]") as string[]).map((path) => path.replace(/\[\*\]$/, ""));
    expect(inputs).toEqual(["triggers"]);
    expect(REPLACE_TABLE["command:remote:Command"].forceNew).toEqual(inputs);
  });
});

/**
 * `openrc import` and `inventory import` take their stack as every other verb does (`--stack`,
 * else $PULUMI_STACK, else the only stack file), refuse a stack that has no stack file and an
 * empty argument (an unset shell variable), and never write a character a terminal hides.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyProject, filesIn, PROJECT_DIR, read, runVerb, shipped } from "./support";

const OPENRC = join(PROJECT_DIR, "test", "fixtures", "openrc", "app-credential.sh");
const LISTING = join(PROJECT_DIR, "test", "fixtures", "inventory", "iu");
const IU_ONLY = ["Pulumi.yaml", "Pulumi.iu.yaml"];

describe("openrc import chooses its stack as the other verbs do", () => {
  test("without --stack it writes the only stack file", () => {
    const dir = copyProject(IU_ONLY);
    const run = runVerb(["openrc", "import", OPENRC, "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(
      "Pulumi.iu.yaml: OpenStack provider settings from app-credential.sh (application credential form)",
    );
    expect(read(dir, "Pulumi.iu.yaml")).toContain("openstack:region: IU");
  });

  test("without --stack it writes $PULUMI_STACK's stack file", () => {
    const dir = copyProject();
    const run = runVerb(["openrc", "import", OPENRC, "--dir", dir], { env: { PULUMI_STACK: "iu" } });
    expect(run.code).toBe(0);
    expect(read(dir, "Pulumi.iu.yaml")).toContain("openstack:region: IU");
    expect(read(dir, "Pulumi.tacc.yaml")).toBe(shipped("Pulumi.tacc.yaml"));
  });

  test("without --stack in a project of several stacks it names them", () => {
    const dir = copyProject();
    expect(runVerb(["openrc", "import", OPENRC, "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: "jetstream: --stack: required when the project has several stacks; allowed: iu, tacc\n",
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test("an empty FILE is refused as the empty value it is", () => {
    const dir = copyProject();
    expect(runVerb(["openrc", "import", "", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: openrc import FILE: an empty value (an unset shell variable?); allowed: the path of an openrc file from Horizon or the Jetstream2 docs\n",
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test("a value holding a bidi override is refused, the character escaped, the stack file unchanged", () => {
    const dir = copyProject();
    const openrc = join(mkdtempSync(join(tmpdir(), "jetstream-openrc-")), "bidi.sh");
    writeFileSync(
      openrc,
      readFileSync(OPENRC, "utf8").replace('OS_REGION_NAME="IU"', 'OS_REGION_NAME="I\u202eU"'),
    );
    expect(runVerb(["openrc", "import", openrc, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: bidi.sh:8: OS_REGION_NAME: "I\\u202eU" holds a line break, a control character or an invisible formatting character; allowed: one line of printable text\n',
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });
});

describe("inventory import chooses its stack as the other verbs do", () => {
  test("without --stack it writes the only stack's inventory, the cloud named after it", () => {
    const dir = copyProject(IU_ONLY);
    const run = runVerb(["inventory", "import", "--from", LISTING, "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[1]).toBe(
      "Review it (git diff inventory/iu.yaml), then run `jetstream plan --stack iu`.",
    );
    expect(read(dir, "inventory/iu.yaml")).toContain("cloud: IU");
  });

  test("a stack without a stack file is refused, no inventory written", () => {
    const dir = copyProject();
    expect(runVerb(["inventory", "import", "--from", LISTING, "--stack", "nope", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --stack: no stack "nope" in ${dir}; allowed: iu, tacc\n`,
    });
    expect(existsSync(join(dir, "inventory"))).toBe(false);
  });

  test("an empty --from is refused as the empty value it is", () => {
    const dir = copyProject();
    expect(runVerb(["inventory", "import", "--from", "", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --from: an empty value (an unset shell variable?); allowed: the folder holding the openstack CLI's JSON outputs\n",
    });
    expect(filesIn(dir)).toEqual(["Pulumi.iu.yaml", "Pulumi.tacc.yaml", "Pulumi.yaml"]);
  });
});

/**
 * suspend / resume / stop / start / launch on copies of the shipped stack files: the file's diff
 * is exactly the expected lines, comments and the other stack's file are untouched.
 */
import { chmodSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  changedLines,
  commentLines,
  copyProject,
  filesIn,
  read,
  resourceReport,
  runVerb,
  shipped,
} from "./support";

const NEXT_IU =
  "Next: review and commit Pulumi.iu.yaml, then `pulumi preview --stack iu` (or `jetstream up --stack iu`).";

describe("suspend, resume, stop, start", () => {
  test("suspend of the online proxy target is refused: the site goes offline first, file untouched", () => {
    const dir = copyProject();
    const result = runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  instances.lappsgrid-galaxy.state: "shelved" is not allowed while proxy.target is lappsgrid-galaxy and proxy.mode is online: the site would forward to a server that is down; allowed: active (`jetstream resume lappsgrid-galaxy`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)\n',
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test("suspend changes only the instance's state line, to shelved, and says what to run next", () => {
    const dir = copyProject();
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir]).code).toBe(0);
    const offline = read(dir, "Pulumi.iu.yaml");
    const result = runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const after = read(dir, "Pulumi.iu.yaml");
    expect(changedLines(offline, after)).toEqual(["-      state: active", "+      state: shelved"]);
    expect(commentLines(after)).toEqual(commentLines(shipped("Pulumi.iu.yaml")));
    expect(read(dir, "Pulumi.tacc.yaml")).toBe(shipped("Pulumi.tacc.yaml"));
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Pulumi.iu.yaml: lappsgrid-galaxy: state active -> shelved");
    expect(lines).toEqual(
      expect.arrayContaining(["--- a/Pulumi.iu.yaml", "-      state: active", "+      state: shelved"]),
    );
    expect(lines).toContain(NEXT_IU);
  });

  test("suspend adds a state line after the instance's last key when it has none", () => {
    const dir = copyProject();
    const result = runVerb(["suspend", "lappsgrid-worker", "--stack", "tacc", "--dir", dir]);
    expect(result.code).toBe(0);
    const after = read(dir, "Pulumi.tacc.yaml");
    expect(changedLines(shipped("Pulumi.tacc.yaml"), after)).toEqual(["+      state: shelved"]);
    expect(after).toContain("      ip: assign\n      state: shelved\n");
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test("resume after suspend gives back the original file byte for byte", () => {
    const dir = copyProject();
    runVerb(["offline", "--stack", "iu", "--dir", dir]);
    const offline = read(dir, "Pulumi.iu.yaml");
    runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]);
    const result = runVerb(["resume", "galaxy", "--stack", "iu", "--dir", dir]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("Pulumi.iu.yaml: lappsgrid-galaxy: state shelved -> active");
    expect(read(dir, "Pulumi.iu.yaml")).toBe(offline);
  });

  test("stop writes stopped; start sets the existing state line to active rather than removing it", () => {
    const dir = copyProject();
    runVerb(["stop", "worker", "--stack", "tacc", "--dir", dir]);
    const stopped = read(dir, "Pulumi.tacc.yaml");
    expect(changedLines(shipped("Pulumi.tacc.yaml"), stopped)).toEqual(["+      state: stopped"]);
    runVerb(["start", "worker", "--stack", "tacc", "--dir", dir]);
    expect(changedLines(stopped, read(dir, "Pulumi.tacc.yaml"))).toEqual([
      "-      state: stopped",
      "+      state: active",
    ]);
  });

  test("resume of an active instance changes nothing and says so", () => {
    const dir = copyProject();
    const result = runVerb(["resume", "galaxy", "--stack", "iu", "--dir", dir]);
    expect(result).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: lappsgrid-galaxy is already active; nothing to change\n",
      stderr: "",
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test("stop of a shelved instance is refused with the two-step path, file untouched", () => {
    const dir = copyProject();
    runVerb(["offline", "--stack", "iu", "--dir", dir]);
    expect(runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]).code).toBe(0);
    const shelved = read(dir, "Pulumi.iu.yaml");
    const result = runVerb(["stop", "galaxy", "--stack", "iu", "--dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: lappsgrid-galaxy is shelved, and nova refuses to stop a shelved server (409 \"Cannot 'stop' instance ... while it is in vm_state shelved_offloaded\"); take two steps: `jetstream resume lappsgrid-galaxy --stack iu` and `pulumi up`, then `jetstream stop lappsgrid-galaxy --stack iu` and `pulumi up`\n",
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shelved);
  });

  test("an unknown instance is refused with the list of known ones, file untouched", () => {
    const dir = copyProject();
    const result = runVerb(["suspend", "galaxie", "--stack", "iu", "--dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: no instance "galaxie" in Pulumi.iu.yaml; known instances: lappsgrid-galaxy, lappsgrid-proxy\n',
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test("a missing instance name is a one-line usage error naming NAME and stop's help", () => {
    const dir = copyProject();
    const result = runVerb(["stop", "--stack", "iu", "--dir", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "jetstream: stop NAME: missing; allowed: instance, with or without the lappsgrid- prefix (`jetstream stop --help`)\n",
    );
  });

  test("suspend --help says that suspend shelves: memory is not kept, SU cost drops to zero", () => {
    const result = runVerb(["suspend", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, " ")).toContain(
      "Suspend shelves the server: memory is not kept (it boots again on resume), its disk and addresses stay, and its SU cost drops to zero.",
    );
  });
});

describe("launch", () => {
  test("launch writes the normalised name with the chosen size, the default image and the ip", () => {
    const dir = copyProject();
    const result = runVerb(["launch", "-l", "--ip", "assign", "test1", "--stack", "iu", "--dir", dir]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(
      "Pulumi.iu.yaml: lappsgrid-test1: launched (size large, image ubuntu, ip assign)",
    );
    const after = read(dir, "Pulumi.iu.yaml");
    expect(changedLines(shipped("Pulumi.iu.yaml"), after)).toEqual([
      "+    lappsgrid-test1:",
      "+      size: large",
      "+      image: ubuntu",
      "+      ip: assign",
    ]);
    expect(after).toContain("      state: active\n    lappsgrid-test1:\n");
    expect(commentLines(after)).toEqual(commentLines(shipped("Pulumi.iu.yaml")));
    expect(read(dir, "Pulumi.tacc.yaml")).toBe(shipped("Pulumi.tacc.yaml"));
  });

  test("the operator guide's line works: launch -l --image docker --ip assign NAME --stack S", () => {
    const dir = copyProject();
    const result = runVerb(
      ["launch", "-l", "--image", "docker", "--ip", "assign", "tools", "--stack", "tacc", "--dir", dir],
      { resourceDiff: true },
    );
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(changedLines(shipped("Pulumi.tacc.yaml"), read(dir, "Pulumi.tacc.yaml"))).toEqual([
      "+    lappsgrid-tools:",
      "+      size: large",
      "+      image: docker",
      "+      ip: assign",
    ]);
    // The program evaluated offline for the new file, as before every write the user makes.
    expect(resourceReport(result.stdout)).toEqual([
      "Stack tacc: 5 to create, 0 to update, 0 to replace, 0 to delete, 17 unchanged",
      "  +  create  lappsgrid-tools  lappsgrid:jetstream:Instance",
      "  +  create  lappsgrid-tools-server  openstack:compute/instance:Instance",
      "  +  create  lappsgrid-tools-floating-ip  openstack:networking/floatingIp:FloatingIp",
      "  +  create  lappsgrid-tools-floating-ip-association  openstack:networking/floatingIpAssociate:FloatingIpAssociate",
      "  +  create  lappsgrid-tools-port  openstack:networking/port:Port",
    ]);
  });

  test("launch with no options writes size medium and image ubuntu, and no ip", () => {
    const dir = copyProject();
    runVerb(["launch", "web", "--stack", "tacc", "--dir", dir]);
    expect(changedLines(shipped("Pulumi.tacc.yaml"), read(dir, "Pulumi.tacc.yaml"))).toEqual([
      "+    lappsgrid-web:",
      "+      size: medium",
      "+      image: ubuntu",
    ]);
  });

  test("launch --size and -i take names", () => {
    const dir = copyProject();
    runVerb(["launch", "--size", "xlarge", "-i", "master", "lappsgrid-big", "--stack", "iu", "--dir", dir]);
    expect(changedLines(shipped("Pulumi.iu.yaml"), read(dir, "Pulumi.iu.yaml"))).toEqual([
      "+    lappsgrid-big:",
      "+      size: xlarge",
      "+      image: master",
    ]);
  });

  test("launch refuses an instance that exists, in either spelling", () => {
    const dir = copyProject();
    for (const name of ["galaxy", "lappsgrid-galaxy"]) {
      const result = runVerb(["launch", name, "--stack", "iu", "--dir", dir]);
      expect(result).toEqual({
        code: 1,
        stdout: "",
        stderr:
          "jetstream: instance lappsgrid-galaxy already exists in Pulumi.iu.yaml; pick another name, or use suspend/resume/stop/start on it\n",
      });
    }
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test.each([
    [
      ["--size", "huge"],
      'instances.lappsgrid-x.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge',
    ],
    [
      ["-i", "nosuch"],
      'instances.lappsgrid-x.image: "nosuch" is not an image alias of this stack; allowed: centos, docker, master, ubuntu',
    ],
    [
      ["--ip", "10.0.0.300"],
      'instances.lappsgrid-x.ip: "10.0.0.300" is neither "assign" nor an IPv4 address; allowed: assign, or a public address allocated earlier in this cloud',
    ],
  ])(
    "launch %j is rejected by the config module: file byte-identical, key and reason printed",
    (options, problem) => {
      const dir = copyProject();
      const result = runVerb(["launch", ...options, "x", "--stack", "iu", "--dir", dir]);
      expect(result).toEqual({
        code: 1,
        stdout: "",
        stderr: `jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ${problem}\n`,
      });
      expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
      expect(filesIn(dir)).toEqual(["Pulumi.iu.yaml", "Pulumi.tacc.yaml", "Pulumi.yaml"]);
    },
  );

  test("two sizes are a one-line usage error naming the flags as written", () => {
    const dir = copyProject();
    const result = runVerb(["launch", "-t", "-l", "x", "--stack", "iu", "--dir", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "jetstream: launch: give one size, not -t and -l; allowed: -t|-s|-m|-l|-x or --size NAME (`jetstream launch --help`)\n",
    );
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });
});

describe("the rules every edit follows", () => {
  test("secure: values, flow lists and long lines outside the edit stay byte for byte", () => {
    const dir = copyProject(["Pulumi.yaml"]);
    const text = [
      "# hand-written",
      "config:",
      "  openstack:region: IU   # the primary cloud",
      "  lappsgrid-jetstream:proxySshKey:",
      "    secure: AAABAHkX0rJ1nqLqfR0v8Yz3bZ0k7oQZ2F9z0Xo4wq1Z7kq3mFvJ==",
      "  lappsgrid-jetstream:network: {cidr: 10.0.0.0/24, dnsNameservers: [8.8.8.8, 8.8.4.4]}",
      "  lappsgrid-jetstream:instances:",
      "    box:   # short key, as some operators write it",
      "      size: small",
      "      userData: 'a long single-quoted line that re-serialising would fold at eighty columns, which must not happen'",
      "",
    ].join("\n");
    writeFileSync(join(dir, "Pulumi.lab.yaml"), text);
    const result = runVerb(["stop", "box", "--dir", dir]);
    expect(result.code).toBe(0);
    expect(changedLines(text, read(dir, "Pulumi.lab.yaml"))).toEqual(["+      state: stopped"]);
  });

  test("a stack file that is already invalid is refused before any edit, naming the problem", () => {
    const dir = copyProject(["Pulumi.yaml"]);
    const text = "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: huge\n";
    writeFileSync(join(dir, "Pulumi.lab.yaml"), text);
    expect(runVerb(["stop", "box", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: Pulumi.lab.yaml is not valid as it is; fix it first (`jetstream plan --stack lab`):\n  instances.box.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge\n',
    });
    expect(read(dir, "Pulumi.lab.yaml")).toBe(text);
  });

  test("the write is atomic: the file keeps its mode and no temporary file is left behind", () => {
    const dir = copyProject();
    chmodSync(join(dir, "Pulumi.iu.yaml"), 0o600);
    runVerb(["offline", "--stack", "iu", "--dir", dir]);
    expect(statSync(join(dir, "Pulumi.iu.yaml")).mode & 0o777).toBe(0o600);
    expect(filesIn(dir)).toEqual(["Pulumi.iu.yaml", "Pulumi.tacc.yaml", "Pulumi.yaml"]);
  });

  test("without --stack, $PULUMI_STACK picks the stack file", () => {
    const dir = copyProject();
    const result = runVerb(["suspend", "worker", "--dir", dir], { env: { PULUMI_STACK: "tacc" } });
    expect(result.code).toBe(0);
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
    expect(changedLines(shipped("Pulumi.tacc.yaml"), read(dir, "Pulumi.tacc.yaml"))).toEqual([
      "+      state: shelved",
    ]);
  });

  test("without --stack or $PULUMI_STACK, several stack files make it ask which", () => {
    const dir = copyProject();
    const result = runVerb(["suspend", "worker", "--dir", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "jetstream: --stack: required when the project has several stacks; allowed: iu, tacc\n",
    );
  });

  test("the only stack file in the folder is the default", () => {
    const dir = copyProject(["Pulumi.yaml", "Pulumi.tacc.yaml"]);
    const result = runVerb(["suspend", "worker", "--dir", dir]);
    expect(result.code).toBe(0);
  });
});

/**
 * `ssh`, `visit` and `forget` given a NAME that can never be an instance, a NAME the stack does
 * not have, an empty option without --stack, or a project known_hosts that is a dangling link:
 * the message blames what the operator wrote, before anything else is looked at.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROJECT_DIR } from "../helpers/program";
import { copyProject, read, runVerb } from "./support";

jest.setTimeout(120_000);

const UNSET = "an empty value (an unset shell variable?)";
const NAME_ALLOWED =
  'allowed: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters with the lappsgrid- prefix';
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2QzNy1vU3dMm0Z1p1kq4iSb8xQmKp0V3l8m5p1bX7Y";
/** No `pulumi` on PATH, whatever the machine has: the live outputs cannot be read. */
const NO_PULUMI = { PATH: dirname(process.execPath) };

let project: string;
let knownHosts: string;

beforeEach(() => {
  project = copyProject();
  knownHosts = join(project, "known_hosts");
  writeFileSync(knownHosts, `149.165.170.20 ${KEY}\n`);
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe("a NAME that can never be an instance is refused with launch's rule", () => {
  test.each(["Galaxy", "a b", "lappsgrid-", "tacc/worker", "../../etc/passwd", "x-"])("forget %j", (name) => {
    const run = runVerb(["forget", name, "--stack", "iu", "--address", "149.165.170.20", "--dir", project]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: forget NAME: ${JSON.stringify(name)} is not an instance name; ${NAME_ALLOWED}\n`,
    });
    expect(read(project, "known_hosts")).toBe(`149.165.170.20 ${KEY}\n`);
  });

  test.each(["Galaxy", "a b", "tacc/worker"])("visit %j --address", (name) => {
    const run = runVerb(["visit", name, "--stack", "iu", "--address", "149.165.170.20", "--dir", project], {
      env: { DISPLAY: "" },
    });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: visit NAME: ${JSON.stringify(name)} is not an instance name; ${NAME_ALLOWED}\n`,
    });
  });

  test.each(["Galaxy", "../../etc/passwd"])("ssh %j --address", (name) => {
    const run = runVerb(["ssh", name, "--stack", "iu", "--address", "127.0.0.1:1", "--dir", project]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: ssh NAME: ${JSON.stringify(name)} is not an instance name; ${NAME_ALLOWED}\n`,
    });
  });

  test("the length limit is said when only the length is wrong", () => {
    const name = "a".repeat(54);
    const run = runVerb(["forget", name, "--stack", "iu", "--address", "149.165.170.20", "--dir", project]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: forget NAME: "${name}" is 64 characters long with the lappsgrid- prefix, not an instance name; ${NAME_ALLOWED}\n`,
    });
  });

  test("a valid name the stack lacks is still forgotten, with the warning", () => {
    const run = runVerb([
      "forget",
      "old-worker",
      "--stack",
      "iu",
      "--address",
      "149.165.170.20",
      "--dir",
      project,
    ]);
    expect(run).toEqual({
      code: 0,
      stdout: `forgot 149.165.170.20 (lappsgrid-old-worker) in ${knownHosts}\n`,
      stderr:
        "warning: stack iu has no instance lappsgrid-old-worker (deleted, or a typo?); forgetting its addresses anyway\n",
    });
  });
});

describe("a NAME the stack does not have is named before the live outputs are needed", () => {
  test("visit nosuch without --address names the name, not the missing Pulumi CLI", () => {
    const run = runVerb(["visit", "nosuch", "--stack", "iu", "--dir", project], { env: NO_PULUMI });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: NAME: no instance "nosuch" in stack iu; allowed: lappsgrid-galaxy, lappsgrid-proxy, or an address with --address HOST\n',
    });
  });

  test("ssh nosuch without --address names the name, not the missing Pulumi CLI", () => {
    const run = runVerb(["ssh", "nosuch", "--stack", "iu", "--dir", project], { env: NO_PULUMI });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: NAME: no instance "nosuch" in stack iu; allowed: lappsgrid-galaxy, lappsgrid-proxy\n',
    });
  });
});

describe("visit --address says what visit allows", () => {
  const allowed = "allowed: an IPv4 address or host name, with the port in PORT/PATH (8080/galaxy)";

  test("an empty --address is refused as empty, before --stack is asked for", () => {
    const run = runVerb(["visit", "galaxy", "--address", "", "--dir", project]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: visit --address: ${UNSET}; ${allowed}\n`,
    });
  });

  test("an address that is no host is refused in visit's terms, not [USER@]HOST[:PORT]", () => {
    const run = runVerb(["visit", "galaxy", "--address", "a b", "--stack", "iu", "--dir", project]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --address: "a b" is not a host for visit; ${allowed}\n`,
    });
  });
});

describe("an empty option is named before --stack is asked for", () => {
  test.each([
    [["ssh", "galaxy", "--known-hosts", ""], `--known-hosts: ${UNSET}; allowed: a known_hosts file`],
    [["ssh", "galaxy", "--identity", ""], `ssh --identity: ${UNSET}; allowed: a private key file`],
    [
      ["ssh", "galaxy", "--address", ""],
      `ssh --address: ${UNSET}; allowed: [USER@]HOST[:PORT] (an IPv4 address or a host name, port 1-65535)`,
    ],
    [
      ["ssh", "galaxy", "--jump", ""],
      `ssh --jump: ${UNSET}; allowed: [USER@]HOST[:PORT] (an IPv4 address or a host name, port 1-65535)`,
    ],
    [["forget", "galaxy", "--known-hosts", ""], `--known-hosts: ${UNSET}; allowed: a known_hosts file`],
    [
      ["forget", "galaxy", "--address", ""],
      `forget --address: ${UNSET}; allowed: [USER@]HOST[:PORT] (an IPv4 address or a host name, port 1-65535)`,
    ],
  ])("%j", (argv, message) => {
    expect(runVerb([...argv, "--dir", project], { env: NO_PULUMI })).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: ${message}\n`,
    });
  });
});

describe("a project known_hosts that is a dangling symlink is named, not skipped", () => {
  test("forget refuses it rather than cleaning ~/.ssh/known_hosts", () => {
    rmSync(knownHosts);
    const target = join(project, "keys", "known_hosts");
    symlinkSync(target, knownHosts);
    const run = runVerb([
      "forget",
      "galaxy",
      "--stack",
      "iu",
      "--address",
      "149.165.170.20",
      "--dir",
      project,
    ]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: known_hosts ${knownHosts} is a symbolic link to ${target}, which does not exist; allowed: a link to a known_hosts file, or no known_hosts in the project (then ~/.ssh/known_hosts is used)\n`,
    });
  });

  test("ssh refuses it rather than checking keys against ~/.ssh/known_hosts", () => {
    rmSync(knownHosts);
    symlinkSync("nowhere", knownHosts);
    const run = runVerb(["ssh", "galaxy", "--stack", "iu", "--address", "127.0.0.1:1", "--dir", project]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: known_hosts ${knownHosts} is a symbolic link to nowhere, which does not exist; allowed: a link to a known_hosts file, or no known_hosts in the project (then ~/.ssh/known_hosts is used)\n`,
    });
  });
});

test("a read-only inventory is named as the operator reaches it: inventory/iu.yaml", () => {
  mkdirSync(join(project, "inventory"));
  const inventory = join(project, "inventory", "iu.yaml");
  writeFileSync(inventory, "cloud: IU\n");
  chmodSync(inventory, 0o444);
  const listing = join(PROJECT_DIR, "test", "fixtures", "inventory", "iu");
  const run = runVerb(["inventory", "import", "--from", listing, "--stack", "iu", "--dir", project]);
  expect(run).toEqual({
    code: 1,
    stdout: "",
    stderr:
      "jetstream: inventory/iu.yaml is read-only (mode 444); left unchanged; make it writable first (chmod u+w inventory/iu.yaml) if this edit is meant\n",
  });
  expect(readFileSync(inventory, "utf8")).toBe("cloud: IU\n");
});

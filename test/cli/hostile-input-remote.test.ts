/**
 * `ssh`, `visit` and `forget` given what is not what it looks like: a NAME the stack does not have
 * (deleted, or a typo), a known_hosts path that does not exist, is a directory or cannot be
 * written. The command says so: refused with exit 1, or done with a warning on stderr.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyProject, runVerb } from "./support";

jest.setTimeout(120_000);

describe("visit", () => {
  let project: string;
  beforeAll(() => {
    project = copyProject();
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test("visit --address of a name the stack does not have goes ahead and warns on stderr", () => {
    const run = runVerb(["visit", "galxy", "--stack", "iu", "--address", "149.165.170.20"], {
      cwd: project,
      env: { DISPLAY: "" },
    });
    expect(run).toEqual({
      code: 0,
      stdout: "http://149.165.170.20/\n",
      stderr:
        "warning: stack iu has no instance lappsgrid-galxy; visiting --address 149.165.170.20 as given\n",
    });
  });

  test("visit's help says NAME need not be in the stack with --address", () => {
    const help = runVerb(["visit", "--help"]);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      "NAME need not be in the stack then (a warning says so): a server deleted from the file but still running",
    );
  });
});

describe("forget", () => {
  let project: string;
  let knownHosts: string;
  const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2QzNy1vU3dMm0Z1p1kq4iSb8xQmKp0V3l8m5p1bX7Y";
  beforeEach(() => {
    project = copyProject();
    knownHosts = join(project, "known_hosts");
    writeFileSync(
      knownHosts,
      [
        `149.165.170.20 ${KEY}`,
        `10.0.0.12 ${KEY}`,
        `[127.0.0.1]:2222 ${KEY}`,
        `149.165.157.82 ${KEY}`,
        "",
      ].join("\n"),
    );
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  test("an instance deleted from the stack file is still forgotten, with a warning that the stack has no such instance", () => {
    const run = runVerb(["forget", "worker", "--stack", "iu", "--address", "149.165.170.20"], {
      cwd: project,
    });
    expect(run).toEqual({
      code: 0,
      stdout: `forgot 149.165.170.20 (lappsgrid-worker) in ${knownHosts}\n`,
      stderr:
        "warning: stack iu has no instance lappsgrid-worker (deleted, or a typo?); forgetting its addresses anyway\n",
    });
    expect(readFileSync(knownHosts, "utf8")).not.toContain("149.165.170.20");
  });

  test("a --known-hosts file that does not exist is refused as such, not reported as lacking the key", () => {
    const missing = join(project, "nonexist");
    const run = runVerb(
      ["forget", "galaxy", "--stack", "iu", "--address", "1.2.3.4", "--known-hosts", missing],
      { cwd: project },
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --known-hosts: ${missing} does not exist; allowed: a known_hosts file you can read and write (ssh writes ~/.ssh/known_hosts)\n`,
    });
    expect(existsSync(missing)).toBe(false);
  });

  test("a --known-hosts that is a directory is refused as a directory", () => {
    const run = runVerb(
      ["forget", "galaxy", "--stack", "iu", "--address", "1.2.3.4", "--known-hosts", project],
      { cwd: project },
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --known-hosts: ${project} is a directory; allowed: a known_hosts file you can read and write\n`,
    });
  });

  test("a --known-hosts file the operator cannot write is refused before ssh-keygen touches it", () => {
    chmodSync(knownHosts, 0o444);
    // Root writes any file through its DAC capabilities: run the CLI without them, as root still.
    const caps = "-dac_override,-dac_read_search";
    const withoutOverride =
      process.getuid?.() === 0 ? ["setpriv", `--inh-caps=${caps}`, `--bounding-set=${caps}`] : [];
    const cli = join(__dirname, "..", "..", "bin", "jetstream.js");
    const argv = [
      "forget",
      "galaxy",
      "--stack",
      "iu",
      "--address",
      "149.165.170.20",
      "--known-hosts",
      knownHosts,
    ];
    const [command, ...args] = [...withoutOverride, process.execPath, cli, ...argv];
    const run = spawnSync(command, args, { cwd: project, encoding: "utf8" });
    expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --known-hosts: ${knownHosts} is not readable and writable by you; allowed: a known_hosts file you can read and write\n`,
    });
    expect(readFileSync(knownHosts, "utf8")).toContain("149.165.170.20");
  });

  test("without --known-hosts, a missing ~/.ssh/known_hosts is nothing to forget, said so, exit 0", () => {
    rmSync(knownHosts);
    const home = mkdtempSync(join(tmpdir(), "jetstream-home-"));
    try {
      const run = runVerb(["forget", "galaxy", "--stack", "iu", "--address", "149.165.170.20"], {
        cwd: project,
        env: { HOME: home },
      });
      expect(run).toEqual({
        code: 0,
        stdout: `nothing to forget: ${join(home, ".ssh", "known_hosts")} does not exist\n`,
        stderr: "",
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("ssh --known-hosts", () => {
  let project: string;
  beforeAll(() => {
    project = copyProject();
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const ssh = (...extra: string[]) =>
    runVerb(["ssh", "galaxy", "--stack", "iu", "--address", "127.0.0.1:1", ...extra], { cwd: project });

  test("a file that does not exist is refused without --accept-new, not reported as lacking the key", () => {
    const missing = join(project, "nonexist");
    expect(ssh("--known-hosts", missing)).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --known-hosts: ${missing} does not exist; allowed: an existing known_hosts file, or --accept-new to create it with the key this first connection shows\n`,
    });
  });

  test("with --accept-new, a file in a folder that does not exist is refused, naming the folder", () => {
    const folder = join(project, "newdir");
    expect(ssh("--known-hosts", join(folder, "kh"), "--accept-new")).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --known-hosts: ${join(folder, "kh")}: the folder ${folder} does not exist, so ssh could not record the key it accepts (every later run would accept any key); allowed: a file in an existing folder; create it first (mkdir -p ${folder})\n`,
    });
  });

  test("with --accept-new, a file under a path that is not a folder is refused, naming it", () => {
    const file = join(project, "Pulumi.yaml");
    expect(ssh("--known-hosts", join(file, "kh"), "--accept-new")).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --known-hosts: ${join(file, "kh")}: ${file} is not a folder, so ssh could not record the key it accepts (every later run would accept any key); allowed: a file in an existing folder\n`,
    });
  });

  test("a directory is refused, --accept-new or not", () => {
    expect(ssh("--known-hosts", project, "--accept-new")).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --known-hosts: ${project} is a directory; allowed: a known_hosts file\n`,
    });
  });
});

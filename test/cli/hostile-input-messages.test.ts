/**
 * Messages that must blame what the operator wrote (an option, not the key it becomes; the key
 * as written; the stack to pass), warnings on stderr where scripts and eyes expect them, and
 * root keys of the stack file holding values Pulumi cannot read.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyProject, filesIn, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";

function projectWith(file: string, text: string): string {
  const dir = copyProject();
  writeFileSync(join(dir, file), text);
  return dir;
}

describe("launch with an empty option value blames the option, not the key it would become", () => {
  test.each([
    ["--ip", "allowed: assign, or a public address allocated earlier in this cloud"],
    ["--size", "allowed: tiny, small, medium, large, xlarge"],
    ["--image", "allowed: an image alias of this stack (centos, docker, master, ubuntu)"],
  ])("launch foo %s '' is refused naming the option; %s", (option, allowed) => {
    const dir = copyProject();
    expect(runVerb(["launch", "foo", option, "", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: launch ${option}: an empty value (an unset shell variable?); ${allowed}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("launch --ip with a value that is neither assign nor an address says what is allowed", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "foo", "--ip", "free", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  instances.lappsgrid-foo.ip: "free" is neither "assign" nor an IPv4 address; allowed: assign, or a public address allocated earlier in this cloud\n',
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });
});

describe("an instance key is printed as written", () => {
  const tacc = shipped(TACC).replace("    lappsgrid-worker:\n", '    "123":\n');

  test('suspend 123 of a quoted "123": key prints 123, not lappsgrid-123', () => {
    const dir = projectWith(TACC, tacc);
    const run = runVerb(["suspend", "123", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("Pulumi.tacc.yaml: 123: state active -> shelved");
  });

  test('suspend twice says "123 is already shelved"', () => {
    const dir = projectWith(
      TACC,
      tacc.replace("      ip: assign\n", "      ip: assign\n      state: shelved\n"),
    );
    expect(runVerb(["suspend", "123", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 0,
      stdout: "Pulumi.tacc.yaml: 123 is already shelved; nothing to change\n",
      stderr: "",
    });
  });

  test('delete 123 of a quoted "123": key prints 123', () => {
    const dir = projectWith(TACC, tacc);
    const run = runVerb(["delete", "123", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("Pulumi.tacc.yaml: 123: deleted");
  });
});

describe("a proxy verb on a stack without a proxy names the stack that has one", () => {
  test.each([["proxy", "galaxy"], ["offline"], ["online"]])(
    "%s --stack tacc says pass --stack iu",
    (...argv) => {
      const dir = copyProject();
      expect(runVerb([...argv, "--stack", "tacc", "--dir", dir])).toEqual({
        code: 1,
        stdout: "",
        stderr:
          "jetstream: Pulumi.tacc.yaml has no proxy (no lappsgrid-jetstream:proxy block); the public proxy lives in stack iu: pass --stack iu\n",
      });
      expect(read(dir, TACC)).toBe(shipped(TACC));
    },
  );

  test("proxy-config --stack tacc says pass --stack iu, and writes nothing", () => {
    const dir = copyProject();
    const out = join(dir, "site");
    expect(runVerb(["proxy-config", "--out", out, "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml has no proxy (no lappsgrid-jetstream:proxy block); the public proxy lives in stack iu: pass --stack iu\n",
    });
    expect(filesIn(dir)).not.toContain("site");
  });

  test("proxy-config with no stack holding a proxy block says so, naming the stack from $PULUMI_STACK without --stack", () => {
    const iu = shipped(IU).replace(/\n {2}# jetstream\.lappsgrid\.org:[\s\S]*$/, "\n");
    const dir = projectWith(IU, iu);
    const run = runVerb(["proxy-config", "--out", join(dir, "site"), "--dir", dir], {
      env: { PULUMI_STACK: "tacc" },
    });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml has no proxy (no lappsgrid-jetstream:proxy block), and no other stack has one; allowed: add a lappsgrid-jetstream:proxy block to the stack whose instance has role: proxy\n",
    });
  });

  test("with no stack holding a proxy block, it says so", () => {
    const iu = shipped(IU).replace(/\n {2}# jetstream\.lappsgrid\.org:[\s\S]*$/, "\n");
    const dir = projectWith(IU, iu);
    expect(runVerb(["offline", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml has no proxy (no lappsgrid-jetstream:proxy block), and no other stack has one; allowed: add a lappsgrid-jetstream:proxy block to the stack whose instance has role: proxy\n",
    });
  });
});

describe("a quote or bracket left open on an instance's line is reported where it opened", () => {
  test.each([
    ['"m3.small', '"', '"'],
    ["'m3.small", "'", "'"],
    ["{flavor: m3.small", "{", "}"],
  ])("size: %s", (value, opener, closer) => {
    const tacc = shipped(TACC).replace("      size: medium\n", `      size: ${value}\n`);
    const dir = projectWith(TACC, tacc);
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.tacc.yaml: not valid YAML at line 32, column 13: size: the ${opener} opened here is never closed; allowed: close it with ${closer} (size: ${value})\n`,
    });
    expect(read(dir, TACC)).toBe(tacc);
  });
});

describe("a number is named as written in the file, not as YAML read it", () => {
  const refusedAs = (stack: string, line: string) =>
    `jetstream: Pulumi.${stack}.yaml is not valid as it is; fix it first (\`jetstream plan --stack ${stack}\`):\n  ${line}\n`;

  test.each(["1e400", "-1e400", ".NaN", "1e3", "0x10", "+12"])("size: %s", (value) => {
    const tacc = shipped(TACC).replace("      size: medium\n", `      size: ${value}\n`);
    const dir = projectWith(TACC, tacc);
    expect(runVerb(["stop", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: refusedAs(
        "tacc",
        `instances.lappsgrid-worker.size: ${value} is not a size; allowed: tiny, small, medium, large, xlarge`,
      ),
    });
    expect(read(dir, TACC)).toBe(tacc);
  });

  test("proxy.port: 1e5", () => {
    const iu = shipped(IU).replace("    port: 8080\n", "    port: 1e5\n");
    const dir = projectWith(IU, iu);
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: refusedAs("iu", "proxy.port: 1e5 is not a port; allowed: an integer from 1 to 65535"),
    });
    expect(read(dir, IU)).toBe(iu);
  });

  test("a top-level secretsprovider: 1e400 is not shown as null", () => {
    const iu = `${shipped(IU)}secretsprovider: 1e400\n`;
    const dir = projectWith(IU, iu);
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: refusedAs(
        "iu",
        "secretsprovider: 1e400 is not allowed; allowed: text (the secrets provider's URL)",
      ),
    });
  });
});

describe("drift --event-log with a line that is not JSON", () => {
  test("names the line and what is allowed", () => {
    const dir = copyProject();
    const log = join(dir, "events.log");
    writeFileSync(log, '{"sequence":0,"timestamp":0}\nrefresh failed: not json\n');
    expect(runVerb(["drift", "--event-log", log, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --event-log ${log}: line 2 is not JSON; allowed: one JSON engine event per line, the file \`pulumi refresh --preview-only --event-log FILE\` writes\n`,
    });
  });

  test("counts blank lines, so the number is the editor's", () => {
    const dir = copyProject();
    const log = join(dir, "events.log");
    writeFileSync(log, '\n{"sequence":0,"timestamp":0}\n\n{"sequence":1,\n');
    expect(runVerb(["drift", "--event-log", log, "--stack", "iu", "--dir", dir]).stderr).toBe(
      `jetstream: --event-log ${log}: line 4 is not JSON; allowed: one JSON engine event per line, the file \`pulumi refresh --preview-only --event-log FILE\` writes\n`,
    );
  });
});

describe("warnings go to stderr; stdout keeps the report", () => {
  test("stop worker --stack tacc while IU's online proxy serves tacc/worker", () => {
    const iu = shipped(IU).replace("target: lappsgrid-galaxy", "target: tacc/worker");
    const dir = projectWith(IU, iu);
    const run = runVerb(["stop", "worker", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "warning: lappsgrid-worker is the proxy target of jetstream.lappsgrid.org (Pulumi.iu.yaml: proxy.target tacc/lappsgrid-worker): the site fails until it is active again; `jetstream offline --stack iu` shows the offline page meanwhile\n",
    );
    expect(run.stdout.split("\n").slice(0, 2)).toEqual([
      "Pulumi.tacc.yaml: lappsgrid-worker: state active -> stopped",
      "",
    ]);
    expect(run.stdout).not.toContain("warning");
  });

  test("online with a shelved target in another stack warns on stderr", () => {
    const iu = shipped(IU)
      .replace("target: lappsgrid-galaxy", "target: tacc/worker")
      .replace("mode: online", "mode: offline");
    const dir = projectWith(IU, iu);
    writeFileSync(
      join(dir, TACC),
      shipped(TACC).replace("      ip: assign\n", "      ip: assign\n      state: shelved\n"),
    );
    const run = runVerb(["online", "--stack", "iu", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "warning: tacc/lappsgrid-worker is shelved: jetstream.lappsgrid.org fails until it runs again (`jetstream resume lappsgrid-worker --stack tacc`)\n",
    );
    expect(run.stdout.split("\n")[0]).toBe("Pulumi.iu.yaml: proxy: mode offline -> online");
    expect(run.stdout).not.toContain("warning");
  });
});

describe("root keys of the stack file hold what Pulumi reads there", () => {
  test.each([
    ["environment: 5\n", "environment: 5 is not allowed; allowed: a list of environment names, or a map"],
    [
      'environment: "prod"\n',
      'environment: "prod" is not allowed; allowed: a list of environment names, or a map',
    ],
    [
      "secretsprovider: [a]\n",
      "secretsprovider: a list is not allowed; allowed: text (the secrets provider's URL)",
    ],
    ["encryptionsalt: 12\n", "encryptionsalt: 12 is not allowed; allowed: text, as Pulumi writes it"],
    ["config: 5\n", "config: 5 is not allowed; allowed: a map of settings"],
  ])("%j is refused by plan and by a verb, naming the key", (line, problem) => {
    const tacc = line.startsWith("config:")
      ? shipped(TACC).replace(/config:\n[\s\S]*$/, line)
      : `${line}${shipped(TACC)}`;
    const dir = projectWith(TACC, tacc);
    expect(runVerb(["plan", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: invalid config in Pulumi.tacc.yaml:\n${problem}\n`,
    });
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (\`jetstream plan --stack tacc\`):\n  ${problem}\n`,
    });
    expect(read(dir, TACC)).toBe(tacc);
  });

  test.each([
    ["environment:\n  - lappsgrid/iu\n"],
    ["environment:\n  imports:\n    - lappsgrid/iu\n"],
    ["secretsprovider: passphrase\n"],
  ])("%j is what Pulumi writes: plan accepts it", (line) => {
    const dir = projectWith(TACC, `${line}${shipped(TACC)}`);
    const run = runVerb(["plan", "--stack", "tacc", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });
});

describe("an option given twice is refused: only the last would count", () => {
  test.each([
    [
      ["suspend", "worker", "--stack", "iu", "--stack", "tacc"],
      "--stack: given twice (iu, tacc); allowed: once",
    ],
    [
      ["launch", "x", "--ip", "assign", "--ip", "149.165.157.90", "--stack", "iu"],
      "--ip: given twice (assign, 149.165.157.90); allowed: once",
    ],
    [
      ["launch", "x", "-i", "ubuntu", "--image=docker", "--stack", "iu"],
      "--image: given twice (ubuntu, docker); allowed: once",
    ],
  ])("%j", (argv, message) => {
    const dir = copyProject();
    expect(runVerb([...argv, "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: ${message}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
    expect(read(dir, TACC)).toBe(shipped(TACC));
  });
});

describe("an empty --dir (an unset shell variable) is refused, not taken as the current folder", () => {
  test.each([
    [["launch", "x", "--stack", "iu"]],
    [["suspend", "galaxy", "--stack", "iu"]],
    [["openrc", "import", "openrc.sh", "--stack", "iu"]],
    [["inventory", "import", "--from", "listing", "--stack", "iu"]],
  ])("%j --dir ''", (argv) => {
    // Run from inside a project copy: were '' taken as ".", this copy would be edited.
    const dir = copyProject();
    expect(runVerb([...argv, "--dir", ""], { cwd: dir })).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --dir: an empty value (an unset shell variable?); allowed: the project folder (where Pulumi.yaml is)\n",
    });
    expect(filesIn(dir)).toEqual(filesIn(copyProject()));
    expect(read(dir, IU)).toBe(shipped(IU));
  });
});

describe("proxy with an empty argument blames the argument", () => {
  test.each([
    [
      [""],
      "proxy TARGET: an empty value (an unset shell variable?); allowed: an instance, <stack>/<instance>, or another host's address or name",
    ],
    [
      ["galaxy", ""],
      "proxy PORT: an empty value (an unset shell variable?); allowed: an integer from 1 to 65535",
    ],
  ])("proxy %j", (args, message) => {
    const dir = copyProject();
    expect(runVerb(["proxy", ...args, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: ${message}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });
});

test("a repeatable option (forget --address) is not taken for an option given twice", () => {
  const dir = copyProject();
  const knownHosts = join(dir, "known_hosts");
  const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake";
  writeFileSync(knownHosts, `149.165.157.90 ${key}\n149.165.157.91 ${key}\n`);
  const argv = ["forget", "galaxy", "--address", "149.165.157.90", "--address", "149.165.157.91"];
  expect(runVerb([...argv, "--known-hosts", knownHosts, "--stack", "iu", "--dir", dir])).toEqual({
    code: 0,
    stdout: `forgot 149.165.157.90 (lappsgrid-galaxy) in ${knownHosts}\nforgot 149.165.157.91 (lappsgrid-galaxy) in ${knownHosts}\n`,
    stderr: "",
  });
  expect(read(dir, "known_hosts")).toBe("");
});

describe("an empty path (an unset shell variable) is refused, never read as the current directory or as no option", () => {
  test("drift --event-log '' does not fall back to running the engine", () => {
    const dir = copyProject();
    expect(runVerb(["drift", "--event-log", "", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --event-log: an empty value (an unset shell variable?); allowed: the file `pulumi refresh --preview-only --event-log FILE` writes\n",
    });
  });

  test("proxy-config --out '' does not write into the current directory", () => {
    const dir = copyProject();
    const run = runVerb(["proxy-config", "--stack", "iu", "--dir", dir, "--out", "", "--mode", "offline"], {
      cwd: dir,
    });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --out: an empty value (an unset shell variable?); allowed: a directory to write the site into\n",
    });
    expect(filesIn(dir)).toEqual(["Pulumi.iu.yaml", "Pulumi.tacc.yaml", "Pulumi.yaml"]);
  });
});

test("forget '' --address is refused: it would report the host keys of lappsgrid- forgotten", () => {
  const dir = copyProject();
  const knownHosts = join(dir, "known_hosts");
  const known =
    "149.165.157.90 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake\n";
  writeFileSync(knownHosts, known);
  const argv = ["forget", "", "--address", "149.165.157.90", "--known-hosts", knownHosts];
  expect(runVerb([...argv, "--stack", "iu", "--dir", dir])).toEqual({
    code: 1,
    stdout: "",
    stderr:
      "jetstream: forget NAME: an empty value (an unset shell variable?); allowed: an instance, with or without the lappsgrid- prefix\n",
  });
  expect(read(dir, "known_hosts")).toBe(known);
});

describe("a message names --dir and --base only when the operator gave them", () => {
  test("outside a git repository without --dir, diff names the current directory, not --dir", () => {
    const dir = copyProject();
    expect(runVerb(["diff", "--stack", "iu"], { cwd: dir })).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: the current directory ${dir} is not in a git repository; diff compares the stack file with a commit (--base), so run it in a clone of the project, or check the stack as it is with \`jetstream plan --stack iu\`\n`,
    });
  });

  test("in a repository without a commit, diff without --base says so instead of blaming --base", () => {
    const dir = copyProject();
    spawnSync("git", ["init", "-q", dir]);
    expect(runVerb(["diff", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: the git repository at ${dir} has no commit yet (diff compares with HEAD unless --base names a ref); commit the project first, or check the stack as it is with \`jetstream plan --stack iu\`\n`,
    });
  });

  test("a verb run outside the project without --dir names the current directory, not --dir", () => {
    const dir = mkdtempSync(join(tmpdir(), "jetstream-not-a-project-"));
    try {
      expect(runVerb(["list", "--stack", "iu"], { cwd: dir })).toEqual({
        code: 1,
        stdout: "",
        stderr: `jetstream: the current directory ${dir} is not a Pulumi project (no Pulumi.yaml); allowed: run it in the project folder, or give --dir\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

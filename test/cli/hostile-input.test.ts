/**
 * The verbs under hostile or careless input: every refused command exits 1 with one message
 * naming what the operator wrote and what is allowed, and leaves every stack file
 * byte-identical; every accepted one writes exactly what it says.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { copyProject, filesIn, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";

/** A copy of the project with `edit` applied to one stack file's shipped text. */
function projectWith(file: string, edit: (text: string) => string): string {
  const dir = copyProject();
  writeFileSync(join(dir, file), edit(shipped(file)));
  return dir;
}

/** IU's proxy pointed at TACC's worker, as `jetstream proxy tacc/worker --stack iu` leaves it. */
function iuTargetsTaccWorker(text: string): string {
  return text.replace("target: lappsgrid-galaxy", "target: tacc/worker");
}

function expectUnchanged(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) expect(read(dir, file)).toBe(text);
}

describe("cross-stack guards refuse when they cannot read what they guard", () => {
  test("delete refuses an instance when another stack's file is not valid (it may be that stack's proxy target)", () => {
    const iu = `${iuTargetsTaccWorker(shipped(IU))}  lappsgrid-jetstream:typo: 1\n`;
    const dir = projectWith(IU, () => iu);
    expect(runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-worker: Pulumi.iu.yaml is not valid as it is (lappsgrid-jetstream:typo: unknown key; allowed keys: cloud, network, securityGroup, keypair, sizes, images, instances, proxy, proxySshKey, proxyTlsCertificate, proxyTlsKey), so whether its proxy serves tacc/lappsgrid-worker cannot be checked; fix it first (`jetstream plan --stack iu`)\n",
    });
    expectUnchanged(dir, { [IU]: iu, [TACC]: shipped(TACC) });
  });

  test("delete refuses an instance when another stack's file is not YAML at all", () => {
    const dir = projectWith(IU, () => "config: [unclosed\n");
    expect(runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-worker: Pulumi.iu.yaml is not valid as it is (not valid YAML at line 1, column 9: config: the [ opened here is never closed; allowed: close it with ] (config: [unclosed)), so whether its proxy serves tacc/lappsgrid-worker cannot be checked; fix it first (`jetstream plan --stack iu`)\n",
    });
    expectUnchanged(dir, { [IU]: "config: [unclosed\n", [TACC]: shipped(TACC) });
  });

  test("delete refuses the target of another stack's offline proxy: that stack would no longer evaluate", () => {
    const iu = iuTargetsTaccWorker(shipped(IU)).replace("mode: online", "mode: offline");
    const dir = projectWith(IU, () => iu);
    expect(runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-worker: it is the proxy target of jetstream.lappsgrid.org (Pulumi.iu.yaml: proxy.target tacc/lappsgrid-worker, offline); stack iu would fail without it; first run `jetstream proxy OTHER --stack iu`\n",
    });
    expectUnchanged(dir, { [IU]: iu, [TACC]: shipped(TACC) });
  });

  test.each([
    ["suspend", "shelved"],
    ["stop", "stopped"],
  ])("%s of another stack's online proxy target warns that the site fails", (verb, state) => {
    const dir = projectWith(IU, iuTargetsTaccWorker);
    const run = runVerb([verb, "worker", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`Pulumi.tacc.yaml: lappsgrid-worker: state active -> ${state}`);
    expect(run.stderr).toBe(
      "warning: lappsgrid-worker is the proxy target of jetstream.lappsgrid.org (Pulumi.iu.yaml: proxy.target tacc/lappsgrid-worker): the site fails until it is active again; `jetstream offline --stack iu` shows the offline page meanwhile\n",
    );
    expect(read(dir, TACC)).toBe(
      shipped(TACC).replace("      ip: assign\n", `      ip: assign\n      state: ${state}\n`),
    );
  });

  test("suspend warns when another stack's file cannot be read to check whether its proxy serves the instance", () => {
    const dir = projectWith(IU, () => "config: [unclosed\n");
    const run = runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("Pulumi.tacc.yaml: lappsgrid-worker: state active -> shelved");
    expect(run.stderr).toBe(
      "warning: Pulumi.iu.yaml is not valid as it is (not valid YAML at line 1, column 9: config: the [ opened here is never closed; allowed: close it with ] (config: [unclosed)), so whether its proxy serves tacc/lappsgrid-worker cannot be checked (`jetstream plan --stack iu`)\n",
    );
  });
});

describe("instance keys YAML reads as something other than text are refused everywhere", () => {
  const notText: [string, string][] = [
    ["123", "a number"],
    ["0x1F", "a number"],
    ["1.5", "a number"],
    ["true", "a boolean"],
    ["yes", "a boolean (YAML 1.1)"],
    ["null", "null"],
    ["~", "null"],
  ];
  test.each(notText)("suspend and delete refuse the key %s: (read as %s) and change nothing", (key, kind) => {
    const tacc = shipped(TACC).replace("    lappsgrid-worker:\n", `    ${key}:\n`);
    const dir = projectWith(TACC, () => tacc);
    const refusal = {
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (\`jetstream plan --stack tacc\`):\n  instances.${key}: YAML reads this key as ${kind}, not a name; allowed: the name in quotes ("${key}") or another name that YAML reads as text\n`,
    };
    expect(runVerb(["suspend", key, "--stack", "tacc", "--dir", dir])).toEqual(refusal);
    expect(runVerb(["delete", key, "--stack", "tacc", "--dir", dir])).toEqual(refusal);
    expectUnchanged(dir, { [TACC]: tacc, [IU]: shipped(IU) });
  });

  test('a quoted key ("123") is a name: suspend shelves that instance and only it', () => {
    const tacc = shipped(TACC).replace("    lappsgrid-worker:\n", '    "123":\n');
    const dir = projectWith(TACC, () => tacc);
    expect(runVerb(["suspend", "123", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      tacc.replace("      ip: assign\n", "      ip: assign\n      state: shelved\n"),
    );
  });
});

describe("instance names", () => {
  const ALLOWED =
    'allowed: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters with the lappsgrid- prefix';
  test.each([
    ["", "an empty name (an unset shell variable?)"],
    ["lappsgrid-", '"lappsgrid-"'],
    ["galaxy-", '"galaxy-"'],
    ["-galaxy", '"-galaxy"'],
    ["Galaxy", '"Galaxy"'],
  ])("launch refuses the name %p and names the argument and the limit", (name, shown) => {
    const dir = copyProject();
    // After `--`, as a name starting with "-" must be given.
    expect(runVerb(["launch", "--stack", "tacc", "--dir", dir, "--", name])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: launch NAME: ${shown} is not an instance name; ${ALLOWED}\n`,
    });
    expectUnchanged(dir, { [TACC]: shipped(TACC) });
  });

  test("launch refuses a name one character too long, saying how long it is", () => {
    const dir = copyProject();
    const name = "a".repeat(54);
    expect(runVerb(["launch", name, "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: launch NAME: "${name}" is 64 characters long with the lappsgrid- prefix, not an instance name; ${ALLOWED}\n`,
    });
    expectUnchanged(dir, { [TACC]: shipped(TACC) });
  });

  test("launch accepts a name of exactly 63 characters with the prefix", () => {
    const dir = copyProject();
    const name = "a".repeat(53);
    expect(runVerb(["launch", name, "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toContain(`    lappsgrid-${name}:\n`);
  });

  test("a hand-written key lappsgrid- is refused by plan's validation too", () => {
    const tacc = shipped(TACC).replace("    lappsgrid-worker:\n", "    lappsgrid-:\n");
    const dir = projectWith(TACC, () => tacc);
    const run = runVerb(["suspend", "lappsgrid-", "--stack", "tacc", "--dir", dir]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (\`jetstream plan --stack tacc\`):\n  instances.lappsgrid-: "lappsgrid-" is not an instance name; ${ALLOWED}\n`,
    });
  });
});

describe("floating IPs that cannot exist are refused", () => {
  const REJECTED = "jetstream: Pulumi.tacc.yaml left unchanged: the edit would make the stack invalid:\n  ";
  test.each([
    ["0.0.0.0", "is in 0.0.0.0/8 (this network)"],
    ["255.255.255.255", "is the broadcast address"],
    ["127.0.0.1", "is in 127.0.0.0/8 (loopback)"],
    ["169.254.169.254", "is in 169.254.0.0/16 (link-local)"],
    ["224.0.0.1", "is in 224.0.0.0/4 (multicast)"],
    ["240.1.2.3", "is in 240.0.0.0/4 (reserved)"],
    ["10.0.0.17", "is inside this stack's subnet 10.0.0.0/24 (network.cidr), a private address"],
  ])("launch --ip %s is refused: it %s", (address, why) => {
    const dir = copyProject();
    expect(runVerb(["launch", "x", "--ip", address, "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}instances.lappsgrid-x.ip: ${address} ${why}; allowed: assign, or a public address allocated earlier in this cloud\n`,
    });
    expectUnchanged(dir, { [TACC]: shipped(TACC) });
  });

  test("launch --ip refuses another stack's fixed address", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "x", "--ip", "149.165.157.82", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}instances.lappsgrid-x.ip: 149.165.157.82 is already the address of lappsgrid-proxy in Pulumi.iu.yaml; allowed: each address on one instance\n`,
    });
    expectUnchanged(dir, { [TACC]: shipped(TACC), [IU]: shipped(IU) });
  });

  test("launch --ip refuses when another stack's file cannot be read to check the address is not its own", () => {
    const dir = projectWith(IU, () => "config: [unclosed\n");
    expect(runVerb(["launch", "x", "--ip", "149.165.157.82", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}instances.lappsgrid-x.ip: Pulumi.iu.yaml is not valid as it is (not valid YAML at line 1, column 9: config: the [ opened here is never closed; allowed: close it with ] (config: [unclosed)), so whether 149.165.157.82 is already its address cannot be checked; fix it first (\`jetstream plan --stack iu\`)\n`,
    });
    expectUnchanged(dir, { [TACC]: shipped(TACC), [IU]: "config: [unclosed\n" });
  });
});

describe("the atomic write keeps the file's link and permissions", () => {
  test("a symlinked stack file stays a link; the edit lands in its target", () => {
    const dir = copyProject();
    mkdirSync(join(dir, "stacks"));
    renameSync(join(dir, TACC), join(dir, "stacks", "tacc.yaml"));
    symlinkSync(join("stacks", "tacc.yaml"), join(dir, TACC));
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(lstatSync(join(dir, TACC)).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, TACC))).toBe(join("stacks", "tacc.yaml"));
    expect(read(dir, "stacks/tacc.yaml")).toBe(
      shipped(TACC).replace("      ip: assign\n", "      ip: assign\n      state: shelved\n"),
    );
  });

  test("the link's target keeps its own mode (0640) after the edit", () => {
    const dir = copyProject();
    mkdirSync(join(dir, "stacks"));
    renameSync(join(dir, TACC), join(dir, "stacks", "tacc.yaml"));
    chmodSync(join(dir, "stacks", "tacc.yaml"), 0o640);
    symlinkSync(join(dir, "stacks", "tacc.yaml"), join(dir, TACC));
    expect(runVerb(["stop", "worker", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(statSync(join(dir, "stacks", "tacc.yaml")).mode & 0o777).toBe(0o640);
    expect(lstatSync(join(dir, TACC)).isSymbolicLink()).toBe(true);
  });

  test("a read-only stack file is refused, not replaced", () => {
    const dir = copyProject();
    chmodSync(join(dir, TACC), 0o444);
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml is read-only (mode 444); left unchanged; make it writable first (chmod u+w Pulumi.tacc.yaml) if this edit is meant\n",
    });
    expectUnchanged(dir, { [TACC]: shipped(TACC) });
    expect(statSync(join(dir, TACC)).mode & 0o777).toBe(0o444);
  });
});

describe("root-level typos are refused, not read as an empty stack", () => {
  test.each([
    ["confg:", "confg"],
    ["Config:", "Config"],
  ])("launch refuses a file whose root says %s and changes nothing", (root, key) => {
    const tacc = shipped(TACC).replace("config:\n", `${root}\n`);
    const dir = projectWith(TACC, () => tacc);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (\`jetstream plan --stack tacc\`):\n  ${key}: unknown top-level key; allowed: config, environment, secretsprovider, encryptedkey, encryptionsalt\n`,
    });
    expectUnchanged(dir, { [TACC]: tacc });
  });

  test("a stack file that is a list, not a map, is refused in the operator's words", () => {
    const dir = projectWith(TACC, () => "- config\n");
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (`jetstream plan --stack tacc`):\n  (top level): expected a map holding config:, got a list\n",
    });
  });
});

describe("proxy settings that cannot work are refused, or warned about", () => {
  const REJECTED = "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ";
  const TARGET_ALLOWED = "allowed: an instance, <stack>/<instance>, or another host's address or name";

  test("proxy tacc/worker 9000 is refused while TACC's security group opens only 8080 to the proxy", () => {
    const dir = copyProject();
    expect(runVerb(["proxy", "tacc/worker", "9000", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}proxy.port: 9000 is not open to the proxy (149.165.157.82) in Pulumi.tacc.yaml's security group (open to it: tcp 22, 80, 443, 8080); allowed: one of those an HTTP service can be on (80, 8080), or open 9000 there first (securityGroup.servicePort: 9000 in Pulumi.tacc.yaml)\n`,
    });
    expectUnchanged(dir, { [IU]: shipped(IU), [TACC]: shipped(TACC) });
  });

  test("a port change alone is checked too: proxy 9000 while the target already is tacc/worker", () => {
    const iu = iuTargetsTaccWorker(shipped(IU));
    const dir = projectWith(IU, () => iu);
    expect(runVerb(["proxy", "tacc/worker", "9000", "--stack", "iu", "--dir", dir]).stderr).toBe(
      `${REJECTED}proxy.port: 9000 is not open to the proxy (149.165.157.82) in Pulumi.tacc.yaml's security group (open to it: tcp 22, 80, 443, 8080); allowed: one of those an HTTP service can be on (80, 8080), or open 9000 there first (securityGroup.servicePort: 9000 in Pulumi.tacc.yaml)\n`,
    );
    expectUnchanged(dir, { [IU]: iu });
  });

  test("proxy galaxy 9000 is refused when this stack's own securityGroup.servicePort keeps 8080", () => {
    const iu = shipped(IU).replace(
      "    sshFrom: [0.0.0.0/0]\n",
      "    sshFrom: [0.0.0.0/0]\n    servicePort: 8080\n",
    );
    const dir = projectWith(IU, () => iu);
    expect(runVerb(["proxy", "galaxy", "9000", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}proxy.port: 9000 is not open from the subnet 10.0.0.0/24 in this stack's security group (open from it: tcp 22, 80, 443, 8080); allowed: one of those an HTTP service can be on (80, 8080), or securityGroup.servicePort: 9000\n`,
    });
    expectUnchanged(dir, { [IU]: iu });
  });

  test.each([
    ["127.0.0.1", "is in 127.0.0.0/8 (loopback): the proxy would serve itself"],
    ["0.0.0.0", "is in 0.0.0.0/8 (this network)"],
    ["169.254.169.254", "is in 169.254.0.0/16 (link-local)"],
    ["255.255.255.255", "is the broadcast address"],
    ["149.165.157.82", "is the proxy host's own address (instances.lappsgrid-proxy.ip)"],
    ["jetstream.lappsgrid.org", "is the proxy's own domain (proxy.domain)"],
    ["JetStream.LappsGrid.org", "is the proxy's own domain (proxy.domain)"],
    ["localhost", "is the proxy host itself"],
    ["localhost.", "is the proxy host itself"],
    ["LOCALHOST.", "is the proxy host itself"],
  ])("proxy %s is refused: it %s", (target, why) => {
    const dir = copyProject();
    expect(runVerb(["proxy", target, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}proxy.target: ${JSON.stringify(target)} ${why}; ${TARGET_ALLOWED}\n`,
    });
    expectUnchanged(dir, { [IU]: shipped(IU) });
  });

  test.each([
    ["shelved", "resume"],
    ["stopped", "start"],
  ])("proxy to a %s instance is refused, naming the verb that brings it back", (state, verb) => {
    const iu = shipped(IU)
      .replace("      state: active\n", `      state: ${state}\n`)
      .replace("target: lappsgrid-galaxy", "target: 10.0.0.50");
    const dir = projectWith(IU, () => iu);
    expect(runVerb(["proxy", "galaxy", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: proxy: lappsgrid-galaxy is ${state} and proxy.mode is online: the site would forward to a server that is down; first ${verb} it (\`jetstream ${verb} lappsgrid-galaxy --stack iu\`, then \`pulumi up\`), then run \`jetstream proxy lappsgrid-galaxy --stack iu\`\n`,
    });
    expectUnchanged(dir, { [IU]: iu });
  });

  test("online with a shelved target in another stack warns that the site fails", () => {
    const iu = iuTargetsTaccWorker(shipped(IU)).replace("mode: online", "mode: offline");
    const tacc = shipped(TACC).replace("      ip: assign\n", "      ip: assign\n      state: shelved\n");
    const dir = projectWith(IU, () => iu);
    writeFileSync(join(dir, TACC), tacc);
    const run = runVerb(["online", "--stack", "iu", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("Pulumi.iu.yaml: proxy: mode offline -> online");
    expect(run.stderr).toBe(
      "warning: tacc/lappsgrid-worker is shelved: jetstream.lappsgrid.org fails until it runs again (`jetstream resume lappsgrid-worker --stack tacc`)\n",
    );
  });
});

describe("drift --event-log refuses a log that cannot say whether anything drifted", () => {
  const eventsFile = (events: unknown[]) => {
    const dir = copyProject();
    const log = join(dir, "events.ndjson");
    writeFileSync(log, events.map((event) => JSON.stringify(event)).join("\n"));
    return { dir, log };
  };
  const prelude = { sequence: 0, timestamp: 1, preludeEvent: { config: {} } };
  const error = {
    sequence: 1,
    timestamp: 2,
    diagnosticEvent: {
      message: "\u001b[31merror: could not load plugin for openstack provider\u001b[0m\n",
      color: "raw",
      severity: "error",
    },
  };
  const summary = {
    sequence: 2,
    timestamp: 3,
    summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: {}, PolicyPacks: {} },
  };

  test.each([
    [
      "an empty log",
      [],
      "holds no engine events; allowed: the file `pulumi refresh --preview-only --event-log FILE` writes",
    ],
    [
      "a log holding only an error",
      [error],
      "the refresh failed, so it cannot tell whether anything drifted: error: could not load plugin for openstack provider",
    ],
    [
      "a log with an error and a summary",
      [prelude, error, summary],
      "the refresh failed, so it cannot tell whether anything drifted: error: could not load plugin for openstack provider",
    ],
    [
      "a log cut off before the refresh finished",
      [prelude],
      "the refresh did not finish (no summary event), so it cannot tell whether anything drifted; record it again",
    ],
  ])("%s is an error, never 'No drift', with or without --fail-on-drift", (_case, events, why) => {
    const { dir, log } = eventsFile(events);
    for (const extra of [[], ["--fail-on-drift"]]) {
      expect(runVerb(["drift", "--stack", "iu", "--dir", dir, "--event-log", log, ...extra])).toEqual({
        code: 1,
        stdout: "",
        stderr: `jetstream: --event-log ${log}: ${why}\n`,
      });
    }
  });

  test.each([
    ["a missing file", (dir: string) => join(dir, "nope.json"), "does not exist"],
    ["a directory", (dir: string) => dir, "is a directory, not an event log"],
  ])("%s is named as such", (_case, path, why) => {
    const dir = copyProject();
    expect(runVerb(["drift", "--stack", "iu", "--dir", dir, "--event-log", path(dir)])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --event-log ${path(dir)}: ${why}\n`,
    });
  });

  test("a JSON array that is cut off says so, in the operator's words", () => {
    const dir = copyProject();
    const log = join(dir, "events.json");
    writeFileSync(log, '[{"sequence": 0,');
    expect(runVerb(["drift", "--stack", "iu", "--dir", dir, "--event-log", log])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --event-log ${log}: not a JSON array of engine events (cut off or damaged); allowed: the file \`pulumi refresh --preview-only --event-log FILE\` writes\n`,
    });
  });
});

describe("openrc import: a value derived from a secret is a secret", () => {
  const HEAD = [
    "export OS_AUTH_URL=https://js2.jetstream-cloud.org:5000/v3/",
    "export OS_APPLICATION_CREDENTIAL_ID=FAKE-appcred-id-4f1c9e",
    "export OS_APPLICATION_CREDENTIAL_SECRET=FAKE-appcred-secret-9b7d2a",
  ];
  const importing = (lines: string[]) => {
    const dir = copyProject();
    writeFileSync(join(dir, "openrc.sh"), `${[...HEAD, ...lines].join("\n")}\n`);
    return { dir, run: runVerb(["openrc", "import", join(dir, "openrc.sh"), "--stack", "iu", "--dir", dir]) };
  };

  test.each([
    ["$VAR", "export OS_REGION_NAME=$OS_APPLICATION_CREDENTIAL_SECRET", "OS_REGION_NAME"],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${NAME}, not a template
      "${VAR} inside a longer value",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${NAME}, not a template
      'export OS_REGION_NAME="IU-${OS_APPLICATION_CREDENTIAL_SECRET}"',
      "OS_REGION_NAME",
    ],
    [
      "a shell variable in between",
      "S=$OS_APPLICATION_CREDENTIAL_SECRET\nexport OS_INTERFACE=$S",
      "OS_INTERFACE",
    ],
  ])(
    "a plain setting taking the secret through %s is refused, the secret never printed",
    (_case, line, variable) => {
      const { dir, run } = importing(line.split("\n"));
      const at = HEAD.length + line.split("\n").length;
      expect(run).toEqual({
        code: 1,
        stdout: "",
        stderr: `jetstream: openrc.sh:${at}: ${variable} takes its value from OS_APPLICATION_CREDENTIAL_SECRET, a secret; a value derived from a secret is never written to the stack file: write ${variable}'s own value\n`,
      });
      expect(run.stderr + run.stdout).not.toContain("FAKE-appcred-secret-9b7d2a");
      expectUnchanged(dir, { [IU]: shipped(IU) });
    },
  );

  test("a secret that is only a part of the auth URL (5000, its port) does not make the URL a secret", () => {
    const dir = copyProject();
    const rcLines = [
      "export OS_AUTH_URL=https://js2.jetstream-cloud.org:5000/v3/",
      "export OS_APPLICATION_CREDENTIAL_ID=FAKE-appcred-id-4f1c9e",
      "export OS_APPLICATION_CREDENTIAL_SECRET=5000",
      "export OS_REGION_NAME=IU",
    ];
    writeFileSync(join(dir, "openrc.sh"), `${rcLines.join("\n")}\n`);
    const run = runVerb(["openrc", "import", join(dir, "openrc.sh"), "--stack", "iu", "--dir", dir]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(read(dir, IU)).toContain("  openstack:authUrl: https://js2.jetstream-cloud.org:5000/v3/\n");
  });

  test("a plain setting holding the secret's text written out is refused too", () => {
    const { dir, run } = importing(["export OS_REGION_NAME=FAKE-appcred-secret-9b7d2a"]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: openrc.sh:4: OS_REGION_NAME holds the value of OS_APPLICATION_CREDENTIAL_SECRET, a secret; a value derived from a secret is never written to the stack file: write OS_REGION_NAME's own value\n`,
    });
    expectUnchanged(dir, { [IU]: shipped(IU) });
  });

  test.each([
    [
      "$'...'",
      "export OS_REGION_NAME=$'IU'",
      "ANSI-C quoting $'...' is not supported; allowed: plain '...' or \"...\" quotes",
    ],
    [
      '$"..."',
      'export OS_REGION_NAME=$"IU"',
      'locale quoting $"..." is not supported; allowed: plain \'...\' or "..." quotes',
    ],
  ])("%s quoting is refused, not misread", (_case, line, why) => {
    const { dir, run } = importing([line]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: `jetstream: openrc.sh:4: ${why}\n` });
    expectUnchanged(dir, { [IU]: shipped(IU) });
  });
});

describe("proxy-config --out never replaces what it did not write, and fails fast where it cannot write", () => {
  const render = (out: string, extra: string[] = []) =>
    runVerb(
      ["proxy-config", "--stack", "iu", "--dir", copyProject(), "--mode", "offline", "--out", out, ...extra],
      {
        timeoutMs: 20_000,
      },
    );

  test("an nginx.conf it did not write is refused, byte-identical, naming --force", () => {
    const out = join(copyProject(), "etc-nginx");
    mkdirSync(out);
    writeFileSync(join(out, "nginx.conf"), "user www-data;\nevents {}\n");
    expect(render(out)).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --out ${out}: nginx.conf exists and was not written by \`jetstream proxy-config\`; allowed: a new or empty directory, one proxy-config wrote before, or --force to replace it\n`,
    });
    expect(read(out, "nginx.conf")).toBe("user www-data;\nevents {}\n");
    expect(filesIn(out)).toEqual(["nginx.conf"]);
  });

  test("a site.conf it did not write is refused too", () => {
    const out = join(copyProject(), "sites");
    mkdirSync(out);
    writeFileSync(join(out, "site.conf"), "server { listen 80; }\n");
    expect(render(out).stderr).toBe(
      `jetstream: --out ${out}: site.conf exists and was not written by \`jetstream proxy-config\`; allowed: a new or empty directory, one proxy-config wrote before, or --force to replace it\n`,
    );
    expect(read(out, "site.conf")).toBe("server { listen 80; }\n");
  });

  test("rendering again into its own output is allowed; --force replaces a foreign file", () => {
    const out = join(copyProject(), "rendered");
    expect(render(out).code).toBe(0);
    expect(render(out).code).toBe(0);
    writeFileSync(join(out, "nginx.conf"), "user www-data;\n");
    expect(render(out, ["--force"]).code).toBe(0);
    expect(read(out, "nginx.conf")).not.toBe("user www-data;\n");
  });

  test.each([
    ["/proc/jetstream-out", "cannot create /proc/jetstream-out (no such file or directory)"],
    ["FILE/sub", "cannot create FILE/sub: FILE is a file, not a directory"],
    ["FILE", "FILE is a file, not a directory"],
  ])("--out %s fails at once with the path it could not create", (given, why) => {
    const dir = copyProject();
    const file = join(dir, "a-file");
    writeFileSync(file, "x\n");
    const out = given.replace("FILE", file);
    // A hang is killed after 20 s and fails here: no exit code 1, no message.
    expect(render(out)).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --out ${out}: ${why.replace(/FILE/g, file)}\n`,
    });
    expect(read(dir, "a-file")).toBe("x\n");
  });
});

describe("edits keep what they do not touch: comments, line endings", () => {
  const STACK = [
    "config:",
    "  lappsgrid-jetstream:cloud: TACC",
    "  lappsgrid-jetstream:instances: {} # none yet: `jetstream launch` adds them",
    "  lappsgrid-jetstream:images:",
    "    docker: Featured-Ubuntu22-Docker",
    "",
  ].join("\n");

  test("launch into `instances: {}` keeps the comment after it", () => {
    const dir = projectWith(TACC, () => STACK);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      [
        "config:",
        "  lappsgrid-jetstream:cloud: TACC",
        "  lappsgrid-jetstream:instances: # none yet: `jetstream launch` adds them",
        "    lappsgrid-x:",
        "      size: medium",
        "      image: ubuntu",
        "  lappsgrid-jetstream:images:",
        "    docker: Featured-Ubuntu22-Docker",
        "",
      ].join("\n"),
    );
  });

  test.each([
    ["a note at the entries' indentation", "    # lappsgrid-old: retired in May, kept for its address\n"],
    ["a commented-out entry", "    # lappsgrid-old:\n    #   size: large\n"],
  ])("launch then delete leaves the file byte-identical with %s after the last entry", (_case, note) => {
    const tacc = shipped(TACC).replace("      ip: assign\n", `      ip: assign\n${note}`);
    const dir = projectWith(TACC, () => tacc);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(runVerb(["delete", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(tacc);
  });

  test("launch into a CRLF file writes CRLF lines only", () => {
    const crlf = shipped(TACC).replace(/\n/g, "\r\n");
    const dir = projectWith(TACC, () => crlf);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      `${shipped(TACC)}    lappsgrid-x:\n      size: medium\n      image: ubuntu\n`.replace(/\n/g, "\r\n"),
    );
  });

  test("suspend in a CRLF file changes one line and keeps CRLF", () => {
    // TACC's worker: IU's galaxy is the online target, which cannot be shelved while online.
    const crlf = shipped(TACC).replace(/\n/g, "\r\n");
    const dir = projectWith(TACC, () => crlf);
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      crlf.replace("      ip: assign\r\n", "      ip: assign\r\n      state: shelved\r\n"),
    );
  });
});

describe("messages name what the operator wrote and where", () => {
  test("help with an unknown topic says so and lists the commands", () => {
    expect(runVerb(["help", "nope"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: help: no command "nope"; allowed: launch, suspend, resume, stop, start, delete, list, ssh, visit, forget, proxy, online, offline, plan, diff, proxy-config, preview, up, drift, openrc, inventory\n',
    });
  });

  test("a stack file named .yml is named, not contradicted by the list of stacks", () => {
    const dir = copyProject();
    renameSync(join(dir, TACC), join(dir, "Pulumi.tacc.yml"));
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --stack: tacc's stack file is Pulumi.tacc.yml; Pulumi reads Pulumi.tacc.yaml: rename it (git mv Pulumi.tacc.yml Pulumi.tacc.yaml)\n",
    });
  });

  test("a stack named by $PULUMI_STACK is blamed on $PULUMI_STACK, not --stack", () => {
    const dir = copyProject();
    expect(runVerb(["suspend", "worker", "--dir", dir], { env: { PULUMI_STACK: "nope" } })).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: $PULUMI_STACK: no stack "nope" in ${dir}; allowed: iu, tacc\n`,
    });
  });

  test.each([["suspend", "worker"], ["plan"]])(
    "%s on a stack file that is a directory says so",
    (...argv) => {
      const dir = copyProject();
      rmSync(join(dir, TACC));
      mkdirSync(join(dir, TACC));
      expect(runVerb([...argv, "--stack", "tacc", "--dir", dir])).toEqual({
        code: 1,
        stdout: "",
        stderr: `jetstream: --stack: ${join(dir, TACC)} is a directory, not a stack file\n`,
      });
    },
  );

  test("a repeated sshFrom entry is named as sshFrom, not as a rule number the operator never wrote", () => {
    // TACC's group takes the default rules, which sshFrom feeds (IU lists its adopted rules).
    const tacc = shipped(TACC).replace(
      "    name: lappsgrid-secgroup\n",
      "    name: lappsgrid-secgroup\n    sshFrom: [1.2.3.4/32, 5.6.7.8/32, 1.2.3.4/32]\n",
    );
    const dir = projectWith(TACC, () => tacc);
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]).stderr).toBe(
      "jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (`jetstream plan --stack tacc`):\n  securityGroup.sshFrom.2: repeats securityGroup.sshFrom.0 (1.2.3.4/32); allowed: each source once\n",
    );
  });

  test("a serviceFrom entry that repeats the default subnet rule is named as serviceFrom", () => {
    const tacc = shipped(TACC).replace(
      "    serviceFrom: [149.165.157.82/32]\n",
      "    serviceFrom: [10.0.0.0/24]\n",
    );
    const dir = projectWith(TACC, () => tacc);
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]).stderr).toBe(
      'jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (`jetstream plan --stack tacc`):\n  securityGroup.serviceFrom.0: repeats the default rule "proxied service" (tcp 8080 from 10.0.0.0/24); allowed: each source once\n',
    );
  });

  test("a file with two YAML documents says so in the operator's words", () => {
    const dir = projectWith(TACC, () => "config:\n  lappsgrid-jetstream:cloud: TACC\n---\nconfig: {}\n");
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml: not valid YAML: a second document starts at line 3 (---); allowed: one document\n",
    });
  });

  test("an empty image alias is named with the rule, not zod's default text", () => {
    const tacc = shipped(TACC).replace(
      "    docker: Featured-Ubuntu22-Docker\n",
      '    docker: Featured-Ubuntu22-Docker\n    "": x\n',
    );
    const dir = projectWith(TACC, () => tacc);
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]).stderr).toBe(
      'jetstream: Pulumi.tacc.yaml is not valid as it is; fix it first (`jetstream plan --stack tacc`):\n  images."": "" is not an image alias; allowed: lower-case letters, digits and "-"\n',
    );
  });
});

describe("edits of a stack file that holds nothing yet, and arguments that are not one line", () => {
  test.each([
    ["an empty file", ""],
    ["a file of comments only", "# TACC: workers only\n"],
  ])("launch into %s writes the config block under what is there", (_case, text) => {
    const dir = projectWith(TACC, () => text);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      `${text}config:\n  lappsgrid-jetstream:instances:\n    lappsgrid-x:\n      size: medium\n      image: ubuntu\n`,
    );
  });

  test.each([
    [["launch", "x", "--image", "docker\nrm -rf /", "--stack", "tacc"], '"docker\\nrm -rf /"'],
    [["proxy", "tacc/worker\n", "--stack", "iu"], '"tacc/worker\\n"'],
    [["launch", "x\ty", "--stack", "tacc"], '"x\\ty"'],
  ])("%j is refused as an argument, not reported as invalid YAML in the file", (argv, shown) => {
    const dir = copyProject();
    expect(runVerb([...argv, "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: argument ${shown}: holds a line break, a control character or an invisible formatting character; allowed: one line of printable text\n`,
    });
    expectUnchanged(dir, { [IU]: shipped(IU), [TACC]: shipped(TACC) });
  });
});

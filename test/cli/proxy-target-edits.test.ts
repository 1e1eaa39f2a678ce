/**
 * Proxy edits accepted and wrong: `proxy NAME` without PORT goes back to the default port (as
 * `--help` says), a target written as an instance's public address guards that instance against
 * `delete` as its name would, and another stack's instance without a public address is refused
 * as a target (the proxy reaches another stack's instance only by its public address).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { changedLines, copyProject, type RunResult, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";
/** The verb's report line; the diff below it is the edit-flow's, tested elsewhere. */
function reported(run: RunResult): RunResult {
  return { ...run, stdout: run.stdout.split("\n")[0] };
}

const REJECTED = "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ";

describe("proxy TARGET without PORT means port 8080 (Galaxy), as --help says", () => {
  test("proxy galaxy after proxy 10.0.0.99 8081 sets the port back to 8080", () => {
    const dir = copyProject();
    expect(runVerb(["proxy", "10.0.0.99", "8081", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(reported(runVerb(["proxy", "galaxy", "--stack", "iu", "--dir", dir]))).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: proxy: target 10.0.0.99 -> lappsgrid-galaxy, port 8081 -> 8080",
      stderr: "",
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("proxy to the current target with another port set changes only the port back to 8080", () => {
    const dir = copyProject();
    expect(runVerb(["proxy", "10.0.0.99", "8081", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(reported(runVerb(["proxy", "10.0.0.99", "--stack", "iu", "--dir", dir]))).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: proxy: port 8081 -> 8080",
      stderr: "",
    });
    expect(changedLines(shipped(IU), read(dir, IU))).toEqual([
      "-    target: lappsgrid-galaxy",
      "+    target: 10.0.0.99",
    ]);
  });
});

describe("proxy reports the port as the stack file holds it", () => {
  test("proxy 10.0.0.13 09000 reports and writes port 9000", () => {
    const dir = copyProject();
    expect(reported(runVerb(["proxy", "10.0.0.13", "09000", "--stack", "iu", "--dir", dir]))).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: proxy: target lappsgrid-galaxy -> 10.0.0.13, port 8080 -> 9000",
      stderr: "",
    });
    expect(changedLines(shipped(IU), read(dir, IU))).toEqual([
      "-    target: lappsgrid-galaxy",
      "-    port: 8080",
      "+    target: 10.0.0.13",
      "+    port: 9000",
    ]);
  });
});

describe("delete refuses an instance whose public address is the online proxy's target", () => {
  test("in the same stack: launch pub2 --ip 149.165.9.10; proxy 149.165.9.10; delete pub2", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "pub2", "--ip", "149.165.9.10", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(runVerb(["proxy", "149.165.9.10", "--stack", "iu", "--dir", dir]).code).toBe(0);
    const before = read(dir, IU);
    expect(runVerb(["delete", "pub2", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-pub2: it is the proxy target of jetstream.lappsgrid.org (proxy.target 149.165.9.10, its ip:) while the proxy is online; first run `jetstream offline --stack iu` or `jetstream proxy OTHER --stack iu`\n",
    });
    expect(read(dir, IU)).toBe(before);
  });

  test("across stacks: IU's target is a TACC instance's ip", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "pub3", "--ip", "129.114.44.10", "--stack", "tacc", "--dir", dir]).code).toBe(
      0,
    );
    expect(runVerb(["proxy", "129.114.44.10", "--stack", "iu", "--dir", dir]).code).toBe(0);
    const before = read(dir, TACC);
    expect(runVerb(["delete", "pub3", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-pub3: it is the proxy target of jetstream.lappsgrid.org (Pulumi.iu.yaml: proxy.target 129.114.44.10, its ip:) while the proxy is online; first run `jetstream proxy OTHER --stack iu`\n",
    });
    expect(read(dir, TACC)).toBe(before);
  });

  test("an instance whose ip is not the target is deleted", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "pub4", "--ip", "149.165.9.11", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(runVerb(["proxy", "149.165.9.10", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(reported(runVerb(["delete", "pub4", "--stack", "iu", "--dir", dir]))).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: lappsgrid-pub4: deleted",
      stderr: "",
    });
  });
});

describe("stop of an instance whose public address is the online proxy's target", () => {
  test("in the same stack: refused as for a target written by name (nothing orders the power change after a switch)", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "pub2", "--ip", "149.165.9.10", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(runVerb(["proxy", "149.165.9.10", "--stack", "iu", "--dir", dir]).code).toBe(0);
    const before = read(dir, "Pulumi.iu.yaml");
    expect(runVerb(["stop", "pub2", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  instances.lappsgrid-pub2.state: "stopped" is not allowed while proxy.target is 149.165.9.10 (lappsgrid-pub2\'s ip:) and proxy.mode is online: the site would forward to a server that is down; allowed: active (`jetstream start lappsgrid-pub2`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)\n',
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(before);
  });

  test("across stacks: IU's target is a TACC instance's ip", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "pub3", "--ip", "129.114.44.10", "--stack", "tacc", "--dir", dir]).code).toBe(
      0,
    );
    expect(runVerb(["proxy", "129.114.44.10", "--stack", "iu", "--dir", dir]).code).toBe(0);
    const run = runVerb(["suspend", "pub3", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "warning: lappsgrid-pub3 is the proxy target of jetstream.lappsgrid.org (Pulumi.iu.yaml: proxy.target 129.114.44.10, its ip:): the site fails until it is active again; `jetstream offline --stack iu` shows the offline page meanwhile\n",
    );
  });
});

describe("a target in another stack needs a public address there", () => {
  test.each([["tacc/nopub"], ["tacc/lappsgrid-nopub"]])(
    "proxy %s --stack iu is refused when it has no ip:",
    (target) => {
      const dir = copyProject();
      expect(runVerb(["launch", "nopub", "--stack", "tacc", "--dir", dir]).code).toBe(0);
      expect(runVerb(["proxy", target, "--stack", "iu", "--dir", dir])).toEqual({
        code: 1,
        stdout: "",
        stderr: `${REJECTED}proxy.target: tacc/lappsgrid-nopub has no ip: in Pulumi.tacc.yaml (no public address), and the proxy reaches another stack's instance by its public address; allowed: an instance of Pulumi.tacc.yaml with ip: assign or an address, or first add ip: assign to instances.lappsgrid-nopub there\n`,
      });
      expect(read(dir, IU)).toBe(shipped(IU));
    },
  );

  test("plan of a file edited by hand to such a target fails as pulumi preview would, making no address up", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "nopub", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    writeFileSync(join(dir, IU), shipped(IU).replace("target: lappsgrid-galaxy", "target: tacc/nopub"));
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: proxy.target: tacc/lappsgrid-nopub has no public address (stack organization/lappsgrid-jetstream/tacc exports it without a publicIp: no ip: in its stack file), and the proxy reaches another stack's instance by its public address; allowed: give it ip: assign there first, or another target\n",
    });
  });

  test("proxy tacc/pub --stack iu is accepted when it has ip: assign", () => {
    const dir = copyProject();
    expect(runVerb(["launch", "pub", "--ip", "assign", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(reported(runVerb(["proxy", "tacc/pub", "--stack", "iu", "--dir", dir]))).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: proxy: target lappsgrid-galaxy -> tacc/pub",
      stderr: "",
    });
  });
});

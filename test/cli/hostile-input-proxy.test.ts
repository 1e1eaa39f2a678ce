/**
 * The proxy's forwarding that cannot work, and what the refusals advise: `proxy-config`
 * forwarding to the socket nginx listens on, ports of services that do not speak HTTP, a PORT
 * that is not a port, a target that is down, an offline page announcing a date gone by.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forwardsToItself } from "../../cli/proxy/upstream-loop";
import { offlineUntilPassed } from "../../config/proxy-settings";
import { NO_ACME_CONTACT_WARNING } from "../helpers/program";
import { copyProject, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const LOOP_ALLOWED = "the site would forward to itself; allowed: the service's HOST:PORT, another port";

/** `proxy-config --stack iu --mode online --listen LISTEN --upstream UPSTREAM` into a new folder. */
function proxyConfig(listen: string, upstream: string) {
  const out = join(mkdtempSync(join(tmpdir(), "upstream-")), "site");
  const result = runVerb([
    "proxy-config",
    "--stack",
    "iu",
    "--dir",
    copyProject(),
    "--out",
    out,
    "--mode",
    "online",
    "--listen",
    listen,
    "--upstream",
    upstream,
  ]);
  return { code: result.code, stderr: result.stderr, wrote: existsSync(out) };
}

describe("proxy-config refuses an upstream that is the socket nginx listens on", () => {
  test.each([
    [
      "10.0.0.12:8080",
      "10.0.0.12:8080",
      "10.0.0.12:8080 is the address nginx listens on (--listen 10.0.0.12:8080)",
    ],
    [
      "127.0.0.1:8090",
      "localhost:8090",
      "localhost:8090 is the address nginx listens on (--listen 127.0.0.1:8090)",
    ],
    [
      "8080",
      "127.0.0.1:8080",
      "127.0.0.1:8080 is on this machine, where nginx listens on port 8080 of every address (--listen 8080)",
    ],
    [
      "0.0.0.0:8080",
      "localhost:8080",
      "localhost:8080 is on this machine, where nginx listens on port 8080 of every address (--listen 0.0.0.0:8080)",
    ],
  ])("--listen %s --upstream %s is refused and nothing is written", (listen, upstream, why) => {
    expect(proxyConfig(listen, upstream)).toEqual({
      code: 1,
      stderr: `jetstream: --upstream: ${why}: ${LOOP_ALLOWED}\n`,
      wrote: false,
    });
  });

  test.each([
    ["127.0.0.1:8090", "127.0.0.2:8090"],
    ["127.0.0.2:8090", "localhost:8090"],
    ["10.0.0.12:8080", "10.0.0.13:8080"],
    ["10.0.0.12:8080", "10.0.0.12:8081"],
  ])("--listen %s --upstream %s, another socket, is accepted", (listen, upstream) => {
    expect(proxyConfig(listen, upstream)).toEqual({ code: 0, stderr: "", wrote: true });
  });

  test("with nginx on every address, an upstream on one of this machine's addresses and that port is a loop", () => {
    expect(forwardsToItself("8080", { host: "192.0.2.2", port: 8080 }, ["127.0.0.1", "192.0.2.2"])).toBe(
      "192.0.2.2:8080 is on this machine, where nginx listens on port 8080 of every address (--listen 8080)",
    );
    expect(
      forwardsToItself("8080", { host: "192.0.2.3", port: 8080 }, ["127.0.0.1", "192.0.2.2"]),
    ).toBeUndefined();
    expect(
      forwardsToItself("8080", { host: "192.0.2.2", port: 8081 }, ["127.0.0.1", "192.0.2.2"]),
    ).toBeUndefined();
  });
});

describe("a proxy port of a service that does not speak HTTP is refused", () => {
  const REJECTED = "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ";
  const ALLOWED =
    "allowed: the port of the target's HTTP service (Galaxy's is 8080), an integer from 1 to 65535 but 21, 22, 23, 25, 53, 111, 443, 465, 587, 2049, 3306, 5432, 5672, 6379";
  const NOT_HTTP = "not an HTTP service's: the proxy forwards HTTP";
  test.each([
    [["lappsgrid-galaxy", "22"], `proxy.port: 22 is SSH's port, ${NOT_HTTP}; ${ALLOWED}`],
    [["10.0.0.12", "25"], `proxy.port: 25 is SMTP's port, ${NOT_HTTP}; ${ALLOWED}`],
    [["10.0.0.12", "53"], `proxy.port: 53 is DNS's port, ${NOT_HTTP}; ${ALLOWED}`],
    [["10.0.0.12", "111"], `proxy.port: 111 is rpcbind's port, ${NOT_HTTP}; ${ALLOWED}`],
    [["10.0.0.12", "5432"], `proxy.port: 5432 is PostgreSQL's port, ${NOT_HTTP}; ${ALLOWED}`],
    [
      ["10.0.0.12", "443"],
      `proxy.port: 443 is HTTPS's port: the proxy speaks plain HTTP to its target (proxy_pass http://), which a TLS service answers with 400; ${ALLOWED}`,
    ],
  ])("proxy %j is refused naming proxy.port and what is allowed", (argv, problem) => {
    const dir = copyProject();
    expect(runVerb(["proxy", ...argv, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}${problem}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("proxy 10.0.0.12 80, plain HTTP's port, is accepted", () => {
    const dir = copyProject();
    const run = runVerb(["proxy", "10.0.0.12", "80", "--stack", "iu", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(read(dir, IU)).toBe(
      shipped(IU).replace("target: lappsgrid-galaxy\n    port: 8080", "target: 10.0.0.12\n    port: 80"),
    );
  });

  test("proxy-config --upstream on SSH's port is refused the same way, naming the option", () => {
    expect(proxyConfig("127.0.0.1:8081", "10.0.0.12:22")).toEqual({
      code: 1,
      stderr: `jetstream: --upstream: 10.0.0.12:22: port 22 is SSH's port, ${NOT_HTTP}; allowed: HOST:PORT of the target's HTTP service\n`,
      wrote: false,
    });
  });
});

describe("a PORT argument that is not a port is refused once, as written", () => {
  const ALLOWED = "allowed: an integer from 1 to 65535";
  test.each([
    ["99999999999999999999", "99999999999999999999"],
    ["70000", "70000"],
    ["0", "0"],
    ["abc", '"abc"'],
    ["8080.0", '"8080.0"'],
    ["0x1F90", '"0x1F90"'],
  ])("proxy 10.0.0.12 %s names the PORT argument", (port, shown) => {
    const dir = copyProject();
    expect(runVerb(["proxy", "10.0.0.12", port, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: proxy PORT: ${shown} is not a port; ${ALLOWED}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("a hand-written proxy.port too big for a number is named once by plan", () => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), shipped(IU).replace("port: 8080", "port: 99999999999999999999"));
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: invalid config in Pulumi.iu.yaml:\nproxy.port: 99999999999999999999 is not a port; ${ALLOWED}\n`,
    });
  });

  test("a hand-written proxy.healthTries too big is named once by plan", () => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), shipped(IU).replace("port: 8080", "port: 8080\n    healthTries: 1e300"));
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: invalid config in Pulumi.iu.yaml:\nproxy.healthTries: 1e300 is not allowed; allowed: an integer from 1 to 120\n",
    });
  });
});

describe("a proxy verb refused for a target that is down advises bringing the target back", () => {
  const down = (state: string, mode: string) =>
    shipped(IU).replace("state: active", `state: ${state}`).replace("mode: online", `mode: ${mode}`);

  test.each([
    ["shelved", "resume"],
    ["stopped", "start"],
  ])("online with a %s target says to %s it first", (state, verb) => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), down(state, "offline"));
    expect(runVerb(["online", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: online: proxy.target lappsgrid-galaxy is ${state}: the site would forward to a server that is down; first ${verb} it (\`jetstream ${verb} lappsgrid-galaxy --stack iu\`, then \`pulumi up\`), then run \`jetstream online --stack iu\`\n`,
    });
    expect(read(dir, IU)).toBe(down(state, "offline"));
  });

  test("proxy NAME of a shelved instance while the site is online says to resume it first", () => {
    const dir = copyProject();
    const text = down("shelved", "online").replace("target: lappsgrid-galaxy", "target: 10.0.0.12");
    writeFileSync(join(dir, IU), text);
    expect(runVerb(["proxy", "galaxy", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: proxy: lappsgrid-galaxy is shelved and proxy.mode is online: the site would forward to a server that is down; first resume it (`jetstream resume lappsgrid-galaxy --stack iu`, then `pulumi up`), then run `jetstream proxy lappsgrid-galaxy --stack iu`\n",
    });
    expect(read(dir, IU)).toBe(text);
  });

  test("proxy NAME of a shelved instance while the site is offline is allowed (the next online refuses)", () => {
    const dir = copyProject();
    const text = down("shelved", "offline").replace("target: lappsgrid-galaxy", "target: 10.0.0.12");
    writeFileSync(join(dir, IU), text);
    const run = runVerb(["proxy", "galaxy", "--stack", "iu", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(read(dir, IU)).toBe(text.replace("target: 10.0.0.12", "target: lappsgrid-galaxy"));
  });
});

describe("an offlineUntil that has passed: the offline page would announce a return already missed", () => {
  const withUntil = (until: string, mode: string) =>
    shipped(IU)
      .replace("mode: online", `mode: ${mode}`)
      .replace("port: 8080", `port: 8080\n    offlineUntil: "${until}"`);
  const PASSED =
    'proxy.offlineUntil: "2020-01-01" has passed: the offline page would tell visitors the site was expected back then; allowed: a later date, or no offlineUntil';

  test("offline refuses to put the page up with it, and leaves the file as it was", () => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), withUntil("2020-01-01", "online"));
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: offline: ${PASSED} (edit it in Pulumi.iu.yaml)\n`,
    });
    expect(read(dir, IU)).toBe(withUntil("2020-01-01", "online"));
  });

  test("offline with a date to come goes ahead", () => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), withUntil("2099-12-31T09:00Z", "online"));
    const run = runVerb(["offline", "--stack", "iu", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(read(dir, IU)).toBe(withUntil("2099-12-31T09:00Z", "offline"));
  });

  test("offline on a site already offline changes nothing and warns", () => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), withUntil("2020-01-01", "offline"));
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir])).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: proxy is already offline; nothing to change\n",
      stderr: `warning: ${PASSED}\n`,
    });
  });

  test("plan warns on stderr and exits 0", () => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), withUntil("2020-01-01", "offline"));
    const run = runVerb(["plan", "--stack", "iu", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`${NO_ACME_CONTACT_WARNING}warning: ${PASSED}\n`);
    expect(run.stdout.split("\n")[0]).toBe(
      "Offline plan of stack iu (IU): 23 resources, 18 of them in the cloud.",
    );
  });

  test.each([
    ["2026-12-01", "2026-12-02T11:59:59Z", false],
    ["2026-12-01", "2026-12-02T12:00:00Z", true],
    ["2026-12-01T09:00Z", "2026-12-01T08:59:59Z", false],
    ["2026-12-01T09:00Z", "2026-12-01T09:00:01Z", true],
    ["2026-12-01T09:00:00-05:00", "2026-12-01T13:59:59Z", false],
    ["2026-12-01T09:00:00-05:00", "2026-12-01T14:00:01Z", true],
  ])(
    "%s has passed at %s: %s (a date passes once its day has ended everywhere, UTC-12)",
    (until, now, passed) => {
      expect(offlineUntilPassed(until, new Date(now))).toBe(passed);
    },
  );
});

describe("a proxy port the security group does not open names only open ports the proxy could forward to", () => {
  test("proxy galaxy 9000 lists 80 and 8080 as allowed, not SSH's 22 or HTTPS's 443", () => {
    const dir = copyProject();
    expect(runVerb(["proxy", "galaxy", "9000", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  proxy.port: 9000 is not open from the subnet 10.0.0.0/24 in this stack's security group (open from it: tcp 22, 80, 443, 8080); allowed: one of those an HTTP service can be on (80, 8080), or securityGroup.servicePort: 9000\n",
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });
});

test("proxy-config --mode offline with a passed offlineUntil renders the page and warns", () => {
  const dir = copyProject();
  writeFileSync(
    join(dir, IU),
    shipped(IU).replace("port: 8080", 'port: 8080\n    offlineUntil: "2020-01-01"'),
  );
  const out = join(mkdtempSync(join(tmpdir(), "offline-")), "site");
  const run = runVerb(["proxy-config", "--stack", "iu", "--dir", dir, "--out", out, "--mode", "offline"]);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe(
    'warning: proxy.offlineUntil: "2020-01-01" has passed: the offline page would tell visitors the site was expected back then; allowed: a later date, or no offlineUntil\n',
  );
  expect(existsSync(join(out, "offline.html"))).toBe(true);
});

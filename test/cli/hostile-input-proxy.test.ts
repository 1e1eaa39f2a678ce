/**
 * The proxy's forwarding that cannot work, and its messages: `proxy-config` forwarding to the
 * socket nginx listens on, proxy ports of services that do not speak HTTP.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forwardsToItself } from "../../cli/proxy/upstream-loop";
import { offlineUntilPassed } from "../../config/proxy-settings";
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
      stderr: `jetstream: invalid config in Pulumi.iu.yaml:\nproxy.port: 100000000000000000000 is not a port; ${ALLOWED}\n`,
    });
  });

  test("a hand-written proxy.healthTries too big is named once by plan", () => {
    const dir = copyProject();
    writeFileSync(join(dir, IU), shipped(IU).replace("port: 8080", "port: 8080\n    healthTries: 1e300"));
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: invalid config in Pulumi.iu.yaml:\nproxy.healthTries: 1e+300 is not allowed; allowed: an integer from 1 to 120\n",
    });
  });
});

describe("characters a terminal would not show as themselves are escaped in messages", () => {
  const ONE_LINE = "holds a line break or control character; allowed: one line of printable text";
  test.each([
    ["foo\\u007fbar", "foo\u007fbar"],
    ["foo\\u0085bar", "foo\u0085bar"],
    ["foo\\u009bbar", "foo\u009bbar"],
    ["gal\\u202exy", "gal\u202exy"],
    ["gal\\u200bxy", "gal\u200bxy"],
    ["gal\\u2028xy", "gal\u2028xy"],
  ])("suspend of a name written %s is refused with the character escaped", (shown, name) => {
    const dir = copyProject();
    expect(runVerb(["suspend", name, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: argument "${shown}": ${ONE_LINE}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("an instance key holding DEL in the stack file is printed escaped by plan", () => {
    const dir = copyProject();
    writeFileSync(
      join(dir, IU),
      shipped(IU).replace("    lappsgrid-galaxy:\n", '    "lappsgrid-gal\\x7Faxy":\n'),
    );
    const run = runVerb(["plan", "--stack", "iu", "--dir", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")[1]).toBe(
      'instances.lappsgrid-gal\\u007faxy: "lappsgrid-gal\\u007faxy" is not an instance name; allowed: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters with the lappsgrid- prefix',
    );
  });
});

describe("an empty NAME (an unset shell variable) is refused as the argument, not looked up", () => {
  test.each([["suspend"], ["resume"], ["stop"], ["start"], ["delete"], ["ssh"], ["visit"]])(
    "%s '' says the NAME argument is empty",
    (verb) => {
      const dir = copyProject();
      expect(runVerb([verb, "", "--stack", "iu", "--dir", dir])).toEqual({
        code: 1,
        stdout: "",
        stderr: `jetstream: ${verb} NAME: an empty value (an unset shell variable?); allowed: an instance, with or without the lappsgrid- prefix\n`,
      });
      expect(read(dir, IU)).toBe(shipped(IU));
    },
  );
});

describe("every option given twice is refused the same way, short or long, with or without a value", () => {
  const TACC = "Pulumi.tacc.yaml";
  test.each([
    [["-t", "-t"], "--tiny: given twice (-t, -t); allowed: once"],
    [["-t", "--tiny"], "--tiny: given twice (-t, --tiny); allowed: once"],
    [["-tt"], "--tiny: given twice (-t, -t); allowed: once"],
    [["-x", "-x", "-x"], "--xlarge: given 3 times (-x, -x, -x); allowed: once"],
    [["--size", "small", "--size", "large"], "--size: given twice (small, large); allowed: once"],
    [["-i", "ubuntu", "-i", "docker"], "--image: given twice (ubuntu, docker); allowed: once"],
  ])("launch x %j is refused", (flags, message) => {
    const dir = copyProject();
    expect(runVerb(["launch", "x", ...flags, "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: ${message}\n`,
    });
    expect(read(dir, TACC)).toBe(shipped(TACC));
  });

  test("proxy-config --force twice is refused the same way", () => {
    expect(
      runVerb([
        "proxy-config",
        "--stack",
        "iu",
        "--dir",
        copyProject(),
        "--out",
        "/nonexistent/x",
        "--force",
        "--force",
      ]),
    ).toEqual({
      code: 1,
      stdout: "",
      stderr: "jetstream: --force: given twice (--force, --force); allowed: once\n",
    });
  });

  test("two different size flags are still told apart from a repeated one", () => {
    const dir = copyProject();
    const run = runVerb(["launch", "x", "-t", "-s", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")[0]).toBe(
      "error: give one size, not tiny and small; allowed: -t|-s|-m|-l|-x or --size NAME",
    );
  });
});

/** `plan --stack iu` of the IU stack with `line` written in place of `port: 8080` (the proxy block's last line). */
function planWith(find: string, replace: string) {
  const dir = copyProject();
  writeFileSync(join(dir, IU), shipped(IU).replace(find, replace));
  return runVerb(["plan", "--stack", "iu", "--dir", dir]);
}

const INVALID = "jetstream: invalid config in Pulumi.iu.yaml:\n";

describe("stack-file values with messages that say what is actually wrong", () => {
  test.each([
    [
      "domain: jetstream.lappsgrid.org.",
      'proxy.domain: "jetstream.lappsgrid.org." ends with a dot (a fully qualified name); allowed: the name without it (jetstream.lappsgrid.org)',
    ],
    [
      "domain: jetstream..lappsgrid.org",
      'proxy.domain: "jetstream..lappsgrid.org" is not a domain name; allowed: letters, digits, "-" and "."',
    ],
  ])("proxy %s", (line, problem) => {
    expect(planWith("domain: jetstream.lappsgrid.org", line)).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}${problem}\n`,
    });
  });

  test("a proxy.host name ending with a dot is refused, naming the name without it", () => {
    expect(planWith("port: 8080", "port: 8080\n    host: proxy.example.org.")).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}proxy.host: "proxy.example.org." ends with a dot (a fully qualified name); allowed: the name without it (proxy.example.org)\n`,
    });
  });

  const CIDR_ALLOWED =
    "allowed: a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, from /8 to /29 (like 10.0.0.0/24)";
  test.each([
    [
      "0.0.0.0/0",
      '"0.0.0.0/0" covers every IPv4 address: the subnet would hide every host on the internet from its servers',
    ],
    [
      "8.8.8.0/24",
      '"8.8.8.0/24" is not a private range: the subnet would hide those hosts on the internet from its servers',
    ],
    [
      "10.0.0.0/30",
      '"10.0.0.0/30" is too small for servers: the network, gateway, broadcast and DHCP addresses take all of it',
    ],
  ])("network.cidr: %s is refused saying what is wrong", (cidr, problem) => {
    expect(planWith("cidr: 10.0.0.0/24", `cidr: ${cidr}`)).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}network.cidr: ${problem}; ${CIDR_ALLOWED}\n`,
    });
  });

  test("network.cidr: 10.0.0.0/4, not a CIDR at all, says so with an example", () => {
    expect(planWith("cidr: 10.0.0.0/24", "cidr: 10.0.0.0/4")).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}network.cidr: "10.0.0.0/4" is not an IPv4 CIDR (like 10.0.0.0/24)\n`,
    });
  });

  test("network.cidr: 10.0.0.0/29, the smallest subnet with room for servers, is accepted", () => {
    const run = planWith("cidr: 10.0.0.0/24", "cidr: 10.0.0.0/29");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  test.each([
    ["offlineMessage", 2001, 2000],
    ["offlineTitle", 250, 200],
  ])("a proxy.%s of %d characters names the key, the length and the limit", (key, length, limit) => {
    expect(planWith("port: 8080", `port: 8080\n    ${key}: ${"x".repeat(length)}`)).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}proxy.${key}: ${length} characters is too long; allowed: at most ${limit} characters\n`,
    });
  });

  test("an empty cloud names the key and what is allowed", () => {
    expect(planWith("lappsgrid-jetstream:cloud: IU", 'lappsgrid-jetstream:cloud: ""')).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}cloud: an empty value; allowed: at least 1 character\n`,
    });
  });

  test.each([
    [
      "port: 8080\n    tls:",
      "proxy.tls: written without a value (YAML reads it as null); allowed: leave the key out, or give its settings: mode, acme, hsts",
    ],
    [
      "port: 8080\n    tls:\n      acme:",
      "proxy.tls.acme: written without a value (YAML reads it as null); allowed: leave the key out, or give its settings: email, directory",
    ],
  ])("%j names the empty key and what it takes", (line, problem) => {
    expect(planWith("port: 8080", line)).toEqual({ code: 1, stdout: "", stderr: `${INVALID}${problem}\n` });
  });

  test("an instance written without settings names the instance and its keys", () => {
    const run = planWith(
      "  lappsgrid-jetstream:proxy:",
      "    lappsgrid-empty:\n\n  lappsgrid-jetstream:proxy:",
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}instances.lappsgrid-empty: written without a value (YAML reads it as null); allowed: leave the key out, or give its settings: size, image, ip, floatingIpImportId, floatingIpDescription, state, role, userData, acceptRebuild\n`,
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
    expect(run.stderr).toBe(`warning: ${PASSED}\n`);
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

/**
 * Messages that say what is actually wrong, in the operator's words: characters a terminal would
 * hide, an empty NAME, an option given twice, stack-file values zod would word for itself.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { NO_ACME_CONTACT_WARNING } from "../helpers/program";
import { copyProject, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
describe("characters a terminal would not show as themselves are escaped in messages", () => {
  const ONE_LINE =
    "holds a line break, a control character or an invisible formatting character; allowed: one line of printable text";
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
    expect(run.stderr).toBe(
      "jetstream: launch: give one size, not -t and -s; allowed: -t|-s|-m|-l|-x or --size NAME (`jetstream launch --help`)\n",
    );
  });
});

/** `plan --stack iu` of the IU stack with its first `find` replaced by `replace`. */
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
    "allowed: a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (like 10.0.0.0/24)";
  test.each([
    [
      "0.0.0.0/0",
      '"0.0.0.0/0" covers every IPv4 address: the subnet would hide every host on the internet from its servers',
    ],
    [
      "8.8.8.0/24",
      '"8.8.8.0/24" is not a private range: the subnet would hide those hosts on the internet from its servers',
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
    expect(run.stderr).toBe(NO_ACME_CONTACT_WARNING);
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

describe("a size's vCPU count that is not a positive integer names the value", () => {
  test.each([
    ["1.5", "1.5"],
    ["0", "0"],
    ["four", '"four"'],
  ])("vcpus: %s", (written, shown) => {
    const sizes = `  lappsgrid-jetstream:sizes:\n    tiny:\n      flavor: m3.tiny\n      vcpus: ${written}\n  lappsgrid-jetstream:images:`;
    expect(planWith("  lappsgrid-jetstream:images:", sizes)).toEqual({
      code: 1,
      stdout: "",
      stderr: `${INVALID}sizes.tiny.vcpus: ${shown} is not allowed; allowed: an integer from 1 to 256 (the flavor's vCPUs)\n`,
    });
  });
});

describe("ssh and forget options given an empty or impossible value are refused naming the option", () => {
  const UNSET = "an empty value (an unset shell variable?)";
  test.each([
    [
      ["ssh", "galaxy", "--user", ""],
      `ssh --user: ${UNSET}; allowed: a login name on the instance, like ubuntu`,
    ],
    [
      ["ssh", "galaxy", "--user", "a b"],
      'ssh --user: "a b" is not a login name; allowed: letters, digits, ".", "_" and "-", starting with a letter or "_", like ubuntu',
    ],
    [["ssh", "galaxy", "-i", ""], `ssh --identity: ${UNSET}; allowed: a private key file`],
    [["ssh", "galaxy", "--known-hosts", ""], `--known-hosts: ${UNSET}; allowed: a known_hosts file`],
    [["forget", "galaxy", "--known-hosts", ""], `--known-hosts: ${UNSET}; allowed: a known_hosts file`],
  ])("%j", (argv, message) => {
    const dir = copyProject();
    expect(
      runVerb([...argv, "--address", "149.165.157.90", "--stack", "iu", "--dir", dir], { timeoutMs: 20_000 }),
    ).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: ${message}\n`,
    });
  });
});

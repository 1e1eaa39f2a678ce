/**
 * Addresses that look valid and cannot work: floating IPs in ranges no cloud hands out as a
 * public address, proxy targets that are the subnet's own addresses or unreachable private ones,
 * and `proxy-config --upstream` held to the proxy verb's target rules.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyProject, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";

describe("floating IPs in private, shared, documentation and benchmarking ranges are refused", () => {
  const REJECTED = "jetstream: Pulumi.tacc.yaml left unchanged: the edit would make the stack invalid:\n  ";
  test.each([
    ["10.1.2.3", "is in 10.0.0.0/8 (private)"],
    ["172.16.0.5", "is in 172.16.0.0/12 (private)"],
    ["172.31.255.254", "is in 172.16.0.0/12 (private)"],
    ["192.168.1.20", "is in 192.168.0.0/16 (private)"],
    ["100.64.0.1", "is in 100.64.0.0/10 (shared address space, carrier-grade NAT)"],
    ["100.127.255.254", "is in 100.64.0.0/10 (shared address space, carrier-grade NAT)"],
    ["192.0.2.5", "is in 192.0.2.0/24 (documentation)"],
    ["198.51.100.7", "is in 198.51.100.0/24 (documentation)"],
    ["203.0.113.9", "is in 203.0.113.0/24 (documentation)"],
    ["198.18.0.1", "is in 198.18.0.0/15 (benchmarking)"],
    ["198.19.255.254", "is in 198.18.0.0/15 (benchmarking)"],
    ["192.0.0.8", "is in 192.0.0.0/24 (IETF protocol assignments)"],
  ])("launch --ip %s is refused: it %s", (address, why) => {
    const dir = copyProject();
    expect(runVerb(["launch", "x", "--ip", address, "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}instances.lappsgrid-x.ip: ${address} ${why}; allowed: assign, or a public address allocated earlier in this cloud\n`,
    });
    expect(read(dir, TACC)).toBe(shipped(TACC));
  });

  test.each([["172.32.0.1"], ["100.128.0.1"], ["198.20.0.1"], ["129.114.44.10"]])(
    "launch --ip %s, next to those ranges, is a public address and accepted",
    (address) => {
      const dir = copyProject();
      const run = runVerb(["launch", "x", "--ip", address, "--stack", "tacc", "--dir", dir]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(read(dir, TACC)).toBe(
        `${shipped(TACC)}    lappsgrid-x:\n      size: medium\n      image: ubuntu\n      ip: ${address}\n`,
      );
    },
  );
});

describe("proxy targets that are the subnet's own addresses, or private ones the proxy cannot reach", () => {
  const REJECTED = "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ";
  const TARGET_ALLOWED = "allowed: an instance, <stack>/<instance>, or another host's address or name";
  test.each([
    ["10.0.0.0", "is the network address of this stack's subnet 10.0.0.0/24 (network.cidr), not a host"],
    ["10.0.0.255", "is the broadcast address of this stack's subnet 10.0.0.0/24 (network.cidr), not a host"],
    [
      "10.0.0.1",
      "is the gateway of this stack's subnet 10.0.0.0/24 (its first address, the router's), not a service",
    ],
    [
      "10.5.0.3",
      "is a private address outside this stack's subnet 10.0.0.0/24 (network.cidr): the proxy host cannot reach it",
    ],
    [
      "192.168.1.10",
      "is a private address outside this stack's subnet 10.0.0.0/24 (network.cidr): the proxy host cannot reach it",
    ],
    [
      "100.64.3.4",
      "is a private address outside this stack's subnet 10.0.0.0/24 (network.cidr): the proxy host cannot reach it",
    ],
    ["192.0.2.10", "is in 192.0.2.0/24 (documentation), not a host on the internet"],
    ["jetstream.lappsgrid.org.", "is the proxy's own domain (proxy.domain)"],
    ["JETSTREAM.LAPPSGRID.ORG.", "is the proxy's own domain (proxy.domain)"],
  ])("proxy %s is refused: it %s", (target, why) => {
    const dir = copyProject();
    expect(runVerb(["proxy", target, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}proxy.target: ${JSON.stringify(target)} ${why}; ${TARGET_ALLOWED}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("proxy NAME. (another host, fully qualified with the dot) is refused, naming the name without it", () => {
    const dir = copyProject();
    expect(runVerb(["proxy", "galaxy.lappsgrid.org.", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}proxy.target: "galaxy.lappsgrid.org." ends with a dot (a fully qualified name), which nginx's upstream does not take; allowed: the name without it (galaxy.lappsgrid.org)\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("proxy 10.0.0.50, a host inside the subnet, is accepted", () => {
    const dir = copyProject();
    const run = runVerb(["proxy", "10.0.0.50", "--stack", "iu", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(read(dir, IU)).toBe(shipped(IU).replace("target: lappsgrid-galaxy", "target: 10.0.0.50"));
  });

  test("a plan of a hand-written target on the subnet's broadcast address fails the same way", () => {
    const dir = copyProject();
    const iu = shipped(IU).replace("target: lappsgrid-galaxy", "target: 10.0.0.255");
    writeFileSync(join(dir, IU), iu);
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: invalid config in Pulumi.iu.yaml:\nproxy.target: "10.0.0.255" is the broadcast address of this stack's subnet 10.0.0.0/24 (network.cidr), not a host; ${TARGET_ALLOWED}\n`,
    });
  });
});

describe("proxy-config --upstream is held to the proxy verb's target rules", () => {
  const ALLOWED = "allowed: HOST:PORT of another host than the proxy";
  const TRIAL = " (loopback only for a trial on this machine: --listen 127.0.0.1:PORT with another port)";
  const run = (upstream: string, extra: string[] = []) => {
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
      "--upstream",
      upstream,
      ...extra,
    ]);
    return { ...result, wrote: existsSync(out) };
  };

  test.each([
    [
      "127.0.0.1:8080",
      `"127.0.0.1" is in 127.0.0.0/8 (loopback): the proxy would serve itself; ${ALLOWED}${TRIAL}`,
    ],
    ["localhost:8080", `"localhost" is the proxy host itself; ${ALLOWED}${TRIAL}`],
    ["0.0.0.0:8080", `"0.0.0.0" is in 0.0.0.0/8 (this network); ${ALLOWED}`],
    [
      "149.165.157.82:8080",
      `"149.165.157.82" is the proxy host's own address (instances.lappsgrid-proxy.ip); ${ALLOWED}`,
    ],
    [
      "jetstream.lappsgrid.org:8080",
      `"jetstream.lappsgrid.org" is the proxy's own domain (proxy.domain); ${ALLOWED}`,
    ],
    [
      "10.0.0.255:8080",
      `"10.0.0.255" is the broadcast address of this stack's subnet 10.0.0.0/24 (network.cidr), not a host; ${ALLOWED}`,
    ],
    [
      "10.5.0.3:8080",
      `"10.5.0.3" is a private address outside this stack's subnet 10.0.0.0/24 (network.cidr): the proxy host cannot reach it; ${ALLOWED}`,
    ],
  ])("--upstream %s is refused and nothing is written", (upstream, why) => {
    expect(run(upstream)).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --upstream: ${why}\n`,
      wrote: false,
    });
  });

  test("a loopback upstream on the port nginx listens on would forward to itself: refused", () => {
    expect(run("127.0.0.1:8081", ["--listen", "127.0.0.1:8081"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --upstream: 127.0.0.1:8081 is the address nginx listens on (--listen 127.0.0.1:8081): the site would forward to itself; allowed: the service's HOST:PORT, another port\n",
      wrote: false,
    });
  });

  test("the port nginx listens on without --listen is named as the default, not as a --listen nobody gave", () => {
    expect(run("127.0.0.1:80")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --upstream: 127.0.0.1:80 is on this machine, where nginx listens on port 80 of every address (the default, without --listen): the site would forward to itself; allowed: the service's HOST:PORT, another port\n",
      wrote: false,
    });
  });

  test.each([
    [
      ["--https-listen", "80"],
      "--https-listen: 80 is where the plain HTTP site listens (the default, without --listen); allowed: another port, like 443 or 127.0.0.1:8443",
    ],
    [
      ["--listen", "443"],
      "--listen: 443 is where the HTTPS form listens (the default, without --https-listen); allowed: another port, or --https-listen another one",
    ],
  ])("HTTP and HTTPS on one port (%j) name only the option given", (given, message) => {
    const out = join(mkdtempSync(join(tmpdir(), "listen-")), "site");
    const argv = ["proxy-config", "--stack", "iu", "--dir", copyProject(), "--out", out, "--mode", "offline"];
    const result = runVerb([...argv, ...given]);
    expect({ ...result, wrote: existsSync(out) }).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: ${message}\n`,
      wrote: false,
    });
  });

  test("a loopback upstream for a trial on this machine (--listen 127.0.0.1:PORT, another port) is allowed, as the README does it", () => {
    const result = run("127.0.0.1:9000", ["--listen", "127.0.0.1:8081"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.wrote).toBe(true);
  });
});

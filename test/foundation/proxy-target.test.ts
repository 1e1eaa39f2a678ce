/**
 * The proxy block's host and target, checked by config before any cloud is asked: a target that
 * is the proxy itself, a host that is not the proxy host, a service port the security group
 * keeps closed. Each refusal is one line, written out.
 */
import { stackSuBurn, suBurnPerHour, validateStackConfig } from "../../config";
import { admitsAddress, coversCidr } from "../../config/proxy-reach";
import { problemsOf } from "../helpers/config";

const TARGET_ALLOWED = "allowed: an instance, <stack>/<instance>, or another host's address or name";
const proxyHost = { role: "proxy", ip: "149.165.157.82" };

test.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
  [
    "the proxy's own domain",
    { target: "Jetstream.LappsGrid.org" },
    {},
    `proxy.target: "Jetstream.LappsGrid.org" is the proxy's own domain (proxy.domain); ${TARGET_ALLOWED}`,
  ],
  [
    "localhost",
    { target: "localhost" },
    {},
    `proxy.target: "localhost" is the proxy host itself; ${TARGET_ALLOWED}`,
  ],
  [
    "a localhost name",
    { target: "localhost.localdomain" },
    {},
    `proxy.target: "localhost.localdomain" is the proxy host itself; ${TARGET_ALLOWED}`,
  ],
  [
    "a loopback address",
    { target: "127.0.0.2" },
    {},
    `proxy.target: "127.0.0.2" is in 127.0.0.0/8 (loopback): the proxy would serve itself; ${TARGET_ALLOWED}`,
  ],
  [
    "a link-local address",
    { target: "169.254.1.1" },
    {},
    `proxy.target: "169.254.1.1" is in 169.254.0.0/16 (link-local); ${TARGET_ALLOWED}`,
  ],
  [
    "the proxy host's adopted address",
    { target: "149.165.157.82" },
    {},
    `proxy.target: "149.165.157.82" is the proxy host's own address (instances.proxy.ip); ${TARGET_ALLOWED}`,
  ],
  [
    "an external proxy host's address",
    { host: "149.165.1.1", target: "149.165.1.1" },
    { proxy: undefined },
    `proxy.target: "149.165.1.1" is the proxy host's own address (proxy.host); ${TARGET_ALLOWED}`,
  ],
  [
    "an external proxy host's name",
    { host: "proxy.example.org", target: "PROXY.example.org" },
    { proxy: undefined },
    `proxy.target: "PROXY.example.org" is the proxy host's own name (proxy.host); ${TARGET_ALLOWED}`,
  ],
  [
    "the proxy instance",
    { target: "proxy" },
    {},
    'proxy.target: "proxy" is the proxy host itself; allowed: another instance',
  ],
  [
    "an unknown instance",
    { target: "worker" },
    {},
    'proxy.target: "worker" is not an instance of this stack (lappsgrid-galaxy, lappsgrid-proxy), <stack>/<instance>, an IPv4 address or a host name',
  ],
])("a target that is %s is refused", (_, proxy, instanceChanges, problem) => {
  const instances = Object.fromEntries(
    Object.entries({ proxy: proxyHost, galaxy: {}, ...instanceChanges }).filter(([, v]) => v !== undefined),
  );
  expect(problemsOf({ instances, proxy })).toEqual([problem]);
});

test.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
  [
    "no proxy host and no proxy.host",
    { galaxy: {} },
    { target: "galaxy" },
    [
      "proxy.host: no instance has role: proxy; allowed: mark one instance role: proxy, or give the address of a proxy host this stack does not manage",
    ],
  ],
  [
    "a proxy.host that is another instance",
    { proxy: proxyHost, galaxy: {} },
    { host: "galaxy", target: "galaxy" },
    [
      'proxy.host: "galaxy" is not the proxy host; allowed: the instance with role: proxy (lappsgrid-proxy), an IPv4 address or a host name',
    ],
  ],
  [
    "a proxy.host naming an instance when none is the proxy",
    { galaxy: {} },
    { host: "proxy", target: "galaxy" },
    [
      'proxy.host: "proxy" is not the proxy host; allowed: the instance with role: proxy (none), an IPv4 address or a host name',
    ],
  ],
  [
    "online without a target",
    { proxy: proxyHost },
    {},
    [
      "proxy.target: required when proxy.mode is online; allowed: an instance, <stack>/<instance>, an IPv4 address or a host name",
    ],
  ],
  [
    "a port the stack's security group keeps closed to the subnet",
    { proxy: proxyHost, galaxy: {} },
    { target: "galaxy", port: 9000 },
    [],
  ],
])("%s is refused in one line", (_, instances, proxy, problems) => {
  if (problems.length === 0) {
    // The service port follows proxy.port: opening it is the default, so this is accepted.
    expect(validateStackConfig({ instances, proxy }, "iu").proxy?.port).toBe(9000);
    return;
  }
  expect(problemsOf({ instances, proxy })).toEqual(problems);
});

test("a service port set apart from proxy.port names the ports open from the subnet", () => {
  expect(
    problemsOf({
      instances: { proxy: proxyHost, galaxy: {} },
      proxy: { target: "galaxy", port: 9000 },
      securityGroup: { servicePort: 8080 },
    }),
  ).toEqual([
    "proxy.port: 9000 is not open from the subnet 10.0.0.0/24 in this stack's security group (open from it: tcp 22, 80, 443, 8080); allowed: one of those an HTTP service can be on (80, 8080), or securityGroup.servicePort: 9000",
  ]);
});

test("a port opened to the subnet by a wider rule or a range is open; a narrower rule is not", () => {
  const stack = (rules: unknown[]) => ({
    instances: { proxy: proxyHost, galaxy: {} },
    proxy: { target: "galaxy", port: 9000 },
    securityGroup: { rules },
  });
  expect(
    validateStackConfig(stack([{ protocol: "tcp", ports: "8000-9000", from: "10.0.0.0/16" }]), "iu").proxy
      ?.port,
  ).toBe(9000);
  expect(
    problemsOf(
      stack([
        { protocol: "tcp", ports: "9000-9100", from: "10.0.0.128/25" },
        { protocol: "tcp", ports: 22, from: "0.0.0.0/0" },
        { protocol: "udp", ports: 9000, from: "10.0.0.0/24" },
      ]),
    ),
  ).toEqual([
    "proxy.port: 9000 is not open from the subnet 10.0.0.0/24 in this stack's security group (open from it: tcp 22); allowed: securityGroup.servicePort: 9000",
  ]);
  expect(
    problemsOf(
      stack([
        { protocol: "tcp", ports: 9001, from: "10.0.0.0/24" },
        { protocol: "tcp", ports: "8000-8999", from: "0.0.0.0/0" },
      ]),
    ),
  ).toEqual([
    "proxy.port: 9000 is not open from the subnet 10.0.0.0/24 in this stack's security group (open from it: tcp 8000-8999, 9001); allowed: one of those an HTTP service can be on (8000-8999, 9001), or securityGroup.servicePort: 9000",
  ]);
  expect(problemsOf(stack([{ protocol: "icmp", from: "10.0.0.0/24" }]))).toEqual([
    "proxy.port: 9000 is not open from the subnet 10.0.0.0/24 in this stack's security group (open from it: tcp none); allowed: securityGroup.servicePort: 9000",
  ]);
});

test.each<[string, number, number]>([
  ["active", 8, 8],
  ["stopped", 8, 4],
  ["shelved", 8, 0],
])("an instance %s with %i vCPUs burns %s SU an hour", (state, vcpus, perHour) => {
  expect(
    suBurnPerHour({ flavor: { flavor: "m3.medium", vcpus }, state } as Parameters<typeof suBurnPerHour>[0]),
  ).toBe(perHour);
});

describe("instance names at their edges", () => {
  const NAME_ALLOWED =
    'allowed: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters with the lappsgrid- prefix';
  // "lappsgrid-" is 10 characters: 53 more make the longest host name label, 63.
  const longest = "a".repeat(53);

  test.each(["a", "9", "a-b", longest, `lappsgrid-${longest}`, "lappsgrid-galaxy"])(
    "%s is a name",
    (name) => {
      expect(validateStackConfig({ instances: { [name]: {} } }, "iu").instances.map((i) => i.name)).toEqual([
        name.startsWith("lappsgrid-") ? name : `lappsgrid-${name}`,
      ]);
    },
  );

  test("a name one character too long says how long it is", () => {
    const name = `${longest}b`;
    expect(problemsOf({ instances: { [name]: {} } })).toEqual([
      `instances.${name}: ${JSON.stringify(name)} is 64 characters long with the lappsgrid- prefix, not an instance name; ${NAME_ALLOWED}`,
    ]);
  });

  test.each(["-a", "a-", "A", "a_b", "a.b"])("%s is refused", (name) => {
    expect(problemsOf({ instances: { [name]: {} } })).toEqual([
      `instances.${name}: ${JSON.stringify(name)} is not an instance name; ${NAME_ALLOWED}`,
    ]);
  });
});

describe("targets and hosts that are fine, and names that only look like them", () => {
  const instances = { proxy: proxyHost, galaxy: {} };

  test.each([
    ["another public address while the proxy host has its own", { target: "149.165.157.83" }],
    ["a name that merely contains localhost", { target: "mylocalhost.example.org" }],
    ["the proxy instance named as proxy.host", { host: "proxy", target: "galaxy" }],
    [
      "an address target on a port the group keeps closed to the subnet",
      { target: "149.165.1.9", port: 9000 },
    ],
  ])("%s is accepted", (_, proxy) => {
    const config = validateStackConfig({ instances, proxy, securityGroup: { servicePort: 8080 } }, "iu");
    expect(config.proxy?.host).toEqual({ kind: "instance", name: "lappsgrid-proxy" });
  });

  test("another address than an external proxy host's, and another name, are accepted", () => {
    for (const [host, target] of [
      ["149.165.1.1", "149.165.1.2"],
      ["proxy.example.org", "galaxy.example.org"],
    ]) {
      expect(
        validateStackConfig({ instances: { galaxy: {} }, proxy: { host, target } }, "iu").proxy?.target,
      ).toEqual({
        kind: "address",
        address: target,
      });
    }
  });

  test.each(["my stack/galaxy", "tacc/galaxy/x", "mylocalhost", "localhostx"])(
    "target %j is neither an instance, <stack>/<instance>, an address nor a host name",
    (target) => {
      expect(problemsOf({ instances, proxy: { target } })).toEqual([
        `proxy.target: ${JSON.stringify(target)} is not an instance of this stack (lappsgrid-galaxy, lappsgrid-proxy), <stack>/<instance>, an IPv4 address or a host name`,
      ]);
    },
  );

  test("an unknown target in a stack without instances says none", () => {
    expect(problemsOf({ proxy: { host: "149.165.1.1", target: "worker" } })).toEqual([
      'proxy.target: "worker" is not an instance of this stack (none), <stack>/<instance>, an IPv4 address or a host name',
    ]);
  });
});

test("a stack's SU burn adds its instances' and counts 24 hours a day", () => {
  const config = validateStackConfig(
    { instances: { a: { size: "tiny" }, b: { size: "small", state: "stopped" } } },
    "iu",
  );
  expect(stackSuBurn(config.instances)).toEqual({ perHour: 2, perDay: 48 });
});

test.each<[string, string, boolean]>([
  ["10.0.0.0/24", "10.0.0.0/24", true],
  ["10.0.0.0/16", "10.0.0.0/24", true],
  ["10.0.0.0/25", "10.0.0.0/24", false],
  ["10.1.0.0/16", "10.0.0.0/24", false],
  ["10.0.0.5", "10.0.0.0/24", false],
])("a rule from %s covers %s: %s", (from, cidr, expected) => {
  expect(coversCidr(from, cidr)).toBe(expected);
});

test.each<[string, string, boolean]>([
  ["1.2.3.4", "1.2.3.4", true],
  ["1.2.3.4", "1.2.3.5", false],
  ["1.2.3.0/24", "1.2.3.9", true],
  ["1.2.3.0/24", "1.2.4.9", false],
])("a rule from %s admits %s: %s", (from, address, expected) => {
  expect(admitsAddress(from, address)).toBe(expected);
});

test("with two proxy hosts, which one serves is unknown: the proxy block is not judged against either", () => {
  const two = { p1: { role: "proxy", ip: "assign" }, p2: { role: "proxy", ip: "assign" }, galaxy: {} };
  for (const proxy of [{ target: "galaxy" }, { host: "galaxy", target: "galaxy" }]) {
    expect(problemsOf({ instances: two, proxy }).filter((problem) => problem.startsWith("proxy."))).toEqual(
      [],
    );
  }
});

/**
 * What validation hands the components (instances with their defaults and in name order, security
 * rules as neutron gets them, the keypair and the cloud), and the cross-field refusals an operator
 * meets in `pulumi preview`: an adopted rule twice, a secret where a plain value belongs, a
 * subnet too small for its servers, an online site whose target is down. Checked in process.
 */
import { validateStackConfig } from "../../config";
import { problemsIn } from "../helpers/config";

const MEDIUM = { flavor: "m3.medium", vcpus: 8 };
const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGTVDy4aoeAsg7swAFAvZk7ZarBNF9QbKbXH/aO56Rh ops@lappsgrid";

test("instances come out in name order with every default applied", () => {
  const { instances } = validateStackConfig(
    {
      instances: {
        web: {},
        api: {
          size: "large",
          image: "centos",
          ip: "assign",
          state: "stopped",
          userData: "#cloud-config\n",
          acceptRebuild: true,
        },
      },
    },
    "lab",
  );
  expect(instances).toEqual([
    {
      key: "api",
      name: "lappsgrid-api",
      size: "large",
      flavor: { flavor: "m3.large", vcpus: 16 },
      imageAlias: "centos",
      imageName: "Featured-RockyLinux9",
      ip: { kind: "assign" },
      state: "stopped",
      role: "service",
      userData: "#cloud-config\n",
      acceptRebuild: true,
    },
    {
      key: "web",
      name: "lappsgrid-web",
      size: "medium",
      flavor: MEDIUM,
      imageAlias: "ubuntu",
      imageName: "Featured-Ubuntu24",
      ip: { kind: "none" },
      state: "active",
      role: "service",
      userData: undefined,
      acceptRebuild: false,
    },
  ]);
});

test("an address allocated earlier is adopted with its import ID and its description in the cloud", () => {
  const [web] = validateStackConfig(
    {
      instances: {
        web: { ip: "149.165.157.82", floatingIpImportId: "f-1", floatingIpDescription: "galaxy" },
      },
    },
    "lab",
  ).instances;
  expect(web.ip).toEqual({
    kind: "adopt",
    address: "149.165.157.82",
    importId: "f-1",
    description: "galaxy",
  });
});

test("a created rule is described by its key; an adopted rule without a description gets none", () => {
  const { rules } = validateStackConfig(
    {
      securityGroup: {
        rules: [
          { protocol: "tcp", ports: "8000-8100", from: "0.0.0.0/0", importId: "r-1" },
          { protocol: "udp", ports: 53, from: "10.0.0.0/24" },
          { protocol: "icmp", from: "10.0.0.0/24", description: "ping" },
        ],
      },
    },
    "lab",
  ).securityGroup;
  expect(rules).toEqual([
    {
      key: "tcp-8000-8100-from-0-0-0-0-0",
      description: undefined,
      protocol: "tcp",
      portMin: 8000,
      portMax: 8100,
      from: "0.0.0.0/0",
      importId: "r-1",
    },
    {
      key: "udp-53-from-10-0-0-0-24",
      description: "udp-53-from-10-0-0-0-24",
      protocol: "udp",
      portMin: 53,
      portMax: 53,
      from: "10.0.0.0/24",
      importId: undefined,
    },
    {
      key: "icmp-from-10-0-0-0-24",
      description: "ping",
      protocol: "icmp",
      from: "10.0.0.0/24",
      importId: undefined,
    },
  ]);
});

test("an adopted network takes none of our names or DNS servers, only what the stack states", () => {
  const { network } = validateStackConfig(
    { network: { import: { network: "n-1", subnet: "s-1", router: "r-1", routerInterface: "p-1" } } },
    "lab",
  );
  expect(network).toEqual({
    name: undefined,
    subnetName: undefined,
    routerName: undefined,
    cidr: "10.0.0.0/24",
    dnsNameservers: undefined,
    externalNetwork: "public",
    existingRouter: undefined,
    import: { network: "n-1", subnet: "s-1", router: "r-1", routerInterface: "p-1" },
  });
});

test("a keypair with a public key is managed; without one, an existing keypair is named", () => {
  expect(validateStackConfig({ keypair: { publicKey: PUBLIC_KEY } }, "lab").keypair).toEqual({
    kind: "managed",
    name: "lappsgrid-shared-key",
    publicKey: PUBLIC_KEY,
  });
  expect(validateStackConfig({ keypair: { name: "ops-key" } }, "lab").keypair).toEqual({
    kind: "existing",
    name: "ops-key",
  });
});

test("the cloud is the stack's name unless the stack file names it", () => {
  expect(validateStackConfig({}, "tacc").cloud).toBe("tacc");
  expect(validateStackConfig({ cloud: "IU" }, "lab").cloud).toBe("IU");
});

test.each<[string, Record<string, unknown>]>([
  [
    "a /29 subnet with 4 instances (6 addresses for 6 ports)",
    { network: { cidr: "10.0.0.0/29" }, instances: { a: {}, b: {}, c: {}, d: {} } },
  ],
  ["a /30 subnet with no instance (the gateway and DHCP fill it)", { network: { cidr: "10.0.0.0/30" } }],
  [
    "a stopped target while the site is offline",
    {
      instances: { proxy: { role: "proxy", ip: "assign" }, web: { state: "stopped" } },
      proxy: { domain: "galaxy.lappsgrid.org", mode: "offline", target: "web" },
      proxySshKey: { secure: "v1:abc" },
    },
  ],
  [
    "a proxy host written as active",
    { instances: { proxy: { role: "proxy", ip: "assign", state: "active" } } },
  ],
  ["the proxy's SSH key as a secret", { proxySshKey: { secure: "v1:abc" } }],
  [
    "a router reused by name (Jetstream2's one router per project)",
    { network: { existingRouter: "auto_allocated_router" } },
  ],
  [
    "a hand-made network adopted whole, the router's interface on the subnet included",
    { network: { import: { network: "n-1", subnet: "s-1", router: "r-1", routerInterface: "p-1" } } },
  ],
])("%s is accepted", (_, values) => {
  expect(problemsIn(values)).toEqual([]);
});

const onlineTo = (state: string) => ({
  instances: { proxy: { role: "proxy", ip: "assign" }, web: { state } },
  proxy: { domain: "galaxy.lappsgrid.org", mode: "online", target: "web" },
  proxySshKey: { secure: "v1:abc" },
});
const SECRET_NOT_HERE =
  "a secret (secure:) is not allowed here; allowed: a plain value (only proxySshKey, proxyTlsCertificate and proxyTlsKey are secrets)";

test.each<[string, Record<string, unknown>, string[]]>([
  [
    "one rule in the cloud adopted by two entries",
    {
      securityGroup: {
        importId: "sg-1",
        rules: [
          { protocol: "tcp", ports: 80, from: "0.0.0.0/0", importId: "r-1" },
          { protocol: "tcp", ports: 22, from: "1.2.3.4/32", importId: "r-1" },
        ],
      },
    },
    [
      "securityGroup.rules.1.importId: r-1 is also the importId of securityGroup.rules.0; one rule in the cloud is adopted once; allowed: the ID of another rule of the group, or leave importId out to create the rule",
    ],
  ],
  [
    "secrets where plain maps belong, each named",
    { images: { secure: "v1:abc" }, network: { secure: "v1:def" } },
    [`images: ${SECRET_NOT_HERE}`, `network: ${SECRET_NOT_HERE}`],
  ],
  [
    "a map with a secure key and another key (not a secret: its keys are checked)",
    { network: { secure: "v1:abc", name: "net" } },
    [
      "network.secure: unknown key; allowed keys: name, subnetName, routerName, cidr, dnsNameservers, externalNetwork, existingRouter, import",
    ],
  ],
  [
    "a /30 subnet with one instance",
    { network: { cidr: "10.0.0.0/30" }, instances: { web: {} } },
    [
      "network.cidr: 10.0.0.0/30 leaves 2 addresses for ports (4 in all, less the network and broadcast addresses), and this stack needs 3: 1 instance, the router's gateway and one DHCP port; allowed: a prefix of /29 or shorter",
    ],
  ],
  [
    "a /29 subnet with five instances",
    { network: { cidr: "10.0.0.0/29" }, instances: { a: {}, b: {}, c: {}, d: {}, e: {} } },
    [
      "network.cidr: 10.0.0.0/29 leaves 6 addresses for ports (8 in all, less the network and broadcast addresses), and this stack needs 7: 5 instances, the router's gateway and one DHCP port; allowed: a prefix of /28 or shorter",
    ],
  ],
  [
    "a stopped target while the site is online",
    onlineTo("stopped"),
    [
      'instances.web.state: "stopped" is not allowed while proxy.target is web and proxy.mode is online: the site would forward to a server that is down; allowed: active (`jetstream start web`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)',
    ],
  ],
  [
    "a shelved target while the site is online",
    onlineTo("shelved"),
    [
      'instances.web.state: "shelved" is not allowed while proxy.target is web and proxy.mode is online: the site would forward to a server that is down; allowed: active (`jetstream resume web`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)',
    ],
  ],
  [
    "an SSH source that repeats the proxied-service rule (service port 22 from the subnet)",
    { securityGroup: { sshFrom: ["10.0.0.0/24"], servicePort: 22 } },
    [
      'securityGroup.sshFrom.0: repeats the default rule "proxied service" (tcp 22 from 10.0.0.0/24); allowed: each source once',
    ],
  ],
  [
    "the same rule twice in a rules list",
    {
      securityGroup: {
        rules: [
          { protocol: "tcp", ports: 22, from: "0.0.0.0/0" },
          { protocol: "tcp", ports: 22, from: "0.0.0.0/0" },
        ],
      },
    },
    ["securityGroup.rules.1: repeats securityGroup.rules.0; allowed: each protocol, port and source once"],
  ],
  [
    "a rule without its source",
    { securityGroup: { rules: [{ protocol: "tcp", ports: 22 }] } },
    ["securityGroup.rules.0.from: expected text, got nothing"],
  ],
  [
    "a name key written without a value",
    { network: { name: null } },
    ["network.name: written without a value (YAML reads it as null); allowed: text, or leave the key out"],
  ],
  [
    "an image alias the stack does not define",
    { instances: { web: { image: "docker" } }, images: { zeta: "Featured-Zeta", alpha: "Featured-Alpha" } },
    [
      'instances.web.image: "docker" is not an image alias of this stack; allowed: alpha, centos, ubuntu, zeta',
    ],
  ],
])("%s is refused", (_, values, expected) => {
  expect(problemsIn(values)).toEqual(expected);
});

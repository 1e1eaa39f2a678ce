/**
 * Refusals of the stack schema an operator meets in `pulumi preview` and in every verb, checked
 * in process (the verb tests that show them run the CLI in another process): each names the key
 * path, the value as written and what is allowed. Also the default security rules exactly as
 * they reach the cloud, and the edges that must stay accepted.
 */
import { StackConfigError, validateStackConfig } from "../../config";
import { problemsIn } from "../helpers/config";

const offlineProxy = (settings: Record<string, unknown>) => ({
  proxy: { host: "149.165.157.82", mode: "offline", ...settings },
});
const rule = (settings: Record<string, unknown>) => ({
  securityGroup: { rules: [{ protocol: "tcp", ports: 80, from: "0.0.0.0/0", ...settings }] },
});

const PORTS_ALLOWED = 'allowed: 22 or "8000-8100"';
const VCPUS_ALLOWED = "allowed: an integer from 1 to 256 (the flavor's vCPUs)";
const DESCRIPTION_ALLOWED = "allowed: up to 200 letters, digits, spaces and . , : ( ) / - _";

test.each<[string, Record<string, unknown>, string[]]>([
  ["an empty cloud name", { cloud: "" }, ["cloud: an empty value; allowed: at least 1 character"]],
  [
    "a name of 64 characters",
    { network: { name: "n".repeat(64) } },
    [
      `network.name: ${JSON.stringify("n".repeat(64))} is not a name; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters`,
    ],
  ],
  [
    "a public key of the right shape whose key data is damaged",
    { keypair: { publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0m0ck0nly" } },
    [
      'keypair.publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0m0ck0nly" is not an OpenSSH public key (its key data is not base64); allowed: one line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-*, as the .pub file holds it',
    ],
  ],
  [
    "a protocol nova does not know",
    rule({ protocol: "http" }),
    ['securityGroup.rules.0.protocol: "http" is not a protocol; allowed: tcp, udp, icmp'],
  ],
  [
    "a role other than proxy or service",
    { instances: { web: { role: "db" } } },
    ['instances.web.role: "db" is not a role; allowed: proxy, service'],
  ],
  [
    "a public key that is not a key line",
    { keypair: { publicKey: "not a key" } },
    [
      'keypair.publicKey: "not a key" is not an OpenSSH public key; allowed: one line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-*, as the .pub file holds it',
    ],
  ],
  [
    "a port written as a service name",
    rule({ ports: "ssh" }),
    [`securityGroup.rules.0.ports: "ssh" is not a port or range; ${PORTS_ALLOWED}`],
  ],
  [
    "a range without its high end",
    rule({ ports: "22-" }),
    [`securityGroup.rules.0.ports: "22-" is not a port or range; ${PORTS_ALLOWED}`],
  ],
  [
    "a range with a space after it",
    rule({ ports: "8000-8100 " }),
    [`securityGroup.rules.0.ports: "8000-8100 " is not a port or range; ${PORTS_ALLOWED}`],
  ],
  [
    "a range with text before it",
    rule({ ports: "x8000-8100" }),
    [`securityGroup.rules.0.ports: "x8000-8100" is not a port or range; ${PORTS_ALLOWED}`],
  ],
  [
    "a port of true",
    rule({ ports: true }),
    [`securityGroup.rules.0.ports: true is not a port or range; ${PORTS_ALLOWED}`],
  ],
  [
    "a rule description with an exclamation mark",
    rule({ description: "web!" }),
    [`securityGroup.rules.0.description: "web!" is not a rule description; ${DESCRIPTION_ALLOWED}`],
  ],
  [
    "a rule description of 201 characters",
    rule({ description: "d".repeat(201) }),
    [
      `securityGroup.rules.0.description: ${JSON.stringify("d".repeat(201))} is not a rule description; ${DESCRIPTION_ALLOWED}`,
    ],
  ],
  [
    "an adopted address's description of 256 characters",
    {
      instances: {
        web: { ip: "149.165.157.82", floatingIpImportId: "f-1", floatingIpDescription: "x".repeat(256) },
      },
    },
    ["instances.web.floatingIpDescription: 256 characters is too long; allowed: at most 255 characters"],
  ],
  [
    "an ACME directory given as a number",
    offlineProxy({ domain: "galaxy.lappsgrid.org", tls: { acme: { directory: 42 } } }),
    [
      "proxy.tls.acme.directory: 42 is not a URL; allowed: an https:// URL of an ACME directory, like Let's Encrypt's \"https://acme-v02.api.letsencrypt.org/directory\" or its staging one",
    ],
  ],
  [
    "an ACME e-mail given as a number",
    offlineProxy({ domain: "galaxy.lappsgrid.org", tls: { acme: { email: 42 } } }),
    [
      'proxy.tls.acme.email: 42 is not an e-mail address; allowed: one e-mail address, like "ops@lappsgrid.org"',
    ],
  ],
  [
    "a domain written fully qualified, with its root dot",
    offlineProxy({ domain: "galaxy.lappsgrid.org." }),
    [
      'proxy.domain: "galaxy.lappsgrid.org." ends with a dot (a fully qualified name); allowed: the name without it (galaxy.lappsgrid.org)',
    ],
  ],
  [
    "a public range as the stack's subnet",
    { network: { cidr: "8.8.8.0/24" } },
    [
      'network.cidr: "8.8.8.0/24" is not a private range: the subnet would hide those hosts on the internet from its servers; allowed: a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (like 10.0.0.0/24)',
    ],
  ],
  [
    "a subnet prefix past /32",
    { network: { cidr: "10.0.0.0/33" } },
    ['network.cidr: "10.0.0.0/33" is not an IPv4 CIDR (like 10.0.0.0/24)'],
  ],
  ["a number where the network's map belongs", { network: 5 }, ["network: expected a map, got number 5"]],
  ["true where the keypair's map belongs", { keypair: true }, ["keypair: expected a map, got boolean true"]],
  [
    "text where the network's map belongs",
    { network: "lappsgrid-network" },
    ['network: expected a map, got string "lappsgrid-network"'],
  ],
  [
    "a map where the DNS servers' list belongs",
    { network: { dnsNameservers: { a: "8.8.8.8" } } },
    ["network.dnsNameservers: expected a list, got a map"],
  ],
  [
    "an image alias written as an empty key",
    { images: { "": "Featured-Ubuntu22" } },
    ['images."": "" is not an image alias; allowed: lower-case letters, digits and "-"'],
  ],
  [
    "a fractional vCPU count",
    { sizes: { tiny: { flavor: "m3.tiny", vcpus: 1.5 } } },
    [`sizes.tiny.vcpus: 1.5 is not allowed; ${VCPUS_ALLOWED}`],
  ],
  [
    "a vCPU count past four times the largest flavor",
    { sizes: { tiny: { flavor: "m3.tiny", vcpus: 257 } } },
    [`sizes.tiny.vcpus: 257 is not allowed; ${VCPUS_ALLOWED}`],
  ],
  [
    "two typos in one map, each on its own line with the keys it takes",
    { network: { nmae: "net", cdir: "10.0.0.0/24" } },
    [
      "network.nmae: unknown key; allowed keys: name, subnetName, routerName, cidr, dnsNameservers, externalNetwork, existingRouter, import",
      "network.cdir: unknown key; allowed keys: name, subnetName, routerName, cidr, dnsNameservers, externalNetwork, existingRouter, import",
    ],
  ],
  [
    "a typo in an instance",
    { instances: { web: { ip: "assign", szie: "small" } } },
    [
      "instances.web.szie: unknown key; allowed keys: size, image, ip, floatingIpImportId, floatingIpDescription, state, role, userData, acceptRebuild",
    ],
  ],
  [
    "a typo in an ACME block",
    offlineProxy({ domain: "galaxy.lappsgrid.org", tls: { acme: { mail: "ops@lappsgrid.org" } } }),
    ["proxy.tls.acme.mail: unknown key; allowed keys: email, directory"],
  ],
])("%s is refused with the key, the value as written and what is allowed", (_, values, expected) => {
  expect(problemsIn(values)).toEqual(expected);
});

/** Each end of every run of characters a terminal shows as a space or not at all. */
test.each([
  ["\u0080", "\\u0080"],
  ["\u00a0", "\\u00a0"],
  ["\u00ad", "\\u00ad"],
  ["\u1680", "\\u1680"],
  ["\u180e", "\\u180e"],
  ["\u2000", "\\u2000"],
  ["\u200b", "\\u200b"],
  ["\u200f", "\\u200f"],
  ["\u2028", "\\u2028"],
  ["\u202f", "\\u202f"],
  ["\u205f", "\\u205f"],
  ["\u206f", "\\u206f"],
  ["\u3000", "\\u3000"],
  ["\ufeff", "\\ufeff"],
])("an invisible character (%j) in a refused value is shown escaped as %s", (character, shown) => {
  expect(problemsIn({ instances: { web: { size: `tiny${character}` } } })).toEqual([
    `instances.web.size: "tiny${shown}" is not a size; allowed: tiny, small, medium, large, xlarge`,
  ]);
});

test("visible accented letters in a refused value are shown as written", () => {
  expect(problemsIn({ instances: { web: { size: "petité" } } })).toEqual([
    'instances.web.size: "petité" is not a size; allowed: tiny, small, medium, large, xlarge',
  ]);
});

test.each<[string, Record<string, unknown>]>([
  ["a vCPU count of 256", { sizes: { xlarge: { flavor: "m3.2xl", vcpus: 256 } } }],
  ["a vCPU count of 1", { sizes: { tiny: { flavor: "m3.tiny", vcpus: 1 } } }],
  [
    "an adopted address's description of 255 characters",
    {
      instances: {
        web: { ip: "149.165.157.82", floatingIpImportId: "f-1", floatingIpDescription: "x".repeat(255) },
      },
    },
  ],
  ["a rule description of 200 characters", rule({ description: "d".repeat(200) })],
  [
    "a rule description with every punctuation allowed",
    rule({ description: "Galaxy_web (v2): 8080/tcp, a.b-c" }),
  ],
  ["an empty rule description", rule({ description: "" })],
  ["a name of 63 characters", { network: { name: "n".repeat(63) } }],
  [
    "image aliases with digits and dashes",
    { images: { "ubuntu-22": "Featured-Ubuntu22", u2: "Featured-Ubuntu24" } },
  ],
  [
    "a health path with every URL punctuation allowed",
    offlineProxy({ healthPath: "/a._~!$&'()*+,;=:@%/?-Z9" }),
  ],
  [
    "an ACME e-mail with dots, a plus and a subdomain",
    offlineProxy({
      domain: "galaxy.lappsgrid.org",
      tls: { acme: { email: "ops.team+tls@mail.lappsgrid.org" } },
    }),
  ],
  [
    "Let's Encrypt's staging directory",
    offlineProxy({
      domain: "galaxy.lappsgrid.org",
      tls: { acme: { directory: "https://acme-staging-v02.api.letsencrypt.org/directory" } },
    }),
  ],
])("%s is accepted", (_, values) => {
  expect(problemsIn(values)).toEqual([]);
});

test("the default security rules open SSH and the web to all, the service and ICMP to the subnet", () => {
  expect(validateStackConfig({}, "lab").securityGroup.rules).toEqual([
    {
      key: "tcp-22-from-0-0-0-0-0",
      description: "SSH",
      protocol: "tcp",
      portMin: 22,
      portMax: 22,
      from: "0.0.0.0/0",
    },
    {
      key: "tcp-80-from-0-0-0-0-0",
      description: "HTTP",
      protocol: "tcp",
      portMin: 80,
      portMax: 80,
      from: "0.0.0.0/0",
    },
    {
      key: "tcp-443-from-0-0-0-0-0",
      description: "HTTPS",
      protocol: "tcp",
      portMin: 443,
      portMax: 443,
      from: "0.0.0.0/0",
    },
    {
      key: "tcp-8080-from-10-0-0-0-24",
      description: "proxied service",
      protocol: "tcp",
      portMin: 8080,
      portMax: 8080,
      from: "10.0.0.0/24",
    },
    {
      key: "icmp-from-10-0-0-0-24",
      description: "ICMP inside the subnet",
      protocol: "icmp",
      from: "10.0.0.0/24",
    },
  ]);
});

test("serviceFrom opens the service port to another stack's proxy, described as such", () => {
  const { rules } = validateStackConfig(
    { securityGroup: { serviceFrom: ["149.165.157.82/32"], servicePort: 8000 } },
    "lab",
  ).securityGroup;
  expect(rules.filter((entry) => entry.portMin === 8000)).toEqual([
    {
      key: "tcp-8000-from-10-0-0-0-24",
      description: "proxied service",
      protocol: "tcp",
      portMin: 8000,
      portMax: 8000,
      from: "10.0.0.0/24",
    },
    {
      key: "tcp-8000-from-149-165-157-82-32",
      description: "proxied service, from another stack's proxy",
      protocol: "tcp",
      portMin: 8000,
      portMax: 8000,
      from: "149.165.157.82/32",
    },
  ]);
});

test("the error `pulumi preview` prints holds every problem, one a line", () => {
  const refuse = () => validateStackConfig({ network: { name: "-a" }, keypair: { name: "-b" } }, "lab");
  expect(refuse).toThrow(StackConfigError);
  expect(refuse).toThrow(
    new Error(
      [
        'network.name: "-a" is not a name; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters',
        'keypair.name: "-b" is not a name; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters',
      ].join("\n"),
    ),
  );
});

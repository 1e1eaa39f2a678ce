import * as pulumi from "@pulumi/pulumi";
import { StackConfigError, splitStackConfig, validateStackConfig } from "../../config";
import { loadStackConfig } from "../../config/program";
import { problemsOf } from "../helpers/config";

const galaxy = { size: "large", image: "ubuntu", ip: "assign" };

describe("each bad stack value fails with one line naming the key, the value and what is allowed", () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      "unknown size",
      { instances: { "lappsgrid-galaxy": { size: "huge" } } },
      'instances.lappsgrid-galaxy.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge',
    ],
    [
      "unknown image alias",
      { instances: { galaxy: { image: "debian" } }, images: { docker: "Featured-Ubuntu22-Docker" } },
      'instances.galaxy.image: "debian" is not an image alias of this stack; allowed: centos, docker, ubuntu',
    ],
    [
      "sshFrom beside a rules list, which replaces the defaults it would feed",
      {
        securityGroup: {
          sshFrom: ["1.2.3.4/32"],
          rules: [{ protocol: "tcp", ports: 22, from: "0.0.0.0/0" }],
        },
      },
      "securityGroup.sshFrom: not used when securityGroup.rules is given (rules replaces the default rules); allowed: write the rule in securityGroup.rules, or drop rules to use the defaults",
    ],
    [
      "serviceFrom beside a rules list",
      {
        securityGroup: {
          serviceFrom: ["149.165.157.82/32"],
          rules: [{ protocol: "icmp", from: "10.0.0.0/24" }],
        },
      },
      "securityGroup.serviceFrom: not used when securityGroup.rules is given (rules replaces the default rules); allowed: write the rule in securityGroup.rules, or drop rules to use the defaults",
    ],
    [
      "unknown state",
      { instances: { galaxy: { state: "suspended" } } },
      'instances.galaxy.state: "suspended" is not a state; allowed: active, stopped, shelved',
    ],
    [
      "bad CIDR",
      { network: { cidr: "10.0.0.5/24" } },
      'network.cidr: "10.0.0.5/24" is not an IPv4 CIDR (like 10.0.0.0/24)',
    ],
    [
      "ip that is neither assign nor an address",
      { instances: { galaxy: { ip: "free" } } },
      'instances.galaxy.ip: "free" is neither "assign" nor an IPv4 address; allowed: assign, or a public address allocated earlier in this cloud',
    ],
    [
      "the same address on two instances",
      { instances: { a: { ip: "149.165.1.2" }, b: { ip: "149.165.1.2" } } },
      "instances.b.ip: 149.165.1.2 is already the address of instances.a; allowed: each address on one instance",
    ],
    [
      "two names that normalise to the same instance",
      { instances: { galaxy, "lappsgrid-galaxy": galaxy } },
      "instances.lappsgrid-galaxy: names the same instance as instances.galaxy (lappsgrid-galaxy); keep one",
    ],
    [
      "more than one proxy host",
      { instances: { proxy: { role: "proxy", ip: "assign" }, proxy2: { role: "proxy", ip: "assign" } } },
      'instances.proxy2.role: "proxy" is already the role of instances.proxy; allowed: one proxy host per stack',
    ],
    [
      "unknown key (typo)",
      { instances: { galaxy: { sise: "large" } } },
      "instances.galaxy.sise: unknown key; allowed keys: size, image, ip, floatingIpImportId, floatingIpDescription, state, role, userData, acceptRebuild",
    ],
    [
      "unknown top-level key",
      { instance: {} },
      "instance: unknown key; allowed keys: cloud, network, securityGroup, keypair, sizes, images, instances, proxy, proxySshKey, proxyTlsCertificate, proxyTlsKey",
    ],
    [
      "wrong type: a list where a map belongs",
      { instances: ["galaxy"] },
      "instances: expected a map, got a list",
    ],
    [
      "wrong type: text where a flag belongs",
      { instances: { galaxy: { acceptRebuild: "yes" } } },
      'instances.galaxy.acceptRebuild: "yes" is text, not a boolean (YAML 1.2 reads yes, no, on and off as text); allowed: true or false',
    ],
    [
      "wrong type: port as text",
      { proxy: { target: "galaxy", port: "8080" }, instances: { proxy: { role: "proxy" }, galaxy: {} } },
      'proxy.port: "8080" is not a port; allowed: an integer from 1 to 65535',
    ],
    [
      "bad DNS nameserver",
      { network: { dnsNameservers: ["8.8.8.888"] } },
      'network.dnsNameservers.0: "8.8.8.888" is not an IPv4 address',
    ],
    [
      "bad instance name",
      { instances: { "Galaxy Main": {} } },
      'instances.Galaxy Main: "Galaxy Main" is not an instance name; allowed: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters with the lappsgrid- prefix',
    ],
    [
      "floating IP import without an address",
      { instances: { galaxy: { ip: "assign", floatingIpImportId: "fip-1" } } },
      "instances.galaxy.floatingIpImportId: only allowed with ip: <address>, not with ip: assign",
    ],
    [
      "proxy target that is no instance, address or host",
      { instances: { proxy: { role: "proxy", ip: "assign" } }, proxy: { target: "galaxy" } },
      'proxy.target: "galaxy" is not an instance of this stack (lappsgrid-proxy), <stack>/<instance>, an IPv4 address or a host name',
    ],
    [
      "proxy target that is a mistyped address, not a host name",
      { instances: { proxy: { role: "proxy", ip: "assign" } }, proxy: { target: "10.0.0.300" } },
      'proxy.target: "10.0.0.300" is not an instance of this stack (lappsgrid-proxy), <stack>/<instance>, an IPv4 address or a host name',
    ],
    [
      "proxy online without a target",
      { instances: { proxy: { role: "proxy", ip: "assign" } }, proxy: { mode: "online" } },
      "proxy.target: required when proxy.mode is online; allowed: an instance, <stack>/<instance>, an IPv4 address or a host name",
    ],
    [
      "proxy host without a public address",
      { instances: { proxy: { role: "proxy" } } },
      "instances.proxy.ip: required on the proxy host; allowed: assign, or the address the proxy's domain points at",
    ],
    [
      "proxy host stopped",
      { instances: { proxy: { role: "proxy", ip: "assign", state: "stopped" } } },
      'instances.proxy.state: "stopped" is not allowed on the proxy host, which must serve the site and carry SSH; allowed: active (take the site down with proxy.mode: offline)',
    ],
    [
      "proxy host shelved",
      { instances: { proxy: { role: "proxy", ip: "assign", state: "shelved" } } },
      'instances.proxy.state: "shelved" is not allowed on the proxy host, which must serve the site and carry SSH; allowed: active (take the site down with proxy.mode: offline)',
    ],
    [
      "floating IP description on an address this stack does not adopt",
      { instances: { galaxy: { ip: "149.165.168.5", floatingIpDescription: "galaxy" } } },
      "instances.galaxy.floatingIpDescription: only allowed with floatingIpImportId; it states the adopted address's own description",
    ],
    [
      "proxy without a proxy host",
      { instances: { galaxy: {} }, proxy: { mode: "offline" } },
      "proxy.host: no instance has role: proxy; allowed: mark one instance role: proxy, or give the address of a proxy host this stack does not manage",
    ],
    [
      "unknown proxy mode",
      { proxy: { mode: "maintenance" } },
      'proxy.mode: "maintenance" is not a proxy mode; allowed: online, offline',
    ],
    [
      "proxy host key as ssh-keyscan prints it, host name first",
      { proxy: { hostKey: "149.165.157.82 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0m0ck0nly" } },
      'proxy.hostKey: "149.165.157.82 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0m0ck0nly" is not an SSH host key; allowed: one line like "ssh-ed25519 AAAA...", as `ssh-keyscan -t ed25519 HOST` prints it without the host name',
    ],
    [
      "proxy domain with an nginx directive in it",
      { proxy: { domain: "example.org; return 302 http://evil" } },
      'proxy.domain: "example.org; return 302 http://evil" is not a domain name; allowed: letters, digits, "-" and "."',
    ],
    [
      "router reused and adopted at once",
      { network: { existingRouter: "auto_allocated_router", import: { router: "r-1" } } },
      "network.import.router: not allowed with network.existingRouter; allowed: one of them (reuse by name, or adopt by ID)",
    ],
    [
      "security rule without ports for tcp",
      { securityGroup: { rules: [{ protocol: "tcp", from: "0.0.0.0/0" }] } },
      'securityGroup.rules.0.ports: required for tcp and udp; allowed: 22 or "8000-8100"',
    ],
    [
      "the proxy's SSH key in plain text (it would be in git)",
      {
        proxySshKey:
          "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
      },
      "proxySshKey: must be a secret, not plain text; allowed: the `secure:` value `pulumi config set --secret proxySshKey < KEYFILE` writes",
    ],
    [
      "an adopted security group without its rules (the defaults would be created twice)",
      { securityGroup: { importId: "sg-1" } },
      "securityGroup.rules: required with securityGroup.importId; allowed: the adopted group's rules, each with its importId, and any new ones",
    ],
    [
      "size table entry with a bad vCPU count",
      { sizes: { medium: { flavor: "m3.quad", vcpus: 0 } } },
      "sizes.medium.vcpus: 0 is not allowed; allowed: an integer from 1 to 256 (the flavor's vCPUs)",
    ],
  ])("%s", (_what, values, message) => {
    expect(problemsOf(values)).toEqual([message]);
  });

  test("several problems are all reported, one line each", () => {
    expect(problemsOf({ instances: { a: { size: "huge", state: "paused" } } })).toEqual([
      'instances.a.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge',
      'instances.a.state: "paused" is not a state; allowed: active, stopped, shelved',
    ]);
  });
});

describe("defaults", () => {
  test("the proxy's SSH key as a secure: value is accepted", () => {
    expect(() => validateStackConfig({ proxySshKey: { secure: "v1:cGxhY2Vob2xkZXI=" } })).not.toThrow();
  });

  test("an empty stack gets the old script's names and the Jetstream2 defaults", () => {
    const stack = validateStackConfig({}, "iu");
    expect(stack.network).toEqual({
      name: "lappsgrid-network",
      subnetName: "lappsgrid-subnet",
      routerName: "lappsgrid-router",
      cidr: "10.0.0.0/24",
      dnsNameservers: ["8.8.8.8", "8.8.4.4"],
      externalNetwork: "public",
      import: {},
    });
    expect(stack.securityGroup.name).toBe("lappsgrid-secgroup");
    expect(stack.keypair).toEqual({ kind: "existing", name: "lappsgrid-shared-key" });
    expect(stack.cloud).toBe("iu");
  });

  test("an instance gets the prefix, medium on m3.medium, ubuntu, active, no public address", () => {
    const [instance] = validateStackConfig({ instances: { galaxy: {} } }).instances;
    expect(instance).toEqual({
      key: "galaxy",
      name: "lappsgrid-galaxy",
      size: "medium",
      flavor: { flavor: "m3.medium", vcpus: 8 },
      imageAlias: "ubuntu",
      imageName: "Featured-Ubuntu24",
      ip: { kind: "none" },
      state: "active",
      role: "service",
      userData: undefined,
      acceptRebuild: false,
    });
  });

  test("a stack's size table overrides a flavor and its vCPUs", () => {
    const [instance] = validateStackConfig({
      sizes: { medium: { flavor: "m3.quad", vcpus: 4 } },
      instances: { galaxy: {} },
    }).instances;
    expect(instance.flavor).toEqual({ flavor: "m3.quad", vcpus: 4 });
  });

  test("proxy targets: an instance, another stack's instance, an address, a host name", () => {
    const instances = { proxy: { role: "proxy", ip: "assign" }, galaxy: {} };
    const target = (t: string) => validateStackConfig({ instances, proxy: { target: t } }).proxy?.target;
    expect(target("galaxy")).toEqual({ kind: "instance", name: "lappsgrid-galaxy" });
    expect(target("tacc/worker")).toEqual({ kind: "stack", stack: "tacc", name: "lappsgrid-worker" });
    expect(target("149.165.1.9")).toEqual({ kind: "address", address: "149.165.1.9" });
    expect(target("galaxy.lappsgrid.org")).toEqual({ kind: "address", address: "galaxy.lappsgrid.org" });
  });
});

describe("a key in a namespace nobody reads is an error, not a silent deletion", () => {
  const typo =
    'lappsgrid-jetstrem:instances: unknown config namespace "lappsgrid-jetstrem"; allowed: lappsgrid-jetstream, openstack, command, pulumi';

  test("in a stack file read by the CLI", () => {
    const text = "config:\n  openstack:region: IU\n  lappsgrid-jetstrem:instances:\n    worker: {}\n";
    expect(() => splitStackConfig(text, "Pulumi.tacc.yaml")).toThrow(new StackConfigError([typo]));
  });

  test("in the config the engine hands the program", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: () => {
          throw new Error("no resource may be registered");
        },
        call: () => {
          throw new Error("no data source may be read");
        },
      },
      "lappsgrid-jetstream",
      "tacc",
    );
    pulumi.runtime.setAllConfig({
      "openstack:region": "TACC",
      "lappsgrid-jetstrem:instances": '{"worker":{}}',
    });
    expect(() => loadStackConfig()).toThrow(`invalid config in Pulumi.tacc.yaml:\n${typo}`);
  });
});

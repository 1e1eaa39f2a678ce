/**
 * What a real `pulumi up` on Jetstream2 needs from the program that the mock runtime never
 * checks: replacements that delete first where OpenStack refuses a second copy, adopted
 * resources that send only what the operator wrote, and the order in which the proxy's pieces
 * are made. Read from the offline evaluation's records of each resource's options.
 */
import type { Evaluation } from "../../cli/offline/evaluation";
import { builtGalaxyStackText, evaluateProgram, resourceNamed } from "../helpers/program";

const SERVER = "lappsgrid:jetstream:Instance$openstack:compute/instance:Instance";
const urn = (typeChain: string, name: string, stack = "iu") =>
  `urn:pulumi:${stack}::lappsgrid-jetstream::${typeChain}::${name}`;

// Stacks written in a test are planned against a project without an inventory ("lab"): the IU
// inventory holds the hand-made network and group, which these stacks do not adopt.
const LAB = "lab";

describe("the IU stack with a Galaxy it built itself", () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluateProgram(LAB, builtGalaxyStackText());
  });

  test("each server is deleted before its replacement boots, and the proxy host stays protected", () => {
    // The replacement boots on the same port: created first, nova would answer 409 (port in use).
    expect(
      ["lappsgrid-proxy-server", "lappsgrid-galaxy-server"].map((name) => {
        const server = resourceNamed(evaluation, name);
        return [name, server.deleteBeforeReplace, server.protect];
      }),
    ).toEqual([
      ["lappsgrid-proxy-server", true, true],
      ["lappsgrid-galaxy-server", true, false],
    ]);
  });

  test("each security group rule is deleted before its replacement: neutron refuses a duplicate rule", () => {
    const rules = evaluation.resources
      .filter((r) => r.type === "openstack:networking/secGroupRule:SecGroupRule")
      .map((r) => [r.name, r.deleteBeforeReplace]);
    expect(rules).toEqual([
      ["lappsgrid-rule-tcp-22-from-0-0-0-0-0", true],
      ["lappsgrid-rule-tcp-80-from-0-0-0-0-0", true],
      ["lappsgrid-rule-tcp-443-from-0-0-0-0-0", true],
      ["lappsgrid-rule-tcp-8080-from-10-0-0-0-24", true],
      ["lappsgrid-rule-icmp-from-10-0-0-0-24", true],
    ]);
  });

  test("each floating IP association is deleted before its replacement: a port takes one address", () => {
    expect(
      ["lappsgrid-proxy-floating-ip-association", "lappsgrid-galaxy-floating-ip-association"].map((name) => {
        const association = resourceNamed(evaluation, name);
        return [name, association.deleteBeforeReplace, association.protect];
      }),
    ).toEqual([
      ["lappsgrid-proxy-floating-ip-association", true, true],
      ["lappsgrid-galaxy-floating-ip-association", true, false],
    ]);
  });

  test("the proxy's command waits for the proxy host and for its target's server", () => {
    expect(resourceNamed(evaluation, "public-proxy-site").dependsOn).toEqual([
      urn(SERVER, "lappsgrid-proxy-server", LAB),
      urn(SERVER, "lappsgrid-galaxy-server", LAB),
    ]);
  });

  test("the fixed address moves to the proxy port only once the new proxy server exists", () => {
    expect(resourceNamed(evaluation, "lappsgrid-proxy-floating-ip-association").dependsOn).toEqual([
      urn(SERVER, "lappsgrid-proxy-server", LAB),
    ]);
    // An address allocated by this stack was never anyone else's: nothing to wait for.
    expect(resourceNamed(evaluation, "lappsgrid-galaxy-floating-ip-association").dependsOn).toEqual([]);
  });
});

describe("the shipped IU stack", () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluateProgram("iu");
  });

  test("its one server, the new proxy, is deleted before a replacement boots and stays protected", () => {
    const servers = evaluation.resources.filter((r) => r.type === "openstack:compute/instance:Instance");
    expect(servers.map((s) => [s.name, s.deleteBeforeReplace, s.protect])).toEqual([
      ["lappsgrid-proxy-server", true, true],
    ]);
  });

  test("the proxy's command waits for the proxy host; its target, the hand-made Galaxy, is an address", () => {
    expect(resourceNamed(evaluation, "public-proxy-site").dependsOn).toEqual([
      urn(SERVER, "lappsgrid-proxy-server"),
    ]);
  });

  test("the fixed address moves to the proxy port only once the new proxy server exists", () => {
    expect(resourceNamed(evaluation, "lappsgrid-proxy-floating-ip-association").dependsOn).toEqual([
      urn(SERVER, "lappsgrid-proxy-server"),
    ]);
  });
});

test("a proxy to an address or another stack waits only for the proxy host", async () => {
  const evaluation = await evaluateProgram(
    LAB,
    `config:
  lappsgrid-jetstream:instances:
    proxy: { role: proxy, size: tiny, ip: 149.165.157.82 }
  lappsgrid-jetstream:proxy:
    target: 149.165.168.5
`,
  );
  expect(resourceNamed(evaluation, "public-proxy-site").dependsOn).toEqual([
    urn(SERVER, "lappsgrid-proxy-server", LAB),
  ]);
});

describe("adopted resources send exactly what the operator wrote", () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluateProgram(
      LAB,
      `config:
  lappsgrid-jetstream:securityGroup:
    importId: sg-4444
    rules:
      - { protocol: tcp, ports: 22, from: 0.0.0.0/0, importId: rule-7777 }
      - { protocol: tcp, ports: 80, from: 0.0.0.0/0, importId: rule-8888, description: web from anywhere }
      - { protocol: tcp, ports: 8080, from: 10.0.0.0/24 }
  lappsgrid-jetstream:instances:
    proxy: { role: proxy, size: tiny, ip: 149.165.157.82, floatingIpImportId: fip-5555 }
    galaxy: { ip: 149.165.168.5, floatingIpImportId: fip-6666, floatingIpDescription: galaxy address }
`,
    );
  });

  test("an adopted rule without a description in the stack sends none (a hand-made rule has none)", () => {
    expect(resourceNamed(evaluation, "lappsgrid-rule-tcp-22-from-0-0-0-0-0").inputs).toEqual({
      securityGroupId: "sg-4444",
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: "0.0.0.0/0",
    });
  });

  test("an adopted rule with a description in the stack sends that description", () => {
    expect(resourceNamed(evaluation, "lappsgrid-rule-tcp-80-from-0-0-0-0-0").inputs).toEqual({
      securityGroupId: "sg-4444",
      description: "web from anywhere",
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      portRangeMin: 80,
      portRangeMax: 80,
      remoteIpPrefix: "0.0.0.0/0",
    });
  });

  test("a rule this stack creates keeps its description", () => {
    expect(resourceNamed(evaluation, "lappsgrid-rule-tcp-8080-from-10-0-0-0-24").inputs).toMatchObject({
      description: "tcp-8080-from-10-0-0-0-24",
    });
  });

  test("an adopted floating IP sends its description only when the stack states one, and never tags", () => {
    expect(resourceNamed(evaluation, "lappsgrid-proxy-floating-ip").inputs).toEqual({
      pool: "public",
      address: "149.165.157.82",
    });
    expect(resourceNamed(evaluation, "lappsgrid-galaxy-floating-ip").inputs).toEqual({
      pool: "public",
      address: "149.165.168.5",
      description: "galaxy address",
    });
  });
});

describe("a server that stops or shelves waits for the site to stop forwarding to it", () => {
  const COMMAND = "lappsgrid:jetstream:Proxy$command:remote:Command";
  let evaluation: Evaluation;
  beforeAll(async () => {
    // `jetstream offline` and `jetstream suspend galaxy` in one pull request: one `pulumi up`.
    evaluation = await evaluateProgram(
      LAB,
      `config:
  lappsgrid-jetstream:instances:
    proxy: { role: proxy, size: tiny, ip: 149.165.157.82 }
    galaxy: { size: large, state: shelved }
    worker: { size: small, state: stopped }
    spare: { size: small }
  lappsgrid-jetstream:proxy:
    mode: offline
    target: galaxy
`,
    );
  });

  test("the offline site's command waits for the proxy host only, not for the server it no longer forwards to", () => {
    expect(resourceNamed(evaluation, "public-proxy-site").dependsOn).toEqual([
      urn(SERVER, "lappsgrid-proxy-server", LAB),
    ]);
  });

  test("each stopped or shelved server waits for the site's command, so the site is offline before it goes down", () => {
    expect(
      ["lappsgrid-galaxy-server", "lappsgrid-worker-server", "lappsgrid-spare-server"].map((name) => [
        name,
        resourceNamed(evaluation, name).dependsOn,
      ]),
    ).toEqual([
      ["lappsgrid-galaxy-server", [urn(COMMAND, "public-proxy-site", LAB)]],
      ["lappsgrid-worker-server", [urn(COMMAND, "public-proxy-site", LAB)]],
      ["lappsgrid-spare-server", []],
    ]);
  });
});

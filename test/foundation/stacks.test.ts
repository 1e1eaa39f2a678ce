import { readdirSync } from "node:fs";
import {
  builtGalaxyInventory,
  builtGalaxyStackText,
  evaluateProgram,
  PROJECT_DIR,
  resourceNamed,
  shippedStackText,
} from "../helpers/program";

const shippedStacks = readdirSync(PROJECT_DIR)
  .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
  .filter((stack): stack is string => stack !== undefined);

describe("every shipped stack file", () => {
  test("the repo ships the IU and TACC stacks", () => {
    expect(shippedStacks.sort()).toEqual(["iu", "tacc"]);
  });

  test.each(shippedStacks)(
    "stack %s evaluates, and every child's name starts with its component's name",
    async (stack) => {
      const evaluation = await evaluateProgram(stack);
      expect(evaluation.resources.length).toBeGreaterThan(8);
      const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
      for (const resource of evaluation.resources) {
        const parent = byUrn.get(resource.parent);
        if (!parent) continue;
        expect(resource.urn).toContain(`${parent.type}$${resource.type}::${resource.name}`);
        let component = parent;
        while (component.custom) component = byUrn.get(component.parent)!;
        expect(`${resource.name} under ${component.name}`).toMatch(
          new RegExp(`^${component.name}-.* under `),
        );
      }
    },
  );
});

describe("the IU stack", () => {
  let evaluation: Awaited<ReturnType<typeof evaluateProgram>>;
  beforeAll(async () => {
    evaluation = await evaluateProgram("iu");
  });

  test("adopts the hand-made network, subnet, router and interface by the IDs inventory/iu.yaml records", () => {
    const network = resourceNamed(evaluation, "lappsgrid-network");
    expect(network.inputs).toEqual({ name: "lappsgrid-network", adminStateUp: true });
    expect(network.importId).toBe("00000000-0000-4000-8000-000000000120");
    // The hand-made subnet has no name and no DNS servers: an import sends none.
    const subnet = resourceNamed(evaluation, "lappsgrid-subnet");
    expect(subnet.inputs).toEqual({
      networkId: "00000000-0000-4000-8000-000000000120",
      cidr: "10.0.0.0/24",
      ipVersion: 4,
    });
    expect(subnet.importId).toBe("00000000-0000-4000-8000-000000000121");
    const router = resourceNamed(evaluation, "lappsgrid-router");
    expect(router.inputs.name).toBe("lappsgrid-router");
    // The gateway network is looked up by name: the inventory's ID for "public".
    expect(router.inputs.externalNetworkId).toBe("00000000-0000-4000-8000-000000000110");
    expect(router.importId).toBe("00000000-0000-4000-8000-000000000122");
    const routerInterface = resourceNamed(evaluation, "lappsgrid-router-interface");
    expect(routerInterface.inputs).toEqual({
      routerId: "00000000-0000-4000-8000-000000000122",
      subnetId: "00000000-0000-4000-8000-000000000121",
    });
    expect(routerInterface.importId).toBe("00000000-0000-4000-8000-000000000123");
  });

  test("the security group carries the default rules, each its own resource under the group", () => {
    const group = resourceNamed(evaluation, "lappsgrid-security-group");
    expect(group.inputs.name).toBe("lappsgrid-secgroup");
    const rules = evaluation.resources.filter(
      (r) => r.type === "openstack:networking/secGroupRule:SecGroupRule",
    );
    expect(
      rules.map((r) => [r.inputs.protocol, r.inputs.portRangeMin ?? null, r.inputs.remoteIpPrefix]),
    ).toEqual([
      ["tcp", 22, "0.0.0.0/0"],
      ["tcp", 80, "0.0.0.0/0"],
      ["tcp", 443, "0.0.0.0/0"],
      ["tcp", 8080, "10.0.0.0/24"],
      ["icmp", null, "10.0.0.0/24"],
    ]);
    for (const rule of rules) {
      expect(rule.parent).toBe(group.urn);
      expect(rule.inputs.securityGroupId).toBe(group.id);
      expect(rule.inputs.direction).toBe("ingress");
    }
  });

  test("declares no server named like a hand-made one: the Galaxy the old script built stays outside", () => {
    const servers = evaluation.resources.filter((r) => r.type === "openstack:compute/instance:Instance");
    expect(servers.map((server) => server.inputs.name)).toEqual(["lappsgrid-proxy"]);
  });

  test("outputs give each instance's size, flavor, state, addresses and SU burn, and the stack's totals", () => {
    const instances = evaluation.outputs.instances as Record<string, Record<string, unknown>>;
    expect(instances).toEqual({
      "lappsgrid-proxy": {
        name: "lappsgrid-proxy",
        size: "tiny",
        flavor: "m3.tiny",
        state: "active",
        privateIp: expect.stringMatching(/^10\.0\.0\.\d+$/),
        publicIp: "149.165.157.82",
        suPerHour: 1,
        suPerHourWhenActive: 1,
      },
    });
    expect(evaluation.outputs.suPerHour).toBe(1);
    expect(evaluation.outputs.suPerDay).toBe(24);
    expect(evaluation.mockValues).toContain(instances["lappsgrid-proxy"].privateIp);
    expect(evaluation.mockValues).not.toContain("149.165.157.82");
  });
});

describe("the IU stack with a Galaxy it built itself (test/fixtures/stacks)", () => {
  let evaluation: Awaited<ReturnType<typeof evaluateProgram>>;
  beforeAll(async () => {
    evaluation = await evaluateProgram("iu", builtGalaxyStackText(), builtGalaxyInventory());
  });

  test("galaxy boots on its own port with a large flavor, active, and an assigned floating IP on that port", () => {
    const port = resourceNamed(evaluation, "lappsgrid-galaxy-port");
    expect(port.inputs).toEqual({
      name: "lappsgrid-galaxy-port",
      networkId: resourceNamed(evaluation, "lappsgrid-network").id,
      fixedIps: [{ subnetId: resourceNamed(evaluation, "lappsgrid-subnet").id }],
      securityGroupIds: [resourceNamed(evaluation, "lappsgrid-security-group").id],
      adminStateUp: true,
    });
    const server = resourceNamed(evaluation, "lappsgrid-galaxy-server");
    expect(server.inputs).toEqual({
      name: "lappsgrid-galaxy",
      flavorName: "m3.large",
      imageName: "Featured-Ubuntu22-Docker",
      // The newest image of that name in inventory/iu.yaml.
      imageId: "00000000-0000-4000-8000-000000000104",
      keyPair: "lappsgrid-shared-key",
      networks: [{ port: port.id }],
      powerState: "active",
      metadata: { "lappsgrid-role": "service", "lappsgrid-size": "large" },
      stopBeforeDestroy: true,
    });
    expect(server.ignoreChanges).toEqual(["imageName", "imageId", "userData"]);
    expect(server.protect).toBe(false);
    expect(resourceNamed(evaluation, "lappsgrid-galaxy-floating-ip").inputs).toEqual({
      pool: "public",
      description: "lappsgrid-galaxy (managed by Pulumi)",
    });
    const association = resourceNamed(evaluation, "lappsgrid-galaxy-floating-ip-association");
    const galaxy = (evaluation.outputs.instances as Record<string, { publicIp: string }>)["lappsgrid-galaxy"];
    expect(association.inputs).toEqual({ floatingIp: galaxy.publicIp, portId: port.id });
    expect(galaxy.publicIp).toMatch(/^192\.0\.2\.\d+$/);
  });

  test("the proxy host, its port and its adopted address are protected; the address is attached, never allocated", () => {
    for (const name of [
      "lappsgrid-proxy-server",
      "lappsgrid-proxy-port",
      "lappsgrid-proxy-floating-ip-association",
    ]) {
      expect(resourceNamed(evaluation, name).protect).toBe(true);
    }
    expect(evaluation.resources.some((r) => r.name === "lappsgrid-proxy-floating-ip")).toBe(false);
    expect(resourceNamed(evaluation, "lappsgrid-proxy-floating-ip-association").inputs.floatingIp).toBe(
      "149.165.157.82",
    );
    expect(resourceNamed(evaluation, "lappsgrid-proxy-server").inputs.flavorName).toBe("m3.tiny");
  });

  test("outputs give the Galaxy's SU burn and the stack's totals", () => {
    const instances = evaluation.outputs.instances as Record<string, Record<string, unknown>>;
    expect(instances["lappsgrid-proxy"]).toEqual({
      name: "lappsgrid-proxy",
      size: "tiny",
      flavor: "m3.tiny",
      state: "active",
      privateIp: expect.stringMatching(/^10\.0\.0\.\d+$/),
      publicIp: "149.165.157.82",
      suPerHour: 1,
      suPerHourWhenActive: 1,
    });
    expect(instances["lappsgrid-galaxy"].suPerHour).toBe(16);
    expect(evaluation.outputs.suPerHour).toBe(17);
    expect(evaluation.outputs.suPerDay).toBe(408);
    expect(evaluation.mockValues).toContain(instances["lappsgrid-proxy"].privateIp);
    expect(evaluation.mockValues).not.toContain("149.165.157.82");
  });
});

describe("a stack that adopts nothing, in a project that holds nothing yet", () => {
  test("declares the network, subnet, router with its gateway on public, and the interface", async () => {
    const text = shippedStackText("iu").replace(/ {4}import:\n( {6}\w+: \S+\n)+/, "");
    // "lab" has no inventory: the offline cloud presumes a project without a network.
    const evaluation = await evaluateProgram("lab", text);
    // What the stack makes says so, so the next run's lookup knows it from a hand-made one.
    expect(resourceNamed(evaluation, "lappsgrid-network").inputs).toEqual({
      name: "lappsgrid-network",
      adminStateUp: true,
      description: "LAPPS Grid private network (managed by Pulumi)",
    });
    const subnet = resourceNamed(evaluation, "lappsgrid-subnet");
    expect(subnet.inputs).toEqual({
      name: "lappsgrid-subnet",
      networkId: resourceNamed(evaluation, "lappsgrid-network").id,
      cidr: "10.0.0.0/24",
      ipVersion: 4,
      dnsNameservers: ["8.8.8.8", "8.8.4.4"],
      description: "LAPPS Grid instances' subnet (managed by Pulumi)",
    });
    const router = resourceNamed(evaluation, "lappsgrid-router");
    expect(router.inputs.name).toBe("lappsgrid-router");
    expect(router.inputs.description).toBe("LAPPS Grid router (managed by Pulumi)");
    // The gateway network is looked up by name: the offline cloud's ID for "public", written out
    // (a UUID from sha256("network::public")), so a lookup of any other network fails here.
    expect(router.inputs.externalNetworkId).toBe("2d3baaa0-f12a-403e-aea5-bb5593e74584");
    expect(evaluation.mockValues).toContain("2d3baaa0-f12a-403e-aea5-bb5593e74584");
    expect(resourceNamed(evaluation, "lappsgrid-router-interface").inputs).toEqual({
      routerId: router.id,
      subnetId: subnet.id,
    });
  });
});

describe("the TACC stack", () => {
  test("reuses the project's one router: only the interface is created, on the looked-up router", async () => {
    const evaluation = await evaluateProgram("tacc");
    expect(evaluation.resources.some((r) => r.type === "openstack:networking/router:Router")).toBe(false);
    const routerInterface = resourceNamed(evaluation, "lappsgrid-router-interface");
    expect(routerInterface.inputs.routerId).toBe(evaluation.outputs.routerId);
    // The web UI's auto_allocated_router, as inventory/tacc.yaml records it.
    expect(evaluation.outputs.routerId).toBe("00000000-0000-4000-8000-000000000220");
    expect(resourceNamed(evaluation, "lappsgrid-worker-server").inputs.flavorName).toBe("m3.medium");
    // The IU proxy comes over the internet to a TACC target: the service port is open to it.
    expect(resourceNamed(evaluation, "lappsgrid-rule-tcp-8080-from-149-165-157-82-32").inputs).toMatchObject({
      protocol: "tcp",
      portRangeMin: 8080,
      portRangeMax: 8080,
      remoteIpPrefix: "149.165.157.82/32",
    });
    expect(evaluation.outputs.suPerHour).toBe(8);
  });
});

describe("the IU stack's proxy wiring", () => {
  test("the proxy host boots with the proxy bootstrap, and the site command reaches it on its public address", async () => {
    const evaluation = await evaluateProgram("iu");
    const { renderProxyHostUserData } = await import("../../components/proxy");
    expect(resourceNamed(evaluation, "lappsgrid-proxy-server").inputs.userData).toBe(
      renderProxyHostUserData(),
    );
    const site = resourceNamed(evaluation, "public-proxy-site");
    expect(site.type).toBe("command:remote:Command");
    // The connection carries the SSH key, so the whole of it is a secret: never shown.
    expect(site.inputs.connection).toBe("[secret]");
    expect(site.inputs.triggers).toEqual([resourceNamed(evaluation, "lappsgrid-proxy-server").id]);
    // The hand-made Galaxy's private address (inventory/iu.yaml), Galaxy's port.
    expect(evaluation.outputs.publicProxy).toEqual({
      domain: "jetstream.lappsgrid.org",
      mode: "online",
      upstream: "10.0.0.12:8080",
    });
    expect(site.inputs.stdin).toContain("10.0.0.12:8080");
  });

  test("a Galaxy the stack built boots without user data, and the proxy forwards to its private address", async () => {
    const evaluation = await evaluateProgram("iu", builtGalaxyStackText(), builtGalaxyInventory());
    expect(resourceNamed(evaluation, "lappsgrid-galaxy-server").inputs.userData).toBeUndefined();
    const instances = evaluation.outputs.instances as Record<string, { privateIp: string }>;
    expect(evaluation.outputs.publicProxy).toEqual({
      domain: "jetstream.lappsgrid.org",
      mode: "online",
      upstream: `${instances["lappsgrid-galaxy"].privateIp}:8080`,
    });
    expect(resourceNamed(evaluation, "public-proxy-site").inputs.stdin).toContain(
      `${instances["lappsgrid-galaxy"].privateIp}:8080`,
    );
  });
});

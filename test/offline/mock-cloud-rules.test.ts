import { InventoryError, parseInventory } from "../../cli/offline/inventory";
import { MockCloud } from "../../cli/offline/mock-cloud";

const INVENTORY = parseInventory(
  `
cloud: IU
quotas: { routers: 1 }
flavors: [{ name: m3.tiny, vcpus: 1, ramGb: 3 }]
images:
  - { name: Featured-Ubuntu24, id: img-old, createdAt: "2026-11-16T04:00:00Z" }
  - { name: Featured-Ubuntu24, id: img-new, createdAt: "2026-11-23T04:00:00Z" }
externalNetworks: [{ name: public, id: ext-1 }]
keypairs: [{ name: lappsgrid-shared-key }]
networks: [{ name: lappsgrid-network, id: net-1 }]
subnets: [{ name: "", id: sub-1, networkId: net-1, cidr: 10.0.0.0/24 }]
routers:
  - { name: auto_allocated_router, id: rtr-1, interfaces: [{ portId: port-1, subnetId: sub-9, cidr: 10.0.0.0/16 }] }
securityGroups:
  - name: lappsgrid-secgroup
    id: sg-1
    rules: [{ id: rule-1, protocol: tcp, portMin: 22, portMax: 22, remoteIpPrefix: 0.0.0.0/0 }]
floatingIps: [{ address: 149.165.157.82, id: fip-1, description: "proxy address" }]
servers:
  - name: lappsgrid-galaxy
    id: srv-1
    status: ACTIVE
    flavor: m3.large
    addresses: { lappsgrid-network: [10.0.0.12, 149.165.157.90] }
  - name: lappsgrid-worker
    id: srv-2
    status: ACTIVE
    flavor: m3.tiny
    metadata: { lappsgrid-role: service, lappsgrid-size: tiny }
`,
  "inventory/iu.yaml",
);

function cloud(): MockCloud {
  return new MockCloud("10.0.0.0/24", () => ({}), INVENTORY);
}

function lookupError(token: string, inputs: Record<string, unknown>): string {
  try {
    cloud().call(token, inputs);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${token} to fail`);
}

function refusal(type: string, name: string, inputs: Record<string, unknown>, id?: string): string {
  try {
    cloud().newResource({ type, name, inputs, id });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${name} to be refused`);
}

describe("the offline cloud answers lookups from the inventory, in the provider's words", () => {
  test("an image name shared by two images resolves to the most recent with mostRecent", () => {
    expect(
      cloud().call("openstack:images/getImage:getImage", { name: "Featured-Ubuntu24", mostRecent: true }).id,
    ).toBe("img-new");
  });

  test("an image name shared by two images without mostRecent is refused", () => {
    expect(lookupError("openstack:images/getImage:getImage", { name: "Featured-Ubuntu24" })).toBe(
      "invoking openstack:images/getImage:getImage: Your query returned more than one result. Please try a more specific search criteria, or set `most_recent` attribute to true.",
    );
  });

  test.each([
    [
      "openstack:images/getImage:getImage",
      { name: "Featured-Debian12", mostRecent: true },
      "Your query returned no results. Please change your search criteria and try again.",
    ],
    [
      "openstack:networking/getNetwork:getNetwork",
      { name: "public2", external: true },
      "Your query returned no results. Please change your search criteria and try again.",
    ],
    [
      "openstack:compute/getKeypair:getKeypair",
      { name: "ops-key" },
      "Error retrieving openstack_compute_keypair_v2 ops-key: Resource not found: Keypair ops-key not found for user",
    ],
    ["openstack:networking/getRouter:getRouter", { name: "lappsgrid-router" }, "No Router found"],
    [
      "openstack:networking/getSecGroup:getSecGroup",
      { name: "other-group" },
      "No Security Group found with name: other-group",
    ],
  ])("%s %j: unknown name", (token, inputs, words) => {
    expect(lookupError(token, inputs)).toBe(`invoking ${token}: ${words}`);
  });

  test("an external network lookup never finds a project network of that name", () => {
    expect(
      lookupError("openstack:networking/getNetwork:getNetwork", {
        name: "lappsgrid-network",
        external: true,
      }),
    ).toMatch(/no results/);
    expect(cloud().call("openstack:networking/getNetwork:getNetwork", { name: "lappsgrid-network" }).id).toBe(
      "net-1",
    );
  });
});

describe("the offline cloud refuses what Jetstream2 refuses, naming resource, reason and fix", () => {
  test("a flavor the cloud does not have", () => {
    expect(
      refusal("openstack:compute/instance:Instance", "lappsgrid-galaxy-server", { flavorName: "m3.huge" }),
    ).toBe(
      "lappsgrid-galaxy-server: Unable to find flavor with name m3.huge on IU; fix: under sizes, a flavor the cloud has (m3.tiny)",
    );
  });

  test("a second router where the quota is one", () => {
    expect(
      refusal("openstack:networking/router:Router", "lappsgrid-router", { name: "lappsgrid-router" }),
    ).toBe(
      "lappsgrid-router: Quota exceeded for resources: ['router']. IU allows 1 router(s) per project and has auto_allocated_router (rtr-1); fix: reuse it with network.existingRouter: auto_allocated_router, or adopt it with network.import.router: rtr-1",
    );
  });

  test("an interface whose subnet overlaps one already on the router", () => {
    const mock = cloud();
    mock.newResource({
      type: "openstack:networking/subnet:Subnet",
      name: "lappsgrid-subnet",
      inputs: { cidr: "10.0.0.0/24" },
      id: "sub-new",
    });
    expect(() =>
      mock.newResource({
        type: "openstack:networking/routerInterface:RouterInterface",
        name: "lappsgrid-router-interface",
        inputs: { routerId: "rtr-1", subnetId: "sub-new" },
      }),
    ).toThrow(
      "lappsgrid-router-interface: Bad router request: Cidr 10.0.0.0/24 of subnet sub-new overlaps with cidr 10.0.0.0/16 of subnet sub-9. fix: network.cidr: a range that does not overlap 10.0.0.0/16 on router auto_allocated_router",
    );
  });

  test("an import of a rule whose description differs from the hand-made rule's", () => {
    expect(
      refusal(
        "openstack:networking/secGroupRule:SecGroupRule",
        "lappsgrid-rule-tcp-22-from-0-0-0-0-0",
        { description: "tcp-22-from-0-0-0-0-0" },
        "rule-1",
      ),
    ).toBe(
      'lappsgrid-rule-tcp-22-from-0-0-0-0-0: inputs to import do not match the existing resource: description is "" in the cloud, the program sends "tcp-22-from-0-0-0-0-0"; fix: state it in the stack file exactly as the cloud has it (an empty one: description: "")',
    );
  });

  test("an import of a floating IP that leaves out its description", () => {
    expect(
      refusal(
        "openstack:networking/floatingIp:FloatingIp",
        "lappsgrid-proxy-floating-ip",
        { pool: "public" },
        "fip-1",
      ),
    ).toBe(
      'lappsgrid-proxy-floating-ip: inputs to import do not match the existing resource: description is "proxy address" in the cloud, the program sends ""; fix: state it in the stack file exactly as the cloud has it (an empty one: description: "")',
    );
  });

  test("an import whose description matches is accepted with its own ID", () => {
    expect(
      cloud().newResource({
        type: "openstack:networking/secGroupRule:SecGroupRule",
        name: "lappsgrid-rule-tcp-22-from-0-0-0-0-0",
        inputs: { description: "" },
        id: "rule-1",
      }).id,
    ).toBe("rule-1");
  });
});

describe("the offline cloud refuses a second server of a name the project has", () => {
  /** The stack file's key of each server name, as the evaluation hands them to the offline cloud. */
  const keys = new Map([
    ["lappsgrid-galaxy", "galaxy"],
    ["lappsgrid-worker", "lappsgrid-worker"],
  ]);
  const server = (name: string) =>
    new MockCloud("10.0.0.0/24", () => ({}), INVENTORY, keys).newResource({
      type: "openstack:compute/instance:Instance",
      name: `${name}-server`,
      inputs: { name, flavorName: "m3.tiny" },
    });

  test("a hand-made server of that name: refused with the stack key, the server's ID and the fix", () => {
    expect(() => server("lappsgrid-galaxy")).toThrow(
      'instances.galaxy: a server named lappsgrid-galaxy already exists in this project (srv-1: ACTIVE, m3.large, private address 10.0.0.12) and this stack did not make it; nova allows two servers of one name, so `pulumi up` would build a second one next to it, and a server cannot be adopted (README, "First-time setup"); ' +
        "fix: leave instances.galaxy out of the stack file (the server keeps running, unmanaged; proxy.target can name its private address 10.0.0.12), " +
        "or rename the old one first if the stack's is to replace it (`openstack server set --name lappsgrid-galaxy-old lappsgrid-galaxy`), or give the stack's another name",
    );
  });

  test("a server this stack made (it carries lappsgrid-role metadata) is the stack's own, not refused", () => {
    expect(server("lappsgrid-worker").id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a name no server has is created", () => {
    expect(server("lappsgrid-new").id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("a bad inventory fails with one line naming the file, the key and the problem", () => {
  test.each([
    [
      "a flavor with a vCPU count that is no number",
      "cloud: IU\nquotas: { routers: 1 }\nflavors: [{ name: m3.tiny, vcpus: many, ramGb: 3 }]\nimages: []\nexternalNetworks: []\nkeypairs: []\n",
      'flavors.0.vcpus: "many" is not allowed; allowed: a number',
    ],
    [
      "a misspelt top-level key",
      "cloud: IU\nquotas: { routers: 1 }\nflavors: []\nimages: []\nexternalNetworks: []\nkeypairs: []\nnetwork: []\n",
      "network: unknown key; allowed keys: cloud, quotas, flavors, images, externalNetworks, keypairs, networks, subnets, routers, securityGroups, floatingIps, servers",
    ],
  ])("%s", (_what, text, problem) => {
    expect(() => parseInventory(text, "inventory/iu.yaml")).toThrow(InventoryError);
    expect(() => parseInventory(text, "inventory/iu.yaml")).toThrow(
      `inventory/iu.yaml: ${problem}; fix the file or refresh it from the cloud (README, "The inventory")`,
    );
  });
});

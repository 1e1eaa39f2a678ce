import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runJetstream } from "../helpers/cli";
import { NO_ACME_CONTACT_WARNING, PROJECT_DIR } from "../helpers/program";

/** A temp copy of the project's IU stack and inventory, with edits applied to either. */
function iuProject(editStack: (text: string) => string, editInventory: (text: string) => string = (t) => t) {
  const dir = mkdtempSync(join(tmpdir(), "inventory-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  mkdirSync(join(dir, "inventory"));
  const stack = readFileSync(join(PROJECT_DIR, "Pulumi.iu.yaml"), "utf8");
  const inventory = readFileSync(join(PROJECT_DIR, "inventory", "iu.yaml"), "utf8");
  writeFileSync(join(dir, "Pulumi.iu.yaml"), editStack(stack));
  writeFileSync(join(dir, "inventory", "iu.yaml"), editInventory(inventory));
  return dir;
}

/** The IU stack as it shipped before adoption: no import IDs. */
function withoutNetworkImports(text: string): string {
  return text.replace(/ {4}import:\n( {6}\w+: \S+\n)+/, "");
}

describe("jetstream plan refuses what the IU project would refuse", () => {
  test("a stack that would create lappsgrid-network next to the hand-made one says which import to add", () => {
    const dir = iuProject(withoutNetworkImports);
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "network.name: a network named lappsgrid-network already exists in this project (00000000-0000-4000-8000-000000000120); adopt it: add network.import.network: 00000000-0000-4000-8000-000000000120 (with its subnet, router and interface) to the stack file, or choose another network.name",
    );
  });

  test("a stack that would create a second security group named lappsgrid-secgroup says which importId to add", () => {
    const dir = iuProject((text) =>
      text
        .replace(/ {4}importId: 00000000-0000-4000-8000-000000000130\n/, "")
        .replace(/, importId: [0-9a-f-]+ }/g, " }"),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "securityGroup.name: a security group named lappsgrid-secgroup already exists in this project (00000000-0000-4000-8000-000000000130); adopt it: add securityGroup.importId: 00000000-0000-4000-8000-000000000130 and its rules (each with its importId) to the stack file, or choose another securityGroup.name",
    );
  });

  test("an adopted network whose subnet is not adopted says which subnet import to add", () => {
    const dir = iuProject((text) =>
      text.replace(/ {6}router: \S+\n {6}routerInterface: \S+\n/, "").replace(/ {6}subnet: \S+\n/, ""),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "network.import.subnet: network 00000000-0000-4000-8000-000000000120 already has subnet 00000000-0000-4000-8000-000000000121 with cidr 10.0.0.0/24; adopt it: add network.import.subnet: 00000000-0000-4000-8000-000000000121 to the stack file",
    );
  });

  test("a router named like the hand-made one says to adopt or reuse it", () => {
    const dir = iuProject((text) => text.replace(/ {6}router: \S+\n {6}routerInterface: \S+\n/, ""));
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "network.routerName: a router named lappsgrid-router already exists in this project (00000000-0000-4000-8000-000000000122); adopt it: add network.import.router: 00000000-0000-4000-8000-000000000122 to the stack file, or reuse it with network.existingRouter: lappsgrid-router",
    );
  });

  test("a second router under another name is refused by the project's quota of one", () => {
    const dir = iuProject((text) =>
      text
        .replace(/ {6}router: \S+\n {6}routerInterface: \S+\n/, "")
        .replace("routerName: lappsgrid-router", "routerName: lappsgrid-router-2"),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "lappsgrid-router: Quota exceeded for resources: ['router']. IU allows 1 router(s) per project and has lappsgrid-router (00000000-0000-4000-8000-000000000122); fix: reuse it with network.existingRouter: lappsgrid-router, or adopt it with network.import.router: 00000000-0000-4000-8000-000000000122",
    );
  });

  test("a subnet the stack made on the adopted network is its own on the next run, not a hand-made one", () => {
    const dir = iuProject(
      (text) => text.replace(/ {6}subnet: \S+\n/, "").replace(/ {6}routerInterface: \S+\n/, ""),
      (inventory) =>
        inventory.replace(
          'name: "",',
          `name: "",\n      description: "LAPPS Grid instances' subnet (managed by Pulumi)",`,
        ),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(stderr).not.toContain("network.import.subnet");
    expect(status).toBe(0);
  });

  test("a keypair the credential's user does not have fails before anything is created", () => {
    const dir = iuProject(
      (t) => t,
      (inventory) => inventory.replace("keypairs:\n  - { name: lappsgrid-shared-key }\n", "keypairs: []\n"),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "keypair.name: no keypair lappsgrid-shared-key for this credential's user on this cloud (Error retrieving openstack_compute_keypair_v2 lappsgrid-shared-key: Resource not found: Keypair lappsgrid-shared-key not found for user); keypairs belong to a user: create it as that user with `openstack keypair create --public-key KEY.pub lappsgrid-shared-key`, or set keypair.publicKey",
    );
  });

  test("an image the cloud does not have is refused in the provider's words", () => {
    const dir = iuProject((text) =>
      text
        .replace("docker: Featured-Ubuntu22-Docker", "docker: Featured-Ubuntu20-Docker")
        .replace(
          "  lappsgrid-jetstream:instances:\n",
          "  lappsgrid-jetstream:instances:\n    lappsgrid-tools:\n      image: docker\n",
        ),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toBe(
      "jetstream: instances.lappsgrid-tools.image: no image named Featured-Ubuntu20-Docker on this cloud (the provider: Your query returned no results. Please change your search criteria and try again.); allowed: a name `openstack image list` shows, set for alias docker under images\n",
    );
  });

  test("an external network the cloud does not have is refused in the provider's words", () => {
    const dir = iuProject((text) => text.replace("externalNetwork: public", "externalNetwork: public2"));
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toBe(
      "jetstream: network.externalNetwork: no external network named public2 on this cloud (the provider: Your query returned no results. Please change your search criteria and try again.); allowed: a name `openstack network list --external` shows (public on Jetstream2)\n",
    );
  });

  test("a flavor the cloud does not have names the server, the flavor and the ones there are", () => {
    const dir = iuProject(
      (text) => `${text}\n  lappsgrid-jetstream:sizes:\n    tiny: { flavor: m3.huge, vcpus: 1 }\n`,
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "lappsgrid-proxy-server: Unable to find flavor with name m3.huge on IU; fix: under sizes, a flavor the cloud has (m3.tiny, m3.small, m3.quad, m3.medium, m3.large, m3.xl, m3.2xl, g3.small, g3.medium, g3.large, g3.xl)",
    );
  });

  test("a bad inventory stops the plan with one line naming the file and the key", () => {
    const dir = iuProject(
      (t) => t,
      (inventory) => inventory.replace("routers: 1", "routers: one"),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toBe(
      'jetstream: inventory/iu.yaml: quotas.routers: "one" is not allowed; allowed: a number; fix the file or refresh it from the cloud (README, "The inventory")\n',
    );
  });
});

describe("the shipped IU stack adopts what the inventory says exists", () => {
  test("plan succeeds, imports the hand-made network by ID and boots the newest Featured-Ubuntu24 by ID", () => {
    const { status, stdout } = runJetstream(["plan", "--stack", "iu", "--json"]);
    expect(status).toBe(0);
    const plan = JSON.parse(stdout) as {
      resources: { name: string; importId?: string; inputs: Record<string, unknown> }[];
    };
    const named = (name: string) => plan.resources.find((r) => r.name === name);
    expect(named("lappsgrid-network")?.importId).toBe("00000000-0000-4000-8000-000000000120");
    expect(named("lappsgrid-router")?.importId).toBe("00000000-0000-4000-8000-000000000122");
    expect(named("lappsgrid-security-group")?.importId).toBe("00000000-0000-4000-8000-000000000130");
    expect(named("lappsgrid-proxy-server")?.inputs.imageId).toBe("00000000-0000-4000-8000-000000000102");
  });
});

/** The Galaxy of the shipped stack before it learned that one runs already, by hand. */
function withGalaxy(text: string): string {
  return text.replace(
    "  lappsgrid-jetstream:instances:\n",
    "  lappsgrid-jetstream:instances:\n    lappsgrid-galaxy:\n      size: large\n      image: docker\n      ip: assign\n",
  );
}

const GALAXY_REFUSED =
  "instances.lappsgrid-galaxy: a server named lappsgrid-galaxy already exists in this project (00000000-0000-4000-8000-000000000150: ACTIVE, m3.large, private address 10.0.0.12) and this stack did not make it; " +
  'nova allows two servers of one name, so `pulumi up` would build a second one next to it, and a server cannot be adopted (README, "First-time setup"); ' +
  "fix: leave instances.lappsgrid-galaxy out of the stack file (the server keeps running, unmanaged; proxy.target can name its private address 10.0.0.12), " +
  "or rename the old one first if the stack's is to replace it (`openstack server set --name lappsgrid-galaxy-old lappsgrid-galaxy`), or give the stack's another name";

describe("jetstream plan refuses a second server of a name a hand-made server has", () => {
  test("a stack declaring lappsgrid-galaxy next to the hand-made Galaxy names the key, its ID and the fix", () => {
    const dir = iuProject(withGalaxy);
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(GALAXY_REFUSED);
  });

  test("the stack's new proxy is refused while the old proxy still has its hand-made name", () => {
    const dir = iuProject(
      (t) => t,
      (inventory) => inventory.replace("name: lappsgrid-proxy-old", "name: lappsgrid-proxy"),
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "instances.lappsgrid-proxy: a server named lappsgrid-proxy already exists in this project (00000000-0000-4000-8000-000000000151: ACTIVE, m3.tiny, private address 10.0.0.5) and this stack did not make it;",
    );
    expect(stderr).toContain(
      "or rename the old one first if the stack's is to replace it (`openstack server set --name lappsgrid-proxy-old lappsgrid-proxy`)",
    );
  });

  test("a server the stack made on an earlier up (its lappsgrid-role metadata) plans as its own", () => {
    const dir = iuProject(
      (t) => t,
      (inventory) =>
        `${inventory}  - name: lappsgrid-proxy\n    id: 00000000-0000-4000-8000-000000000159\n    status: ACTIVE\n    flavor: m3.tiny\n    metadata: { lappsgrid-role: proxy, lappsgrid-size: tiny }\n`,
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "iu"], { cwd: dir });
    expect(stderr).toBe(NO_ACME_CONTACT_WARNING);
    expect(status).toBe(0);
  });
});

describe("jetstream diff reports the same refusals", () => {
  test("an edit that declares lappsgrid-galaxy next to the hand-made one fails the diff with the key, ID and fix", () => {
    const dir = iuProject((t) => t);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.org", ...args], {
        cwd: dir,
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "iu leaves the hand-made Galaxy out");
    writeFileSync(join(dir, "Pulumi.iu.yaml"), withGalaxy(readFileSync(join(dir, "Pulumi.iu.yaml"), "utf8")));
    const { status, stderr } = runJetstream(["diff", "--stack", "iu", "--dir", dir]);
    expect(status).toBe(1);
    expect(stderr).toContain(GALAXY_REFUSED);
  });

  test("an edit that drops the network's adoption fails the diff with the key and ID to add", () => {
    const dir = iuProject((t) => t);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.org", ...args], {
        cwd: dir,
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "iu adopts the hand-made network");
    writeFileSync(
      join(dir, "Pulumi.iu.yaml"),
      withoutNetworkImports(readFileSync(join(dir, "Pulumi.iu.yaml"), "utf8")),
    );
    const { status, stderr } = runJetstream(["diff", "--stack", "iu", "--dir", dir]);
    expect(status).toBe(1);
    expect(stderr).toContain(
      "network.name: a network named lappsgrid-network already exists in this project (00000000-0000-4000-8000-000000000120); adopt it: add network.import.network: 00000000-0000-4000-8000-000000000120",
    );
  });
});

/** The TACC project after a first `pulumi up` made the stack's network, subnet and group. */
const TACC_AFTER_FIRST_UP = (mark: string) => `
networks:
  - { name: lappsgrid-network, id: 00000000-0000-4000-8000-000000000230, description: "LAPPS Grid private network${mark}" }
subnets:
  - { name: lappsgrid-subnet, id: 00000000-0000-4000-8000-000000000231, networkId: 00000000-0000-4000-8000-000000000230, cidr: 10.0.0.0/24, description: "LAPPS Grid instances' subnet${mark}" }
securityGroups:
  - { name: lappsgrid-secgroup, id: 00000000-0000-4000-8000-000000000232, description: "LAPPS Grid instances${mark}" }
`;

function taccProject(inventoryTail: string, routerInterfaces: string): string {
  const dir = mkdtempSync(join(tmpdir(), "inventory-tacc-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.tacc.yaml"), join(dir, "Pulumi.tacc.yaml"));
  mkdirSync(join(dir, "inventory"));
  const inventory = readFileSync(join(PROJECT_DIR, "inventory", "tacc.yaml"), "utf8").replace(
    "  - { name: auto_allocated_router, id: 00000000-0000-4000-8000-000000000220 }\n",
    `  - { name: auto_allocated_router, id: 00000000-0000-4000-8000-000000000220, interfaces: [${routerInterfaces}] }\n`,
  );
  writeFileSync(join(dir, "inventory", "tacc.yaml"), inventory + inventoryTail);
  return dir;
}

describe("the stack's own objects are not taken for hand-made ones on the next run", () => {
  const ourSubnetOnRouter =
    "{ portId: 00000000-0000-4000-8000-000000000233, subnetId: 00000000-0000-4000-8000-000000000231, cidr: 10.0.0.0/24 }";

  test("a network, subnet and group carrying the stack's mark plan without refusal", () => {
    const dir = taccProject(TACC_AFTER_FIRST_UP(" (managed by Pulumi)"), ourSubnetOnRouter);
    const { status, stderr } = runJetstream(["plan", "--stack", "tacc"], { cwd: dir });
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  test("the same names without the mark are refused", () => {
    const dir = taccProject(TACC_AFTER_FIRST_UP(""), ourSubnetOnRouter);
    const { status, stderr } = runJetstream(["plan", "--stack", "tacc"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "network.name: a network named lappsgrid-network already exists in this project (00000000-0000-4000-8000-000000000230)",
    );
  });

  test("a hand-made subnet on auto_allocated_router overlapping network.cidr is refused in neutron's words", () => {
    const dir = taccProject(
      "subnets:\n  - { name: auto_allocated_subnet, id: 00000000-0000-4000-8000-000000000240, networkId: 00000000-0000-4000-8000-000000000241, cidr: 10.0.0.0/16 }\n",
      "{ portId: 00000000-0000-4000-8000-000000000242, subnetId: 00000000-0000-4000-8000-000000000240, cidr: 10.0.0.0/16 }",
    );
    const { status, stderr } = runJetstream(["plan", "--stack", "tacc"], { cwd: dir });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /lappsgrid-router-interface: Bad router request: Cidr 10\.0\.0\.0\/24 of subnet [0-9a-f-]+ overlaps with cidr 10\.0\.0\.0\/16 of subnet 00000000-0000-4000-8000-000000000240\. fix: network\.cidr: a range that does not overlap 10\.0\.0\.0\/16 on router auto_allocated_router/,
    );
  });
});

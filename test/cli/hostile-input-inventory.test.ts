/**
 * A stack file that disagrees with what its inventory records of the project: a size whose
 * vCPUs are not its flavor's (the SU estimates count the size's), an address to attach that the
 * project does not hold (neutron refuses it on `pulumi up`). `plan` refuses both with exit 1, and
 * so does a verb whose edit would write one, leaving every file byte-identical.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { problemsIn } from "../helpers/config";
import { PROJECT_DIR } from "../helpers/program";
import { runVerb } from "./support";

jest.setTimeout(120_000);

/** A temp copy of the project's stacks and inventories, one stack file edited. */
function project(stack: "iu" | "tacc", edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "inventory-consistency-"));
  mkdirSync(join(dir, "inventory"));
  for (const file of [
    "Pulumi.yaml",
    "Pulumi.iu.yaml",
    "Pulumi.tacc.yaml",
    "inventory/iu.yaml",
    "inventory/tacc.yaml",
  ]) {
    copyFileSync(join(PROJECT_DIR, file), join(dir, file));
  }
  const file = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return dir;
}

const plan = (dir: string, stack: string) =>
  runVerb(["plan", "--stack", stack, "--dir", dir], { resourceDiff: true });

const problems = (values: Record<string, unknown>) => problemsIn(values);

describe("sizes.<name>.vcpus", () => {
  test.each([
    [1e12, "1000000000000"],
    [0, "0"],
    [-2, "-2"],
    [2.5, "2.5"],
    [257, "257"],
  ])("%s is refused without an inventory, naming the key and the bound", (vcpus, shown) => {
    expect(problems({ sizes: { medium: { flavor: "m3.medium", vcpus } } })).toEqual([
      `sizes.medium.vcpus: ${shown} is not allowed; allowed: an integer from 1 to 256 (the flavor's vCPUs)`,
    ]);
  });

  test.each([
    [
      ".inf",
      "sizes:\n  medium: { flavor: m3.medium, vcpus: .inf }\n",
      "sizes.medium.vcpus: .inf is not allowed; allowed: an integer from 1 to 256 (the flavor's vCPUs)",
    ],
    [
      ".nan",
      "sizes:\n  medium: { flavor: m3.medium, vcpus: .nan }\n",
      "sizes.medium.vcpus: .nan is not allowed; allowed: an integer from 1 to 256 (the flavor's vCPUs)",
    ],
    [
      "-.inf in another bounded number",
      "proxy: { host: 149.165.157.82, mode: offline, healthTries: -.inf }\n",
      "proxy.healthTries: -.inf is not allowed; allowed: an integer from 1 to 120",
    ],
    [
      ".inf as a port",
      "proxy: { host: 149.165.157.82, mode: offline, port: .inf }\n",
      "proxy.port: .inf is not a port; allowed: an integer from 1 to 65535",
    ],
    [
      ".inf where text belongs",
      "instances:\n  worker: { ip: .inf }\n",
      "instances.worker.ip: expected text, got number .inf",
    ],
  ])("YAML's %s is shown as written, not as null", (_case, yaml, message) => {
    expect(problems(parse(yaml))).toEqual([message]);
  });

  test("a size whose vcpus are not its flavor's in the inventory is refused by plan", () => {
    const dir = project(
      "tacc",
      (text) => `${text}  lappsgrid-jetstream:sizes:\n    medium: { flavor: m3.medium, vcpus: 4 }\n`,
    );
    expect(plan(dir, "tacc")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: invalid config in Pulumi.tacc.yaml:\nsizes.medium.vcpus: 4 is not the vCPUs of flavor m3.medium, which has 8 on TACC (inventory/tacc.yaml); allowed: 8 (the SU estimates count the size's vcpus)\n",
    });
  });

  test("so is one no instance uses yet: the next launch --size would use it", () => {
    const dir = project(
      "tacc",
      (text) => `${text}  lappsgrid-jetstream:sizes:\n    large: { flavor: m3.large, vcpus: 64 }\n`,
    );
    expect(plan(dir, "tacc")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: invalid config in Pulumi.tacc.yaml:\nsizes.large.vcpus: 64 is not the vCPUs of flavor m3.large, which has 16 on TACC (inventory/tacc.yaml); allowed: 16 (the SU estimates count the size's vcpus)\n",
    });
  });

  test("a size matching its flavor plans", () => {
    const dir = project(
      "tacc",
      (text) => `${text}  lappsgrid-jetstream:sizes:\n    medium: { flavor: m3.quad, vcpus: 4 }\n`,
    );
    const run = plan(dir, "tacc");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Service units: 4 SU per hour, 96 SU per day.");
  });
});

describe("instances.<name>.ip against the inventory's floating IPs", () => {
  const NOT_HELD =
    'instances.lappsgrid-worker.ip: 149.165.157.99 is not among the floating IPs inventory/iu.yaml records for this project (149.165.157.82); neutron refuses to attach an address the project does not hold; allowed: one of those, or assign; fix: allocate it (`openstack floating ip create --floating-ip-address 149.165.157.99 public`) or, if the project holds it, record it and import the inventory again (README, "The inventory")';

  test("plan refuses an address the project does not hold", () => {
    const dir = project("iu", (text) =>
      text.replace(
        "  # jetstream.lappsgrid.org:",
        "    lappsgrid-worker:\n      ip: 149.165.157.99\n\n  # jetstream.lappsgrid.org:",
      ),
    );
    expect(plan(dir, "iu")).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: invalid config in Pulumi.iu.yaml:\n${NOT_HELD}\n`,
    });
  });

  test("launch --ip with such an address is refused and changes no file", () => {
    const dir = project("iu", (text) => text);
    const before = readFileSync(join(dir, "Pulumi.iu.yaml"), "utf8");
    const run = runVerb(["launch", "worker", "--ip", "149.165.157.99", "--stack", "iu", "--dir", dir], {
      resourceDiff: true,
    });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ${NOT_HELD}\n`,
    });
    expect(readFileSync(join(dir, "Pulumi.iu.yaml"), "utf8")).toBe(before);
  });

  test("a stack file already holding such an address can still be edited to drop it", () => {
    const dir = project("iu", (text) =>
      text.replace(
        "  # jetstream.lappsgrid.org:",
        "    lappsgrid-worker:\n      ip: 149.165.157.99\n\n  # jetstream.lappsgrid.org:",
      ),
    );
    const run = runVerb(["delete", "worker", "--stack", "iu", "--dir", dir], { resourceDiff: true });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, "Pulumi.iu.yaml"), "utf8")).not.toContain("149.165.157.99");
  });

  test("an import ID whose recorded floating IP has another address is refused", () => {
    const dir = project("iu", (text) =>
      text.replace(
        "      ip: 149.165.157.82\n",
        "      ip: 149.165.157.82\n      floatingIpImportId: 00000000-0000-4000-8000-000000000141\n",
      ),
    );
    writeFileSync(
      join(dir, "inventory", "iu.yaml"),
      readFileSync(join(dir, "inventory", "iu.yaml"), "utf8").replace(
        "  - { address: 149.165.157.82, id: 00000000-0000-4000-8000-000000000140 }\n",
        "  - { address: 149.165.157.82, id: 00000000-0000-4000-8000-000000000140 }\n" +
          "  - { address: 149.165.157.83, id: 00000000-0000-4000-8000-000000000141 }\n",
      ),
    );
    expect(plan(dir, "iu")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: invalid config in Pulumi.iu.yaml:\ninstances.lappsgrid-proxy.floatingIpImportId: 00000000-0000-4000-8000-000000000141 is the floating IP 149.165.157.83 in inventory/iu.yaml, not ip 149.165.157.82; allowed: the ID of 149.165.157.82 (00000000-0000-4000-8000-000000000140)\n",
    });
  });

  test("without floating IPs in the inventory an address is not judged (TACC records none)", () => {
    const dir = project("tacc", (text) => text.replace("ip: assign", "ip: 129.114.1.20"));
    const run = plan(dir, "tacc");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });
});

describe("adoption IDs against the inventory", () => {
  test("a network import ID the inventory does not record is refused, naming what it records", () => {
    const dir = project("iu", (text) =>
      text.replace("network: 00000000-0000-4000-8000-000000000120", "network: nope"),
    );
    expect(plan(dir, "iu")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: invalid config in Pulumi.iu.yaml:\nnetwork.import.network: nope is not a network inventory/iu.yaml records; it records lappsgrid-network as 00000000-0000-4000-8000-000000000120; allowed: that ID, or leave the key out to create one; fix: copy the ID from the inventory, or import the inventory again (README, "The inventory")\n',
    });
  });

  test("a subnet, router, interface or group ID of another kind is refused", () => {
    const dir = project("iu", (text) =>
      text
        .replace(
          "subnet: 00000000-0000-4000-8000-000000000121",
          "subnet: 00000000-0000-4000-8000-000000000120",
        )
        .replace(
          "router: 00000000-0000-4000-8000-000000000122",
          "router: 00000000-0000-4000-8000-000000000999",
        )
        .replace(
          "routerInterface: 00000000-0000-4000-8000-000000000123",
          "routerInterface: 00000000-0000-4000-8000-000000000121",
        )
        .replace(
          "importId: 00000000-0000-4000-8000-000000000130",
          "importId: 00000000-0000-4000-8000-000000000131",
        ),
    );
    const fix =
      'fix: copy the ID from the inventory, or import the inventory again (README, "The inventory")';
    expect(plan(dir, "iu")).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: invalid config in Pulumi.iu.yaml:\n${[
        `network.import.subnet: 00000000-0000-4000-8000-000000000120 is not a subnet inventory/iu.yaml records; it records (no name) as 00000000-0000-4000-8000-000000000121; allowed: that ID, or leave the key out to create one; ${fix}`,
        `network.import.router: 00000000-0000-4000-8000-000000000999 is not a router inventory/iu.yaml records; it records lappsgrid-router as 00000000-0000-4000-8000-000000000122; allowed: that ID, or leave the key out to create one; ${fix}`,
        `network.import.routerInterface: 00000000-0000-4000-8000-000000000121 is not a router interface inventory/iu.yaml records; it records lappsgrid-router's interface to 10.0.0.0/24 as 00000000-0000-4000-8000-000000000123; allowed: that ID, or leave the key out to create one; ${fix}`,
        `securityGroup.importId: 00000000-0000-4000-8000-000000000131 is not a security group inventory/iu.yaml records; it records lappsgrid-secgroup as 00000000-0000-4000-8000-000000000130; allowed: that ID, or leave the key out to create one; ${fix}`,
      ].join("\n")}\n`,
    });
  });

  test("a rule importId that is not a rule of the adopted group is refused", () => {
    const dir = project("iu", (text) =>
      text.replace(
        "importId: 00000000-0000-4000-8000-000000000132",
        "importId: 00000000-0000-4000-8000-000000000199",
      ),
    );
    expect(plan(dir, "iu")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: invalid config in Pulumi.iu.yaml:\nsecurityGroup.rules.1.importId: 00000000-0000-4000-8000-000000000199 is not a rule of security group lappsgrid-secgroup in inventory/iu.yaml; it records 5 rules: 00000000-0000-4000-8000-000000000131 (tcp 22 from 0.0.0.0/0), 00000000-0000-4000-8000-000000000132 (tcp 80 from 0.0.0.0/0), 00000000-0000-4000-8000-000000000133 (tcp 443 from 0.0.0.0/0), 00000000-0000-4000-8000-000000000134 (tcp 8080 from 10.0.0.0/24), 00000000-0000-4000-8000-000000000135 (icmp from 10.0.0.0/24); allowed: one of those, or leave importId out to create the rule; fix: copy the ID from the inventory, or import the inventory again (README, "The inventory")\n',
    });
  });

  test("two rules adopting one ID are refused, with or without an inventory", () => {
    const rule = (ports: number) => ({
      protocol: "tcp",
      ports,
      from: "0.0.0.0/0",
      importId: "00000000-0000-4000-8000-000000000131",
    });
    expect(
      problems({
        securityGroup: {
          name: "g",
          importId: "00000000-0000-4000-8000-000000000130",
          rules: [rule(22), rule(80)],
        },
      }),
    ).toEqual([
      "securityGroup.rules.1.importId: 00000000-0000-4000-8000-000000000131 is also the importId of securityGroup.rules.0; one rule in the cloud is adopted once; allowed: the ID of another rule of the group, or leave importId out to create the rule",
    ]);
  });
});

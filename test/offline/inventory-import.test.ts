import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseInventory } from "../../cli/offline/inventory";
import { inventoryFromOpenstackJson } from "../../cli/offline/inventory-import";
import { runJetstream } from "../helpers/cli";
import { PROJECT_DIR } from "../helpers/program";

const RECORDED = join(PROJECT_DIR, "test", "fixtures", "inventory", "iu");

/** A project folder with the IU stack file: the verb writes the inventory of a stack that exists. */
function iuProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "inventory-project-"));
  for (const file of ["Pulumi.yaml", "Pulumi.iu.yaml"])
    copyFileSync(join(PROJECT_DIR, file), join(dir, file));
  return dir;
}

describe("jetstream inventory import reads the openstack CLI's JSON output", () => {
  test("every kind of object is recorded with the fields plan checks", () => {
    expect(inventoryFromOpenstackJson(RECORDED, "IU")).toEqual({
      cloud: "IU",
      quotas: { routers: 1 },
      flavors: [
        { name: "m3.tiny", vcpus: 1, ramGb: 3 },
        { name: "m3.quad", vcpus: 4, ramGb: 15 },
        { name: "m3.medium", vcpus: 8, ramGb: 30 },
      ],
      images: [
        {
          name: "Featured-Ubuntu24",
          id: "00000000-0000-4000-8000-000000000101",
          createdAt: "2026-11-16T04:00:00Z",
        },
        {
          name: "Featured-Ubuntu24",
          id: "00000000-0000-4000-8000-000000000102",
          createdAt: "2026-11-23T04:00:00Z",
        },
      ],
      externalNetworks: [{ name: "public", id: "00000000-0000-4000-8000-000000000110" }],
      keypairs: [{ name: "lappsgrid-shared-key" }],
      networks: [
        { name: "lappsgrid-network", id: "00000000-0000-4000-8000-000000000120", description: "", tags: [] },
      ],
      subnets: [
        {
          name: "",
          id: "00000000-0000-4000-8000-000000000121",
          networkId: "00000000-0000-4000-8000-000000000120",
          cidr: "10.0.0.0/24",
          description: "",
          tags: [],
        },
      ],
      routers: [
        {
          name: "lappsgrid-router",
          id: "00000000-0000-4000-8000-000000000122",
          description: "",
          tags: [],
          interfaces: [
            {
              portId: "00000000-0000-4000-8000-000000000123",
              subnetId: "00000000-0000-4000-8000-000000000121",
              cidr: "10.0.0.0/24",
            },
          ],
        },
      ],
      securityGroups: [
        {
          name: "lappsgrid-secgroup",
          id: "00000000-0000-4000-8000-000000000130",
          description: "lappsgrid-secgroup",
          tags: [],
          rules: [
            {
              id: "00000000-0000-4000-8000-000000000131",
              description: "",
              protocol: "tcp",
              portMin: 22,
              portMax: 22,
              remoteIpPrefix: "0.0.0.0/0",
            },
            {
              id: "00000000-0000-4000-8000-000000000135",
              description: "",
              protocol: "icmp",
              remoteIpPrefix: "10.0.0.0/24",
            },
          ],
        },
      ],
      floatingIps: [
        { address: "149.165.157.82", id: "00000000-0000-4000-8000-000000000140", description: "", tags: [] },
      ],
      servers: [
        {
          name: "lappsgrid-galaxy",
          id: "00000000-0000-4000-8000-000000000150",
          status: "ACTIVE",
          flavor: "m3.large",
          imageId: "00000000-0000-4000-8000-000000000105",
          addresses: { "lappsgrid-network": ["10.0.0.12", "149.165.157.90"] },
          metadata: {},
        },
        {
          name: "lappsgrid-proxy",
          id: "00000000-0000-4000-8000-000000000151",
          status: "SHUTOFF",
          flavor: "m3.tiny",
          imageId: "",
          addresses: { "lappsgrid-network": ["10.0.0.5", "149.165.157.82"] },
          metadata: {},
        },
        {
          name: "lappsgrid-worker",
          id: "00000000-0000-4000-8000-000000000152",
          status: "ACTIVE",
          flavor: "m3.medium",
          imageId: "00000000-0000-4000-8000-000000000102",
          addresses: { "lappsgrid-network": ["10.0.0.20"] },
          metadata: { "lappsgrid-role": "service", "lappsgrid-size": "medium" },
        },
      ],
    });
  });

  test("a server listing that is not a JSON list names the file and the command", () => {
    const dir = mkdtempSync(join(tmpdir(), "inventory-bad-servers-"));
    cpSync(RECORDED, dir, { recursive: true });
    writeFileSync(join(dir, "servers.json"), '{"ID": "x"}');
    expect(() => inventoryFromOpenstackJson(dir, "IU")).toThrow(
      "servers.json: expected the JSON list a `list -f json` command prints",
    );
  });

  test("a server without an ID fails the schema, naming the server's key", () => {
    const dir = mkdtempSync(join(tmpdir(), "inventory-server-no-id-"));
    cpSync(RECORDED, dir, { recursive: true });
    writeFileSync(
      join(dir, "servers.json"),
      '[{"Name": "lappsgrid-galaxy", "Status": "ACTIVE", "Flavor Name": "m3.large"}]',
    );
    expect(() => inventoryFromOpenstackJson(dir, "IU")).toThrow(
      `inventory built from ${dir}: servers.0.id: an OpenStack ID must not be empty; fix the file or refresh it from the cloud (README, "The inventory")`,
    );
  });

  test("the verb writes inventory/<stack>.yaml in the schema of a committed inventory", () => {
    const dir = iuProject();
    const { status, stdout, stderr } = runJetstream(
      ["inventory", "import", "--stack", "iu", "--from", RECORDED, "--dir", dir],
      { cwd: dir },
    );
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toBe(
      "Wrote inventory/iu.yaml: 3 flavors, 2 images, 1 networks, 1 subnets, 1 routers, 1 security groups, 1 floating IPs, 3 servers, keypairs: lappsgrid-shared-key.\n" +
        "Review it (git diff inventory/iu.yaml), then run `jetstream plan --stack iu`.\n",
    );
    const written = parseInventory(
      readFileSync(join(dir, "inventory", "iu.yaml"), "utf8"),
      "inventory/iu.yaml",
    );
    expect(written.cloud).toBe("IU");
    expect(written.routers[0].interfaces[0].cidr).toBe("10.0.0.0/24");
  });

  test("a file that is not the JSON the command prints fails with one line naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "inventory-bad-"));
    cpSync(RECORDED, dir, { recursive: true });
    writeFileSync(join(dir, "keypairs.json"), "+--------+\n| Name   |\n");
    const { status, stderr } = runJetstream([
      "inventory",
      "import",
      "--stack",
      "iu",
      "--from",
      dir,
      "--dir",
      iuProject(),
    ]);
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^jetstream: keypairs\.json: .+; allowed: the output of the openstack command with -f json\n$/,
    );
  });

  test("a missing listing names the file and the command that writes it", () => {
    const dir = mkdtempSync(join(tmpdir(), "inventory-missing-"));
    const { status, stderr } = runJetstream([
      "inventory",
      "import",
      "--stack",
      "iu",
      "--from",
      dir,
      "--dir",
      iuProject(),
    ]);
    expect(status).toBe(1);
    expect(stderr).toBe(
      `jetstream: flavors.json: missing in ${dir}; write it in that folder with \`openstack flavor list -f json > flavors.json\`; README, "The inventory"\n`,
    );
  });
});

describe("inventory import refreshing a file keeps what the operator wrote around the records", () => {
  const GENERATED =
    "# What exists in the project of stack iu, recorded by `jetstream inventory import` from the\n" +
    '# openstack CLI\'s JSON output (README, "The inventory"). Real IDs: refresh, never edit by hand.\n';
  const HEADER =
    "# IU's LAPPS Grid allocation (ask the PI before adding servers).\n#\n# Refreshed monthly.\n\n";

  const importInto = (dir: string) =>
    runJetstream(["inventory", "import", "--stack", "iu", "--from", RECORDED, "--dir", dir], { cwd: dir });
  const inventoryOf = (dir: string) => readFileSync(join(dir, "inventory", "iu.yaml"), "utf8");

  /** What a first import writes: the generated header and the records. */
  function firstImport(): string {
    const dir = iuProject();
    expect(importInto(dir).status).toBe(0);
    const text = inventoryOf(dir);
    expect(text.startsWith(`${GENERATED}cloud: IU\n`)).toBe(true);
    return text;
  }

  function projectWithInventory(text: string): string {
    const dir = iuProject();
    mkdirSync(join(dir, "inventory"));
    writeFileSync(join(dir, "inventory", "iu.yaml"), text);
    return dir;
  }

  test("the comments before the first key are kept, blank line included, and the refresh says so", () => {
    const records = firstImport().slice(GENERATED.length);
    const dir = projectWithInventory(`${HEADER}cloud: IU\nquotas:\n  routers: 1\n`);
    const run = importInto(dir);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout.split("\n")[2]).toBe(
      "Kept the 4 lines before the first key (comments) as they were: check they still say what the file holds.",
    );
    expect(inventoryOf(dir)).toBe(`${HEADER}${records}`);
  });

  test("a CRLF file stays CRLF, header and records", () => {
    const records = firstImport().slice(GENERATED.length);
    const dir = projectWithInventory(`${HEADER}cloud: IU\nquotas:\n  routers: 1\n`.replace(/\n/g, "\r\n"));
    expect(importInto(dir).status).toBe(0);
    expect(inventoryOf(dir)).toBe(`${HEADER}${records}`.replace(/\n/g, "\r\n"));
  });

  test("a file saved with a byte-order mark keeps it, and the header after it", () => {
    const records = firstImport().slice(GENERATED.length);
    const dir = projectWithInventory(`\ufeff${HEADER}cloud: IU\n`);
    expect(importInto(dir).status).toBe(0);
    expect(inventoryOf(dir)).toBe(`\ufeff${HEADER}${records}`);
  });

  test("a file with the generated header is refreshed without a note about it", () => {
    const first = firstImport();
    const dir = projectWithInventory(first);
    const run = importInto(dir);
    expect(run.stdout.split("\n").length).toBe(3);
    expect(inventoryOf(dir)).toBe(first);
  });
});

/**
 * Values zod or a parser would describe in its own words ("Invalid string: must match pattern",
 * "expected record, got null", "Unrecognized key"): each is refused naming the key as written,
 * the value as written and what is allowed.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { InventoryError, parseInventory } from "../../cli/offline/inventory";
import { inventoryFromOpenstackJson } from "../../cli/offline/inventory-import";
import { problemsIn } from "../helpers/config";
import { PROJECT_DIR } from "../helpers/program";
import { runVerb } from "./support";

jest.setTimeout(120_000);

/** A project holding only Pulumi.yaml and a stack "lab" (no inventory) with these config lines. */
function lab(configLines: string): string {
  const dir = mkdtempSync(join(tmpdir(), "config-values-"));
  writeFileSync(join(dir, "Pulumi.yaml"), readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
  writeFileSync(join(dir, "Pulumi.lab.yaml"), `config:\n${configLines}`);
  return dir;
}

const plan = (dir: string) => runVerb(["plan", "--stack", "lab", "--dir", dir]);

const refused = (...problems: string[]) => ({
  code: 1,
  stdout: "",
  stderr: `jetstream: invalid config in Pulumi.lab.yaml:\n${problems.join("\n")}\n`,
});

describe("stack values zod would word", () => {
  test.each([
    ["22-", 'securityGroup.rules.0.ports: "22-" is not a port or range; allowed: 22 or "8000-8100"'],
    ["'22,80'", 'securityGroup.rules.0.ports: "22,80" is not a port or range; allowed: 22 or "8000-8100"'],
  ])("ports: %s", (ports, message) => {
    expect(
      problemsIn(
        parse(`securityGroup:\n  rules:\n    - { protocol: tcp, ports: ${ports}, from: 0.0.0.0/0 }\n`),
      ),
    ).toEqual([message]);
  });

  test.each([
    [
      "instances:\n",
      "instances: written without a value (YAML reads it as null); allowed: leave the key out, or a map of instance names to their settings",
    ],
    [
      "images:\n",
      "images: written without a value (YAML reads it as null); allowed: leave the key out, or a map of image aliases to image names",
    ],
    [
      "images:\n  docker:\n",
      "images.docker: written without a value (YAML reads it as null); allowed: text, or leave the key out",
    ],
    [
      "instances:\n  w: { acceptRebuild: yes }\n",
      'instances.w.acceptRebuild: "yes" is text, not a boolean (YAML 1.2 reads yes, no, on and off as text); allowed: true or false',
    ],
    [
      "instances:\n  w: { acceptRebuild: maybe }\n",
      'instances.w.acceptRebuild: "maybe" is text, not a boolean; allowed: true or false',
    ],
    // Only the whole word is one YAML 1.1 read as a boolean: not one starting or ending like one.
    [
      "instances:\n  w: { acceptRebuild: never }\n",
      'instances.w.acceptRebuild: "never" is text, not a boolean; allowed: true or false',
    ],
    [
      "instances:\n  w: { acceptRebuild: certainly }\n",
      'instances.w.acceptRebuild: "certainly" is text, not a boolean; allowed: true or false',
    ],
    [
      "instances:\n  w:\n    acceptRebuild:\n",
      "instances.w.acceptRebuild: written without a value (YAML reads it as null); allowed: true or false, or leave the key out",
    ],
    [
      "network:\n  dnsNameservers:\n",
      "network.dnsNameservers: written without a value (YAML reads it as null); allowed: a list, or leave the key out",
    ],
    [
      "securityGroup:\n  rules:\n    -\n",
      "securityGroup.rules.0: written without a value (YAML reads it as null); allowed: leave the key out, or give its settings: description, protocol, ports, from, importId",
    ],
    [
      "proxy:\n  host: 149.165.157.82\n  mode: offline\n  tls:\n",
      "proxy.tls: written without a value (YAML reads it as null); allowed: leave the key out, or give its settings: mode, acme, hsts",
    ],
    ['cloud: ""\n', "cloud: an empty value; allowed: at least 1 character"],
    [
      `proxy:\n  host: 149.165.157.82\n  mode: offline\n  offlineTitle: ${"x".repeat(201)}\n`,
      "proxy.offlineTitle: 201 characters is too long; allowed: at most 200 characters",
    ],
  ])("%j", (yaml, message) => {
    expect(problemsIn(parse(yaml))).toEqual([message]);
  });

  test("instances: left empty is refused by plan as written, not as the text null", () => {
    expect(plan(lab("  lappsgrid-jetstream:instances:\n"))).toEqual(
      refused(
        "instances: written without a value (YAML reads it as null); allowed: leave the key out, or a map of instance names to their settings",
      ),
    );
  });

  test("a secret where a plain value belongs is refused by plan, naming the key", () => {
    expect(plan(lab("  lappsgrid-jetstream:images: {secure: v1:abcd}\n"))).toEqual(
      refused(
        "images: a secret (secure:) is not allowed here; allowed: a plain value (only proxySshKey, proxyTlsCertificate and proxyTlsKey are secrets)",
      ),
    );
  });
});

describe("inventory values", () => {
  const flavorsWith = (flavor: string) =>
    `cloud: IU\nquotas: { routers: 1 }\nflavors:\n  - ${flavor}\nimages: []\nexternalNetworks: []\nkeypairs: []\n`;
  const problem = (text: string) => {
    try {
      parseInventory(text, "inventory/iu.yaml");
    } catch (error) {
      if (error instanceof InventoryError) return error.message;
      throw error;
    }
    throw new Error("expected the inventory to be refused");
  };
  const FIX = 'fix the file or refresh it from the cloud (README, "The inventory")';

  test("a word where a number belongs", () => {
    expect(problem(flavorsWith("{ name: m3.tiny, vcpus: one, ramGb: 3 }"))).toBe(
      `inventory/iu.yaml: flavors.0.vcpus: "one" is not allowed; allowed: a number; ${FIX}`,
    );
  });

  test("a number where a map belongs", () => {
    expect(
      problem(`${flavorsWith("{ name: m3.tiny, vcpus: 1, ramGb: 3 }")}`.replace("{ routers: 1 }", "5")),
    ).toBe(`inventory/iu.yaml: quotas: 5 is not allowed; allowed: a map; ${FIX}`);
  });

  test("a word where a server's metadata map belongs", () => {
    const server =
      "servers:\n  - { name: lappsgrid-galaxy, id: s-1, status: ACTIVE, flavor: m3.large, metadata: none }\n";
    expect(problem(`${flavorsWith("{ name: m3.tiny, vcpus: 1, ramGb: 3 }")}${server}`)).toBe(
      `inventory/iu.yaml: servers.0.metadata: "none" is not allowed; allowed: a map; ${FIX}`,
    );
  });

  test("an unknown key", () => {
    expect(problem(`${flavorsWith("{ name: m3.tiny, vcpus: 1, ramGb: 3 }")}bogus: 1\n`)).toBe(
      `inventory/iu.yaml: bogus: unknown key; allowed keys: cloud, quotas, flavors, images, externalNetworks, keypairs, networks, subnets, routers, securityGroups, floatingIps, servers; ${FIX}`,
    );
  });
});

describe("inventory import listings", () => {
  test.each([
    [
      "a table pasted instead of JSON",
      "| Name    | VCPUs |\n| m3.tiny | 1     |\n",
      'it starts with "| Name    | VCPUs |"',
    ],
    ["an empty file", "", "it is empty"],
  ])("flavors.json holding %s is named with what it holds", (_case, text, holds) => {
    const dir = mkdtempSync(join(tmpdir(), "inventory-listing-"));
    cpSync(join(PROJECT_DIR, "test", "fixtures", "inventory", "iu"), dir, { recursive: true });
    writeFileSync(join(dir, "flavors.json"), text);
    expect(() => inventoryFromOpenstackJson(dir, "IU")).toThrow(
      `flavors.json: not JSON (${holds}); allowed: the output of the openstack command with -f json`,
    );
  });
});

describe("a refusal of the offline cloud", () => {
  test("starts with the resource and what to do, not the engine's wrapping", () => {
    const dir = mkdtempSync(join(tmpdir(), "cloud-refusal-"));
    for (const file of ["Pulumi.yaml", "Pulumi.tacc.yaml", "inventory"]) {
      cpSync(join(PROJECT_DIR, file), join(dir, file), { recursive: true });
    }
    const stackFile = join(dir, "Pulumi.tacc.yaml");
    writeFileSync(
      stackFile,
      readFileSync(stackFile, "utf8")
        .split("\n")
        .filter((line) => !line.includes("existingRouter"))
        .join("\n"),
    );
    expect(runVerb(["plan", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: lappsgrid-router: Quota exceeded for resources: ['router']. TACC allows 1 router(s) per project and has auto_allocated_router (00000000-0000-4000-8000-000000000220); fix: reuse it with network.existingRouter: auto_allocated_router, or adopt it with network.import.router: 00000000-0000-4000-8000-000000000220\n",
    });
  });
});

describe("values are reported as written, not as the engine's text", () => {
  test("a number, an empty key, an overflowing number and an invisible space, all under plan", () => {
    const lines = [
      "  lappsgrid-jetstream:images: 5",
      "  lappsgrid-jetstream:keypair:",
      "  lappsgrid-jetstream:instances:",
      "    huge: { size: 1e400 }",
      "    nbsp: { size: tiny\u00a0 }",
      "",
    ];
    expect(plan(lab(lines.join("\n")))).toEqual(
      refused(
        "keypair: written without a value (YAML reads it as null); allowed: leave the key out, or give its settings: name, publicKey",
        "images: expected a map, got number 5",
        "instances.huge.size: 1e400 is not a size; allowed: tiny, small, medium, large, xlarge",
        'instances.nbsp.size: "tiny\\u00a0" is not a size; allowed: tiny, small, medium, large, xlarge',
      ),
    );
  });
});

describe("top-level values", () => {
  test("cloud: left empty is refused, not shown as (null)", () => {
    expect(plan(lab("  lappsgrid-jetstream:cloud:\n"))).toEqual(
      refused("cloud: written without a value (YAML reads it as null); allowed: text, or leave the key out"),
    );
  });

  test("cloud as a secret is refused", () => {
    expect(plan(lab("  lappsgrid-jetstream:cloud: {secure: v1:abcd}\n"))).toEqual(
      refused(
        "cloud: a secret (secure:) is not allowed here; allowed: a plain value (only proxySshKey, proxyTlsCertificate and proxyTlsKey are secrets)",
      ),
    );
  });

  test("a bare key beside its namespaced spelling is the same key twice", () => {
    const lines = "  lappsgrid-jetstream:cloud: IU\n  cloud: TACC\n";
    expect(plan(lab(lines))).toEqual(
      refused(
        "cloud: written twice, as lappsgrid-jetstream:cloud and as cloud (a key without a namespace is this project's); allowed: one of them",
      ),
    );
  });

  test("a namespaced typo is named as written", () => {
    expect(plan(lab("  lappsgrid-jetstream:instance:\n    w: {}\n"))).toEqual(
      refused(
        "lappsgrid-jetstream:instance: unknown key; allowed keys: cloud, network, securityGroup, keypair, sizes, images, instances, proxy, proxySshKey, proxyTlsCertificate, proxyTlsKey",
      ),
    );
  });
});

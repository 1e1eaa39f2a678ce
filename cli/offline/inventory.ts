/**
 * What exists in one Jetstream2 project, as `openstack ... list` shows it: the offline cloud
 * answers the program's lookups from this and refuses what the real cloud would refuse.
 * One committed file per stack, `inventory/<stack>.yaml`. Without one, the offline cloud
 * presumes a project where every name the stack references exists and nothing it creates does.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseDocument } from "yaml";
import { z } from "zod";
import { loneCarriageReturnProblem, type StackConfig } from "../../config";
import { keysAt, TYPE_WORDS } from "../../config/issue-wording";
import { numbersAsWrittenIn, showNumbersAsWritten } from "../../config/numbers-as-written";
import { written } from "../../config/schema";
import { yamlProblem } from "../../config/stack-file";

const name = z.string();
const id = z.string().min(1, { error: "an OpenStack ID must not be empty" });
/** Fields the provider treats as Optional and not Computed: an import must send them as they are. */
const description = z.string().default("");
const tags = z.array(z.string()).default([]);

const inventorySchema = z.strictObject({
  cloud: z.string().min(1),
  /** Jetstream2 allows one router per project. */
  quotas: z.strictObject({ routers: z.number().int().nonnegative() }),
  flavors: z.array(
    z.strictObject({ name, vcpus: z.number().int().positive(), ramGb: z.number().positive() }),
  ),
  /** Featured images are rebuilt weekly: two images may share a name; the newest wins. */
  images: z.array(z.strictObject({ name, id, createdAt: z.iso.datetime({ offset: true }) })),
  externalNetworks: z.array(z.strictObject({ name, id })),
  /** Keypairs belong to the user of the credential, not to the project. */
  keypairs: z.array(z.strictObject({ name })),
  networks: z.array(z.strictObject({ name, id, description, tags })).default([]),
  subnets: z
    .array(z.strictObject({ name, id, networkId: id, cidr: z.string(), description, tags }))
    .default([]),
  routers: z
    .array(
      z.strictObject({
        name,
        id,
        description,
        tags,
        /** Subnets attached to the router, with the interface's port ID. */
        interfaces: z.array(z.strictObject({ portId: id, subnetId: id, cidr: z.string() })).default([]),
      }),
    )
    .default([]),
  securityGroups: z
    .array(
      z.strictObject({
        name,
        id,
        description,
        tags,
        rules: z
          .array(
            z.strictObject({
              id,
              description,
              protocol: z.enum(["tcp", "udp", "icmp"]),
              portMin: z.number().int().optional(),
              portMax: z.number().int().optional(),
              remoteIpPrefix: z.string(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  floatingIps: z.array(z.strictObject({ address: z.string(), id, description, tags })).default([]),
  /**
   * Servers, as `openstack server list --long -f json` shows them. Nova lets two servers share a
   * name: the offline cloud refuses a stack that would make a second one of a hand-made server.
   */
  servers: z
    .array(
      z.strictObject({
        name,
        id,
        /** Nova's status: ACTIVE, SHUTOFF, SHELVED_OFFLOADED, ... */
        status: z.string().min(1),
        flavor: z.string(),
        /** Empty for a server booted from a volume. */
        imageId: z.string().default(""),
        /** Addresses by network name, fixed before floating as nova lists them. */
        addresses: z.record(z.string(), z.array(z.string())).default({}),
        /** Nova metadata; a server this stack made carries `lappsgrid-role`. */
        metadata: z.record(z.string(), z.string()).default({}),
      }),
    )
    .default([]),
});

export type Inventory = z.infer<typeof inventorySchema>;

export class InventoryError extends Error {}

export function inventoryPath(projectDir: string, stack: string): string {
  return join(projectDir, "inventory", `${stack}.yaml`);
}

const where = (path: PropertyKey[]) => path.map(String).join(".") || "(top level)";

/** One of zod's issues in the words of the file: the key, the value as written, what is allowed. */
function inventoryIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = keysAt(inventorySchema, issue.path)?.join(", ");
    return issue.keys.map((key) => `${where([...issue.path, key])}: unknown key; allowed keys: ${allowed}`);
  }
  if (issue.code === "invalid_type" && /^Invalid input/.test(issue.message)) {
    const input = (issue as { input?: unknown }).input;
    const value = input === undefined ? "missing" : `${written(input)} is not allowed`;
    return [`${where(issue.path)}: ${value}; allowed: ${TYPE_WORDS[issue.expected] ?? issue.expected}`];
  }
  return [`${where(issue.path)}: ${issue.message}`];
}

/** Parses an inventory's text; a bad one fails with one line naming the file, the key and the problem. */
export function parseInventory(text: string, fileName: string): Inventory {
  const lineEndings = loneCarriageReturnProblem(text, fileName);
  if (lineEndings !== undefined) throw new InventoryError(lineEndings);
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new InventoryError(`${fileName}: not YAML${yamlProblem(error, text)}`);
  }
  const parsed = inventorySchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  // Named as the file writes them (`1e400`), not as YAML read them (`.inf`).
  const numbers = numbersAsWrittenIn(parseDocument(text).contents);
  const problems = showNumbersAsWritten(numbers, parsed.error.issues.flatMap(inventoryIssue));
  throw new InventoryError(
    `${fileName}: ${problems.join("; ")}; fix the file or refresh it from the cloud (README, "The inventory")`,
  );
}

/** The stack's inventory file, or undefined when the project has none for it. */
export function readInventory(projectDir: string, stack: string): Inventory | undefined {
  const path = inventoryPath(projectDir, stack);
  if (!existsSync(path)) return undefined;
  return parseInventory(readFileSync(path, "utf8"), `inventory/${stack}.yaml`);
}

/** A made-up ID for what the presumed project holds; stable across runs. */
type MakeId = (seed: string) => string;

/**
 * The project a stack without an inventory is planned against: every flavor, image, external
 * network, keypair and existing router it names exists once; nothing it would create exists.
 */
export function presumedInventory(config: StackConfig, makeId: MakeId): Inventory {
  const flavors = Object.values(config.sizes).map((f) => ({ name: f.flavor, vcpus: f.vcpus, ramGb: 1 }));
  const images = Object.values(config.images).map((image) => ({
    name: image,
    id: makeId(`image::${image}`),
    createdAt: "2026-01-01T00:00:00Z",
  }));
  const router = config.network.existingRouter;
  return {
    cloud: config.cloud,
    quotas: { routers: 1 },
    flavors,
    images,
    externalNetworks: [
      { name: config.network.externalNetwork, id: makeId(`network::${config.network.externalNetwork}`) },
    ],
    keypairs: [{ name: config.keypair.name }],
    networks: [],
    subnets: [],
    routers:
      router === undefined
        ? []
        : [{ name: router, id: makeId(`router::${router}`), description: "", tags: [], interfaces: [] }],
    securityGroups: [],
    floatingIps: [],
    servers: [],
  };
}

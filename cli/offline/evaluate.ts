/**
 * Runs the real program (index.ts) for one stack file under Pulumi's mock runtime: the same
 * config the engine would pass (here), a MockCloud in place of OpenStack (mock-runtime.ts), and
 * a record of what the engine would see of each resource but mocks never get (recorder.ts).
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
  DEFAULT_NETWORK,
  isSecureValue,
  PROJECT,
  readStackFile,
  type StackConfig,
  StackConfigError,
  StackFileUnreadable,
  splitStackConfig,
  stackFilePath,
  unreadableFile,
  validateStackConfig,
} from "../../config";
import { keepNumbersAsWritten } from "../../config/numbers-as-written";
import { PLAIN_TEXT_SECRET } from "../../config/schema";
import { loneCarriageReturnProblem, yamlProblem } from "../../config/stack-file";
import { firstProblem, isProgrammingError } from "../error-report";
import type { Evaluation } from "./evaluation";
import { type Inventory, presumedInventory, readInventory } from "./inventory";
import { inventoryProblems } from "./inventory-checks";
import { MockCloud, mockUuid } from "./mock-cloud";
import { installMockRuntime } from "./mock-runtime";
import { ResourceRecorder, redactSecrets, SECRET_PLACEHOLDER } from "./recorder";

export interface EvaluateOptions {
  projectDir: string;
  stack: string;
  /** The stack file's text; read from `Pulumi.<stack>.yaml` when absent. */
  stackFileText?: string;
  /** Where the program's index.ts is; default this package (see program-at-ref.ts for others). */
  programDir?: string;
  /** Loads the program; by default a fresh `require` of this package's index.ts. */
  loadProgram?: () => unknown;
  /**
   * What exists in the project: by default `inventory/<stack>.yaml` of projectDir; "presumed"
   * (or no such file): every name the stack references exists, nothing it creates does.
   */
  inventory?: Inventory | "presumed";
}

/**
 * The program evaluated: this package's own index.ts. `projectDir` only says where the stack
 * files are, so a copy of a stack file anywhere is planned with the code that ships with the CLI.
 */
const PROGRAM = join(__dirname, "..", "..", "index.ts");

/** Defaults `Pulumi.yaml` declares for project keys: the engine applies them, the mocks do not. */
function projectDefaults(projectDir: string): Record<string, unknown> {
  const path = join(projectDir, "Pulumi.yaml");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A folder of stack files alone (a copy to plan from): the engine would refuse it, but the
    // offline plan reads only the stack file.
    if (code === "ENOENT") return {};
    const why = unreadableFile(error, "the project file");
    if (why === undefined) throw error;
    const fix =
      code === "EISDIR" ? "allowed: the project's Pulumi.yaml" : `make it readable (chmod u+r ${path})`;
    throw new Error(`Pulumi.yaml: ${path} ${why}; ${fix}`);
  }
  const lineEndings = loneCarriageReturnProblem(text, "Pulumi.yaml");
  if (lineEndings !== undefined) throw new Error(lineEndings);
  let project: unknown;
  try {
    project = parse(text);
  } catch (error) {
    // Skipping it would plan with no defaults a stack pulumi refuses to run at all.
    throw new Error(
      `Pulumi.yaml: not valid YAML${yamlProblem(error, text)}; fix it first (pulumi refuses the project too)`,
    );
  }
  const declared = (project as { config?: unknown } | null)?.config;
  const defaults: Record<string, unknown> = {};
  if (declared === null || typeof declared !== "object") return defaults;
  for (const [key, schema] of Object.entries(declared as Record<string, { default?: unknown }>)) {
    if (schema && typeof schema === "object" && schema.default !== undefined) defaults[key] = schema.default;
  }
  return defaults;
}

/** The engine's view of a stack file: `ns:key` -> text, plus which keys hold secrets. */
function engineConfig(stackFileText: string, fileName: string, defaults: Record<string, unknown> = {}) {
  const split = splitStackConfig(stackFileText, fileName);
  const project = { ...defaults, ...split.project };
  keepNumbersAsWritten(split.project, project);
  const other = split.other;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const entries = [
    ...Object.entries(project).map(([k, v]) => [`${PROJECT}:${k}`, v] as const),
    ...Object.entries(other),
  ];
  for (const [key, value] of entries) {
    if (isSecureValue(value)) {
      config[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  if (project.proxySshKey !== undefined && !isSecureValue(project.proxySshKey)) {
    // Caught here too (the program refuses a key the engine does not list as secret) so the
    // CLI names it before any evaluation.
    throw new StackConfigError([`proxySshKey: ${PLAIN_TEXT_SECRET}`]);
  }
  const notes: string[] = [];
  const proxySshKeyName = `${PROJECT}:proxySshKey`;
  if (project.proxy !== undefined && config[proxySshKeyName] === undefined) {
    config[proxySshKeyName] = SECRET_PLACEHOLDER;
    secretKeys.push(proxySshKeyName);
    notes.push(
      "proxySshKey is not set in this stack file: a placeholder stood in offline; before `pulumi up`, run " +
        "`pulumi config set --secret proxySshKey --stack STACK < KEYFILE`.",
    );
  }
  return { config, secretKeys, project, notes };
}

/** The other stack's file, validated; a file it cannot use fails the StackReference, named. */
function otherStackConfig(projectDir: string, stack: string): StackConfig | undefined {
  try {
    return validateStackConfig(readStackFile(projectDir, stack).project, stack);
  } catch (error) {
    // No such stack: the program says the stack exports no instance, as the engine would.
    if (error instanceof StackFileUnreadable && error.code === "ENOENT") return undefined;
    if (isProgrammingError(error)) throw error;
    // The mock runtime hands the program only `details`.
    const fileName = basename(stackFilePath(projectDir, stack));
    const details =
      error instanceof StackFileUnreadable
        ? `proxy.target: ${error.message}`
        : `proxy.target: ${fileName} is not valid as it is (${firstProblem(error as Error, fileName)}), so stack ${stack}'s instances cannot be looked up; fix it first (\`jetstream plan --stack ${stack}\`)`;
    throw Object.assign(new Error(details), { details });
  }
}

/** Outputs other stacks would show, for `<stack>/<instance>` proxy targets: from their files. */
function otherStackOutputs(projectDir: string, cloud: MockCloud, self: string) {
  return (stack: string): Record<string, unknown> => {
    if (stack === self) return {};
    const config = otherStackConfig(projectDir, stack);
    if (config === undefined) return {};
    // Without `ip:` an instance exports no public address: none is made up for it.
    const publicIp = (ip: StackConfig["instances"][number]["ip"]) =>
      ip.kind === "adopt" ? ip.address : ip.kind === "assign" ? cloud.floatingIp() : undefined;
    const instances = Object.fromEntries(
      config.instances.map((i) => [i.name, { name: i.name, publicIp: publicIp(i.ip) }]),
    );
    return { instances };
  };
}

/** A file whose shape is wrong (a root key holding the wrong kind of value) is named as the program names bad values. */
function readEngineConfig(options: EvaluateOptions, fileName: string): ReturnType<typeof engineConfig> {
  const { projectDir, stack } = options;
  try {
    const text = options.stackFileText ?? readStackFile(projectDir, stack).text;
    return engineConfig(text, fileName, projectDefaults(projectDir));
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    throw new Error(`invalid config in ${basename(fileName)}:\n${error.problems.join("\n")}`);
  }
}

/**
 * The stack validated from its values as YAML typed them. The program sees them as the engine
 * passes them, as text (`images: 5` as "5", `keypair:` left empty as "null", `1e400` as null):
 * refused here, each is named as written.
 */
function validConfig(project: Record<string, unknown>, stack: string, fileName: string): StackConfig {
  try {
    return validateStackConfig(project, stack);
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    throw new Error(`invalid config in ${basename(fileName)}:\n${error.problems.join("\n")}`);
  }
}

/** Addresses the stack file states literally: the offline cloud never makes one of them up. */
function addressesWrittenOut(config: StackConfig): string[] {
  const proxy = config.proxy;
  return [
    ...config.instances.flatMap((instance) => (instance.ip.kind === "adopt" ? [instance.ip.address] : [])),
    ...(proxy?.target?.kind === "address" ? [proxy.target.address] : []),
    ...(proxy?.host.kind === "external" ? [proxy.host.address] : []),
  ];
}

/**
 * The cloud the program meets offline: the project's recorded inventory, or, without one, a
 * cloud presumed from the stack (a note says so).
 */
function offlineCloud(
  options: EvaluateOptions,
  validated: StackConfig | undefined,
  notes: string[],
): MockCloud {
  const { projectDir, stack } = options;
  const recorded =
    options.inventory === "presumed" ? undefined : (options.inventory ?? readInventory(projectDir, stack));
  if (recorded !== undefined && validated !== undefined) {
    const problems = inventoryProblems(validated, recorded, stack);
    if (problems.length > 0) {
      throw new Error(
        `invalid config in ${basename(stackFilePath(projectDir, stack))}:\n${problems.join("\n")}`,
      );
    }
  }
  const presumedIds: string[] = [];
  const inventory =
    recorded ??
    (validated &&
      presumedInventory(validated, (seed) => {
        presumedIds.push(mockUuid(seed));
        return mockUuid(seed);
      }));
  if (recorded === undefined) {
    notes.push(
      `no inventory/${stack}.yaml: the offline cloud presumed every flavor, image, keypair and router the stack names exists and nothing it creates does; record the project in it (README, "The inventory")`,
    );
  }
  const cloud: MockCloud = new MockCloud(
    validated?.network.cidr ?? DEFAULT_NETWORK.cidr,
    (other) => otherStackOutputs(projectDir, cloud, stack)(other),
    inventory,
    new Map((validated?.instances ?? []).map((instance) => [instance.name, instance.key])),
    validated === undefined ? [] : addressesWrittenOut(validated),
  );
  for (const id of presumedIds) cloud.madeUp.add(id);
  return cloud;
}

export async function evaluateInProcess(options: EvaluateOptions): Promise<Evaluation> {
  const { projectDir, stack } = options;
  const fileName = stackFilePath(projectDir, stack);
  const { config, secretKeys, project, notes } = readEngineConfig(options, fileName);

  const cloud = offlineCloud(options, validConfig(project, stack, fileName), notes);
  const recorder = new ResourceRecorder(stack);
  await installMockRuntime({ stack, config, secretKeys, cloud, recorder });

  const { result: outputs, warnings } = await collectingProgramWarnings(async () => {
    const run = await runProgram(options, recorder);
    if (run.error !== undefined) throw run.error;
    // The stack's outputs can settle before every registration has (a resource that waits on
    // another's output); the language host waits for them all, and so do we.
    await waitForRegistrations();
    return run.outputs;
  });

  return {
    stack,
    resources: recorder.resources(),
    outputs: redactSecrets(outputs ?? {}) as Record<string, unknown>,
    mockValues: [...cloud.madeUp].sort(),
    notes: notes.map((note) => note.replace("STACK", stack)),
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}

/** The program's stack outputs, or the error it threw. */
async function runProgram(
  options: EvaluateOptions,
  recorder: ResourceRecorder,
): Promise<{ outputs: Record<string, unknown> | undefined; error?: unknown }> {
  let error: unknown;
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(recorder.declared);
    try {
      const entry = options.programDir === undefined ? PROGRAM : join(options.programDir, "index.ts");
      const program = (options.loadProgram ?? (() => requireFresh(entry)))();
      return { ...(program as Record<string, unknown>) };
    } catch (thrown) {
      // Reported after the stack settles, as `pulumi preview` reports a failing program.
      error = thrown;
      return {};
    }
  });
  return { outputs, error };
}

/**
 * Without an engine, the SDK writes the program's `pulumi.log.warn` messages to console.warn
 * with this prefix (@pulumi/pulumi log/index.js); `pulumi preview` shows them as warnings.
 */
const RUNTIME_WARNING = "warning: [runtime] ";

/** Runs `run`, keeping the program's warnings for the plan instead of letting them reach stderr. */
async function collectingProgramWarnings<T>(
  run: () => Promise<T>,
): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith(RUNTIME_WARNING)) warnings.push(text.slice(RUNTIME_WARNING.length));
    else original(...args);
  };
  try {
    return { result: await run(), warnings };
  } finally {
    console.warn = original;
  }
}

/** The runtime's own "wait until the RPC queue drains" (internal to @pulumi/pulumi, so untyped). */
function waitForRegistrations(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
  return settings.waitForRPCs();
}

/** A fresh copy of the program and of everything it imports from the project (not node_modules). */
function requireFresh(path: string): unknown {
  for (const key of Object.keys(require.cache)) {
    if (!key.includes("node_modules")) delete require.cache[key];
  }
  return require(path);
}

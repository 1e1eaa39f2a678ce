/**
 * The blast radius of every verb on the shipped stacks, proven on the real program evaluated
 * offline before and after the verb's edit: what `pulumi up` would touch, and nothing else.
 */

import { deleteInstance } from "../../cli/delete/delete";
import { launchInstance } from "../../cli/launch/launch";
import { setInstanceState } from "../../cli/lifecycle/set-state";
import { evaluateStack } from "../../cli/offline/evaluate-stack";
import type { Evaluation } from "../../cli/offline/evaluation";
import { setProxyMode, switchProxy } from "../../cli/proxy/switch";
import { diffEvaluations, type ResourceDiff } from "../../cli/resource-diff/compare";
import { addEntry } from "../../cli/stack-file/edit";
import { INSTANCES_PATH, type StackEdit, type StackText, stackText } from "../../cli/stack-file/text";
import { PROJECT_DIR, shipped } from "./support";

jest.setTimeout(180_000);

const COMMAND = "command:remote:Command";
const FLOATING_IP = "openstack:networking/floatingIp:FloatingIp";

type Verb = (file: StackText) => StackEdit;
const apply = (stack: string, text: string, verb: Verb) => verb(stackText(stack, text)).text;

const IU = shipped("Pulumi.iu.yaml");
const TACC = shipped("Pulumi.tacc.yaml");
const IU_OFFLINE = apply("iu", IU, (f) => setProxyMode(f, "offline"));
// galaxy is the online proxy target on IU: it may stop or shelve only once the site is offline.
const IU_SUSPENDED = apply("iu", IU_OFFLINE, (f) => setInstanceState(f, "galaxy", "shelved"));
const IU_STOPPED = apply("iu", IU_OFFLINE, (f) => setInstanceState(f, "galaxy", "stopped"));
// An instance on an address allocated before the stack, adopted by ID: the floating IP is managed, never released.
const IU_WITH_ADOPTED = addEntry(
  apply("iu", IU, (f) => launchInstance(f, { name: "spare", ip: "149.165.157.99" })),
  [...INSTANCES_PATH, "lappsgrid-spare"],
  "floatingIpImportId",
  "4f6a1c2e-0d4b-4c1e-9a57-2b8f3e6d7c10",
);
const IU_WITH_ATTACHED = apply("iu", IU, (f) => launchInstance(f, { name: "spare", ip: "149.165.157.99" }));

interface Case {
  verb: string;
  stack: "iu" | "tacc";
  before: string;
  edit: Verb;
  expectation: (diff: ResourceDiff) => void;
}

function onlyPowerState(server: string, from: string, to: string) {
  return (diff: ResourceDiff) => {
    expect(diff.changes.map((c) => [c.kind, c.name, c.inputs.map((i) => [i.input, i.old, i.new])])).toEqual([
      ["update", server, [["powerState", from, to]]],
    ]);
  };
}

function onlyProxyCommand(diff: ResourceDiff) {
  expect(diff.changes.map((c) => [c.kind, c.type, c.name])).toEqual([
    ["update", COMMAND, "public-proxy-site"],
  ]);
}

/** A target in another stack adds a read of that stack's outputs, which makes nothing in the cloud. */
function onlyProxyCommandAndReadOf(stack: string) {
  return (diff: ResourceDiff) => {
    const reads = diff.changes.filter((c) => c.type === "pulumi:pulumi:StackReference");
    expect(reads.map((c) => [c.kind, c.name])).toEqual([["create", `public-proxy-${stack}-stack`]]);
    onlyProxyCommand({ ...diff, changes: diff.changes.filter((c) => !reads.includes(c)) });
  };
}

function onlyCreates(prefix: string, count: number) {
  return (diff: ResourceDiff) => {
    expect(diff.changes.every((c) => c.kind === "create")).toBe(true);
    expect(diff.changes.every((c) => c.name.startsWith(prefix))).toBe(true);
    expect(diff.changes).toHaveLength(count);
  };
}

function onlyDeletesOf(prefix: string, count: number) {
  return (diff: ResourceDiff) => {
    expect(diff.changes.every((c) => c.kind === "delete")).toBe(true);
    // The instance component and its children, all named after it.
    expect(
      diff.changes.every((c) => c.name.startsWith(prefix) && c.urn.includes("lappsgrid:jetstream:Instance")),
    ).toBe(true);
    expect(diff.changes).toHaveLength(count);
  };
}

const CASES: Case[] = [
  {
    verb: "suspend galaxy",
    stack: "iu",
    before: IU_OFFLINE,
    edit: (f) => setInstanceState(f, "galaxy", "shelved"),
    expectation: onlyPowerState("lappsgrid-galaxy-server", "active", "shelved_offloaded"),
  },
  {
    verb: "resume galaxy",
    stack: "iu",
    before: IU_SUSPENDED,
    edit: (f) => setInstanceState(f, "galaxy", "active"),
    expectation: onlyPowerState("lappsgrid-galaxy-server", "shelved_offloaded", "active"),
  },
  {
    verb: "stop galaxy",
    stack: "iu",
    before: IU_OFFLINE,
    edit: (f) => setInstanceState(f, "galaxy", "stopped"),
    expectation: onlyPowerState("lappsgrid-galaxy-server", "active", "shutoff"),
  },
  {
    verb: "start galaxy",
    stack: "iu",
    before: IU_STOPPED,
    edit: (f) => setInstanceState(f, "galaxy", "active"),
    expectation: onlyPowerState("lappsgrid-galaxy-server", "shutoff", "active"),
  },
  {
    verb: "suspend worker",
    stack: "tacc",
    before: TACC,
    edit: (f) => setInstanceState(f, "worker", "shelved"),
    expectation: onlyPowerState("lappsgrid-worker-server", "active", "shelved_offloaded"),
  },
  {
    verb: "proxy tacc/worker",
    stack: "iu",
    before: IU,
    edit: (f) => switchProxy(f, "tacc/worker"),
    expectation: onlyProxyCommandAndReadOf("tacc"),
  },
  {
    verb: "proxy 10.0.0.99",
    stack: "iu",
    before: IU,
    edit: (f) => switchProxy(f, "10.0.0.99"),
    expectation: onlyProxyCommand,
  },
  {
    verb: "offline",
    stack: "iu",
    before: IU,
    edit: (f) => setProxyMode(f, "offline"),
    expectation: onlyProxyCommand,
  },
  {
    verb: "online",
    stack: "iu",
    before: IU_OFFLINE,
    edit: (f) => setProxyMode(f, "online"),
    expectation: onlyProxyCommand,
  },
  // Named to sort before lappsgrid-galaxy: mock addresses shift, and still nothing else changes.
  {
    verb: "launch -l --ip assign aaa",
    stack: "iu",
    before: IU,
    edit: (f) => launchInstance(f, { name: "aaa", size: "large", ip: "assign" }),
    expectation: onlyCreates("lappsgrid-aaa", 5),
  },
  {
    verb: "launch web",
    stack: "tacc",
    before: TACC,
    edit: (f) => launchInstance(f, { name: "web" }),
    expectation: onlyCreates("lappsgrid-web", 3),
  },
  {
    verb: "delete worker",
    stack: "tacc",
    before: TACC,
    edit: (f) => deleteInstance(f, "worker"),
    expectation: onlyDeletesOf("lappsgrid-worker", 5),
  },
  {
    verb: "delete spare (adopted floating IP)",
    stack: "iu",
    before: IU_WITH_ADOPTED,
    edit: (f) => deleteInstance(f, "spare"),
    expectation: onlyDeletesOf("lappsgrid-spare", 5),
  },
  {
    verb: "delete spare (attached address)",
    stack: "iu",
    before: IU_WITH_ATTACHED,
    edit: (f) => deleteInstance(f, "spare"),
    expectation: onlyDeletesOf("lappsgrid-spare", 4),
  },
];

const evaluations = new Map<string, Promise<Evaluation>>();
function evaluate(stack: string, text: string): Promise<Evaluation> {
  const key = `${stack}\n${text}`;
  if (!evaluations.has(key))
    // A presumed project: the IU text here declares a Galaxy the stack built itself, which the
    // IU inventory would take for the hand-made one of the same name.
    evaluations.set(
      key,
      evaluateStack({ projectDir: PROJECT_DIR, stack, stackFileText: text, inventory: "presumed" }),
    );
  return evaluations.get(key)!;
}

async function blastRadius(item: Case): Promise<ResourceDiff> {
  const after = apply(item.stack, item.before, item.edit);
  const [old, next] = await Promise.all([evaluate(item.stack, item.before), evaluate(item.stack, after)]);
  return diffEvaluations(old, next);
}

beforeAll(async () => {
  // All evaluations at once: each is a child process.
  await Promise.all(CASES.map((item) => blastRadius(item).catch(() => undefined)));
});

describe("blast radius of each verb on the shipped stacks", () => {
  for (const item of CASES) {
    test(`${item.verb} (${item.stack}) touches only what it names`, async () => {
      const diff = await blastRadius(item);
      item.expectation(diff);
      expect(diff.counts.replace).toBe(0);
      expect(diff.changes.filter((c) => c.blocked)).toEqual([]);
    });
  }

  test("delete keeps an adopted floating IP allocated: it leaves the stack but stays in the cloud", async () => {
    const diff = await blastRadius(CASES.find((c) => c.verb === "delete spare (adopted floating IP)")!);
    const floatingIps = diff.changes.filter((c) => c.type === FLOATING_IP);
    expect(floatingIps.map((c) => [c.kind, c.name, c.retainOnDelete])).toEqual([
      ["delete", "lappsgrid-spare-floating-ip", true],
    ]);
  });

  test("delete of an instance on an attached address never touches a floating IP resource", async () => {
    const diff = await blastRadius(CASES.find((c) => c.verb === "delete spare (attached address)")!);
    expect(diff.changes.filter((c) => c.type === FLOATING_IP)).toEqual([]);
  });

  test("delete releases a floating IP the stack allocated itself (ip: assign): no leaked address", async () => {
    const diff = await blastRadius(CASES.find((c) => c.verb === "delete worker")!);
    expect(diff.changes.filter((c) => c.type === FLOATING_IP).map((c) => [c.kind, c.retainOnDelete])).toEqual(
      [["delete", false]],
    );
  });
});

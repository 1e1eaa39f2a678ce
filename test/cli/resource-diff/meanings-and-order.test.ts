/**
 * The resource diff in the cases an operator reads it for: what a mock-made value stands for,
 * which edits are no change at all, what kind a change is, and the order changes are listed in.
 */

import type { Evaluation, PlannedResource } from "../../../cli/offline/evaluation";
import { diffEvaluations } from "../../../cli/resource-diff/compare";
import { formatDiff } from "../../../cli/resource-diff/format";
import { resourceIn } from "../../helpers/planned-resource";

const SERVER = "openstack:compute/instance:Instance";
const PORT = "openstack:networking/port:Port";
const RULE = "openstack:networking/secGroupRule:SecGroupRule";
const COMMAND = "command:remote:Command";
const STACK_URN = "urn:pulumi:iu::lappsgrid-jetstream::pulumi:pulumi:Stack::lappsgrid-jetstream-iu";

const resource = resourceIn("iu");

function evaluation(resources: PlannedResource[], mockValues: string[] = [], outputs = {}): Evaluation {
  return { stack: "iu", resources, outputs, mockValues };
}

describe("what a mock-made value stands for", () => {
  test("a server moved to another port shows the ports by name, not by their made-up IDs", () => {
    const ports = [
      resource("galaxy-port", PORT, {}, { id: "5d1c9b2e-0a41-4f3e-a1b2-000000000001" }),
      resource("worker-port", PORT, {}, { id: "5d1c9b2e-0a41-4f3e-a1b2-000000000002" }),
    ];
    const mock = ["5d1c9b2e-0a41-4f3e-a1b2-000000000001", "5d1c9b2e-0a41-4f3e-a1b2-000000000002"];
    const diff = diffEvaluations(
      evaluation([...ports, resource("s", SERVER, { networks: [{ port: mock[0] }] })], mock),
      evaluation([...ports, resource("s", SERVER, { networks: [{ port: mock[1] }] })], mock),
    );
    expect(diff.changes.map((c) => [c.kind, c.name, c.inputs])).toEqual([
      [
        "replace",
        "s",
        [
          {
            input: "networks",
            old: [{ port: "⟨id of galaxy-port⟩" }],
            new: [{ port: "⟨id of worker-port⟩" }],
            forcesReplacement: true,
            warning: undefined,
          },
        ],
      ],
    ]);
  });

  test("an address listed in an output list is named by its place in the list", () => {
    const outputs = { floatingIps: ["149.165.157.10", "149.165.157.11"] };
    const mock = ["149.165.157.10", "149.165.157.11"];
    const diff = diffEvaluations(
      evaluation([resource("dns", COMMAND, { stdin: "A 149.165.157.10\n" })], mock, outputs),
      evaluation([resource("dns", COMMAND, { stdin: "A 149.165.157.11\n" })], mock, outputs),
    );
    expect(diff.changes[0].inputs[0]).toMatchObject({
      input: "stdin",
      old: "A ⟨floatingIps[0]⟩\n",
      new: "A ⟨floatingIps[1]⟩\n",
    });
  });

  test("every mock-made value in one text is replaced, not only the first", () => {
    const outputs = { instances: { galaxy: { privateIp: "10.0.0.11" }, worker: { privateIp: "10.0.0.12" } } };
    const mock = ["10.0.0.11", "10.0.0.12"];
    const diff = diffEvaluations(
      evaluation(
        [resource("site", COMMAND, { stdin: "server 10.0.0.11:8080;\nserver 10.0.0.12:8080;\n" })],
        mock,
        outputs,
      ),
      evaluation(
        [resource("site", COMMAND, { stdin: "server 10.0.0.11:8080;\nserver 10.0.0.12:8081;\n" })],
        mock,
        outputs,
      ),
    );
    expect(diff.changes[0].inputs[0]).toMatchObject({
      old: "server ⟨instances.galaxy.privateIp⟩:8080;\nserver ⟨instances.worker.privateIp⟩:8080;\n",
      new: "server ⟨instances.galaxy.privateIp⟩:8080;\nserver ⟨instances.worker.privateIp⟩:8081;\n",
    });
  });

  test("a made-up value that is neither an ID nor an output is shown as computed, and renumbering it is no change", () => {
    const mock = ["10.0.0.13", "10.0.0.14"];
    const before = evaluation([resource("probe", COMMAND, { create: "ping -c1 10.0.0.13" })], mock);
    const renumbered = evaluation([resource("probe", COMMAND, { create: "ping -c1 10.0.0.14" })], mock);
    expect(diffEvaluations(before, renumbered).changes).toEqual([]);
    const changed = evaluation([resource("probe", COMMAND, { create: "ping -c3 10.0.0.14" })], mock);
    expect(diffEvaluations(before, changed).changes[0].inputs[0]).toMatchObject({
      old: "ping -c1 ⟨computed⟩",
      new: "ping -c3 ⟨computed⟩",
    });
  });
});

describe("what is a change", () => {
  test("a changed port number is a change, old -> new as numbers", () => {
    const diff = diffEvaluations(
      evaluation([resource("http-rule", RULE, { portRangeMin: 80, portRangeMax: 80 })]),
      evaluation([resource("http-rule", RULE, { portRangeMin: 443, portRangeMax: 443 })]),
    );
    expect(diff.changes.map((c) => [c.kind, c.inputs])).toEqual([
      [
        "replace",
        [
          { input: "portRangeMax", old: 80, new: 443, forcesReplacement: true, warning: undefined },
          { input: "portRangeMin", old: 80, new: 443, forcesReplacement: true, warning: undefined },
        ],
      ],
    ]);
  });

  test("the same map with its keys in another order is no change", () => {
    const diff = diffEvaluations(
      evaluation([resource("site", COMMAND, { connection: { host: "149.165.157.10", user: "ubuntu" } })]),
      evaluation([resource("site", COMMAND, { connection: { user: "ubuntu", host: "149.165.157.10" } })]),
    );
    expect(diff.changes).toEqual([]);
    expect(diff.unchanged).toBe(1);
  });

  test("a component's changed inputs are no change: it has no cloud object, its children carry the change", () => {
    const instance = (size: string) =>
      resource("lappsgrid-galaxy", "lappsgrid:jetstream:Instance", { size }, { custom: false });
    const diff = diffEvaluations(evaluation([instance("m3.quad")]), evaluation([instance("m3.medium")]));
    expect(diff.changes).toEqual([]);
    expect(diff.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(diff.unchanged).toBe(1);
  });

  test('ignoreChanges ["*"] keeps every input from the cloud', () => {
    const all = { ignoreChanges: ["*"] };
    const diff = diffEvaluations(
      evaluation([resource("s", SERVER, { powerState: "active", flavorName: "m3.quad" }, all)]),
      evaluation([resource("s", SERVER, { powerState: "shutoff", flavorName: "m3.medium" }, all)]),
    );
    expect(diff.changes).toEqual([]);
    expect(diff.ignored.map((c) => c.inputs.map((i) => i.input))).toEqual([["flavorName", "powerState"]]);
  });

  test("one input that forces replacement makes the whole change a replacement", () => {
    const diff = diffEvaluations(
      evaluation([resource("s", SERVER, { flavorName: "m3.quad", userData: "a" })]),
      evaluation([resource("s", SERVER, { flavorName: "m3.medium", userData: "b" })]),
    );
    expect(diff.changes.map((c) => [c.kind, c.inputs.map((i) => [i.input, i.forcesReplacement])])).toEqual([
      [
        "replace",
        [
          ["flavorName", false],
          ["userData", true],
        ],
      ],
    ]);
  });

  test("an in-place update of a protected resource is not blocked", () => {
    const proxy = (powerState: string) => resource("proxy-server", SERVER, { powerState }, { protect: true });
    const diff = diffEvaluations(evaluation([proxy("active")]), evaluation([proxy("shutoff")]));
    expect(diff.changes.map((c) => [c.kind, c.protect, c.blocked])).toEqual([["update", true, false]]);
    expect(formatDiff(diff, "text")).toBe(
      [
        "Stack iu: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 unchanged",
        "  ~  update  proxy-server  openstack:compute/instance:Instance [protected]",
        '        powerState: "active" -> "shutoff"',
        "",
      ].join("\n"),
    );
  });

  test("a server at the top of the stack has no owner: the remedy names no instance", () => {
    const server = (imageName: string) =>
      resource("bastion", SERVER, { imageName }, { parent: STACK_URN, ignoreChanges: ["imageName"] });
    const diff = diffEvaluations(
      evaluation([server("Featured-Ubuntu22")]),
      evaluation([server("Featured-Ubuntu24")]),
    );
    expect(diff.ignored).toEqual([
      {
        urn: "urn:pulumi:iu::lappsgrid-jetstream::openstack:compute/instance:Instance::bastion",
        type: SERVER,
        name: "bastion",
        inputs: [
          {
            input: "imageName",
            old: "Featured-Ubuntu22",
            new: "Featured-Ubuntu24",
            forcesReplacement: false,
            warning: "rebuilds the server from the new image: the root disk is wiped",
          },
        ],
      },
    ]);
    expect(formatDiff(diff, "text")).toContain(
      "        set `acceptRebuild: true` on the instance to let `pulumi up` rebuild it (its root disk is wiped)\n",
    );
  });
});

describe("the order changes are listed in", () => {
  test("deletes first, then replacements, updates and creations, each by URN", () => {
    const before = evaluation([
      resource("b-old", SERVER, {}),
      resource("a-old", SERVER, {}),
      resource("c-server", SERVER, { powerState: "active" }),
      resource("d-server", SERVER, { userData: "a" }),
    ]);
    const after = evaluation([
      resource("f-new", SERVER, {}),
      resource("e-new", SERVER, {}),
      resource("d-server", SERVER, { userData: "b" }),
      resource("c-server", SERVER, { powerState: "shutoff" }),
    ]);
    expect(diffEvaluations(before, after).changes.map((c) => [c.kind, c.name])).toEqual([
      ["delete", "a-old"],
      ["delete", "b-old"],
      ["replace", "d-server"],
      ["update", "c-server"],
      ["create", "e-new"],
      ["create", "f-new"],
    ]);
  });

  test("ignored changes are listed by URN", () => {
    const server = (name: string, imageName: string) =>
      resource(name, SERVER, { imageName }, { ignoreChanges: ["imageName"] });
    const diff = diffEvaluations(
      evaluation([server("worker", "Featured-Ubuntu22"), server("galaxy", "Featured-Ubuntu22")]),
      evaluation([server("worker", "Featured-Ubuntu24"), server("galaxy", "Featured-Ubuntu24")]),
    );
    expect(diff.ignored.map((c) => c.name)).toEqual(["galaxy", "worker"]);
  });
});

/** The resource-level diff of two evaluations, and its text / markdown / JSON forms. */

import type { Evaluation, PlannedResource } from "../../../cli/offline/evaluation";
import { diffEvaluations } from "../../../cli/resource-diff/compare";
import { formatDiff, unifiedDiff } from "../../../cli/resource-diff/format";
import { forcesReplacement, REPLACE_TABLE } from "../../../cli/resource-diff/replace-table";
import { resourceIn } from "../../helpers/planned-resource";

const SERVER = "openstack:compute/instance:Instance";
const COMMAND = "command:remote:Command";

const resource = resourceIn("iu");

function evaluation(resources: PlannedResource[], mockValues: string[] = [], outputs = {}): Evaluation {
  return { stack: "iu", resources, outputs, mockValues };
}

describe("diffEvaluations", () => {
  test("a changed power state is one in-place update with the input old -> new", () => {
    const before = evaluation([resource("galaxy-server", SERVER, { powerState: "active", name: "galaxy" })]);
    const after = evaluation([
      resource("galaxy-server", SERVER, { powerState: "shelved_offloaded", name: "galaxy" }),
    ]);
    const diff = diffEvaluations(before, after);
    expect(diff.counts).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(diff.changes[0].inputs).toEqual([
      {
        input: "powerState",
        old: "active",
        new: "shelved_offloaded",
        forcesReplacement: false,
        warning: undefined,
      },
    ]);
  });

  test.each([
    [SERVER, "userData"],
    [SERVER, "keyPair"],
    [SERVER, "networks"],
    ["openstack:networking/port:Port", "networkId"],
    ["openstack:networking/floatingIp:FloatingIp", "pool"],
    ["openstack:networking/secGroupRule:SecGroupRule", "remoteIpPrefix"],
    ["openstack:networking/subnet:Subnet", "cidr"],
    ["openstack:compute/keypair:Keypair", "publicKey"],
    [COMMAND, "triggers"],
  ])("a change of %s %s is a replacement", (type, input) => {
    const diff = diffEvaluations(
      evaluation([resource("r", type, { [input]: "a" })]),
      evaluation([resource("r", type, { [input]: "b" })]),
    );
    expect(diff.changes.map((c) => c.kind)).toEqual(["replace"]);
  });

  test.each([
    [SERVER, "flavorName"],
    [SERVER, "powerState"],
    ["openstack:networking/port:Port", "securityGroupIds"],
    ["openstack:networking/router:Router", "externalNetworkId"],
    [COMMAND, "stdin"],
    [COMMAND, "create"],
    [COMMAND, "connection"],
    ["openstack:networking/floatingIpAssociate:FloatingIpAssociate", "portId"],
  ])("a change of %s %s is an update in place", (type, input) => {
    const diff = diffEvaluations(
      evaluation([resource("r", type, { [input]: "a" })]),
      evaluation([resource("r", type, { [input]: "b" })]),
    );
    expect(diff.changes.map((c) => c.kind)).toEqual(["update"]);
  });

  test("the table covers every resource type the program makes", () => {
    expect(Object.keys(REPLACE_TABLE).sort()).toEqual([
      COMMAND,
      "openstack:compute/instance:Instance",
      "openstack:compute/keypair:Keypair",
      "openstack:networking/floatingIp:FloatingIp",
      "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
      "openstack:networking/network:Network",
      "openstack:networking/port:Port",
      "openstack:networking/router:Router",
      "openstack:networking/routerInterface:RouterInterface",
      "openstack:networking/secGroup:SecGroup",
      "openstack:networking/secGroupRule:SecGroupRule",
      "openstack:networking/subnet:Subnet",
    ]);
    expect(forcesReplacement(SERVER, "networks[0].port")).toBe(true);
  });

  test("an image change is an update that warns the root disk is rebuilt", () => {
    const diff = diffEvaluations(
      evaluation([resource("s", SERVER, { imageName: "Featured-Ubuntu22" })]),
      evaluation([resource("s", SERVER, { imageName: "Featured-Ubuntu24" })]),
    );
    expect(diff.changes[0]).toMatchObject({ kind: "update" });
    expect(diff.changes[0].inputs[0].warning).toBe(
      "rebuilds the server from the new image: the root disk is wiped",
    );
  });

  test("inputs covered by ignoreChanges are no update, and are listed apart as ignored", () => {
    const ignore = { ignoreChanges: ["userData", "imageName"] };
    const diff = diffEvaluations(
      evaluation([resource("s", SERVER, { userData: "a", imageName: "x" }, ignore)]),
      evaluation([resource("s", SERVER, { userData: "b", imageName: "y" }, ignore)]),
    );
    expect(diff.changes).toEqual([]);
    expect(diff.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(diff.unchanged).toBe(1);
    expect(diff.ignored).toEqual([
      {
        urn: "urn:pulumi:iu::lappsgrid-jetstream::openstack:compute/instance:Instance::s",
        type: SERVER,
        name: "s",
        inputs: [
          {
            input: "imageName",
            old: "x",
            new: "y",
            forcesReplacement: false,
            warning: "rebuilds the server from the new image: the root disk is wiped",
          },
          { input: "userData", old: "a", new: "b", forcesReplacement: true, warning: undefined },
        ],
      },
    ]);
  });

  test("an ignored input beside an applied one: the resource is an update of the applied one only", () => {
    const ignore = { ignoreChanges: ["imageName"] };
    const diff = diffEvaluations(
      evaluation([resource("s", SERVER, { powerState: "active", imageName: "x" }, ignore)]),
      evaluation([resource("s", SERVER, { powerState: "shutoff", imageName: "y" }, ignore)]),
    );
    expect(diff.changes.map((c) => [c.kind, c.inputs.map((i) => i.input)])).toEqual([
      ["update", ["powerState"]],
    ]);
    expect(diff.ignored.map((c) => c.inputs.map((i) => i.input))).toEqual([["imageName"]]);
  });

  test("a renumbered mock-made address is not a change; moving to another resource's address is", () => {
    const outputs = (galaxy: string, worker: string) => ({
      instances: { galaxy: { privateIp: galaxy }, worker: { privateIp: worker } },
    });
    const site = (ip: string) => `upstream target { server ${ip}:8080; }\n`;
    const before = evaluation(
      [resource("proxy-site", COMMAND, { stdin: site("10.0.0.11") })],
      ["10.0.0.11", "10.0.0.12"],
      outputs("10.0.0.11", "10.0.0.12"),
    );
    // Same target, but the mock handed out addresses in another order.
    const renumbered = evaluation(
      [resource("proxy-site", COMMAND, { stdin: site("10.0.0.12") })],
      ["10.0.0.11", "10.0.0.12"],
      outputs("10.0.0.12", "10.0.0.11"),
    );
    expect(diffEvaluations(before, renumbered).changes).toEqual([]);
    // Another target.
    const moved = evaluation(
      [resource("proxy-site", COMMAND, { stdin: site("10.0.0.12") })],
      ["10.0.0.11", "10.0.0.12"],
      outputs("10.0.0.11", "10.0.0.12"),
    );
    const diff = diffEvaluations(before, moved);
    expect(diff.changes.map((c) => c.kind)).toEqual(["update"]);
    expect(diff.changes[0].inputs[0]).toMatchObject({
      input: "stdin",
      old: "upstream target { server ⟨instances.galaxy.privateIp⟩:8080; }\n",
      new: "upstream target { server ⟨instances.worker.privateIp⟩:8080; }\n",
    });
  });

  test("mock-made IDs stand for the resource they identify", () => {
    const port = (id: string) => resource("port", "openstack:networking/port:Port", {}, { id });
    const server = (portId: string) => resource("s", SERVER, { networks: [{ port: portId }] });
    const diff = diffEvaluations(
      evaluation([port("id-1"), server("id-1")], ["id-1"]),
      evaluation([port("id-2"), server("id-2")], ["id-2"]),
    );
    expect(diff.changes).toEqual([]);
  });

  test("a protected resource that would be deleted or replaced is blocked", () => {
    const before = evaluation([
      resource("proxy-server", SERVER, { userData: "a" }, { protect: true }),
      resource("proxy-port", "openstack:networking/port:Port", {}, { protect: true }),
    ]);
    const after = evaluation([resource("proxy-server", SERVER, { userData: "b" }, { protect: true })]);
    const diff = diffEvaluations(before, after);
    expect(diff.changes.map((c) => [c.kind, c.name, c.blocked])).toEqual([
      ["delete", "proxy-port", true],
      ["replace", "proxy-server", true],
    ]);
    const text = formatDiff(diff, "text");
    expect(text).toContain(
      "!! 2 protected resource(s) would be deleted: proxy-port, replaced: proxy-server.\n!! `pulumi up` refuses to delete or replace a protected resource; undo this change, or unprotect it on purpose.\n",
    );
    expect(text).toContain(
      "  -  delete  proxy-port  openstack:networking/port:Port [PROTECTED: pulumi up will refuse]\n",
    );
    expect(text).toContain('        userData: "a" -> "b"  (forces replacement)\n');
  });

  test("protect read from the state blocks a replacement even when the edit drops protect in the program", () => {
    const before = evaluation([resource("proxy-server", SERVER, { userData: "a" }, { protect: true })]);
    const after = evaluation([resource("proxy-server", SERVER, { userData: "b" }, { protect: false })]);
    const diff = diffEvaluations(before, after);
    expect(diff.changes.map((c) => [c.kind, c.name, c.protect, c.blocked])).toEqual([
      ["replace", "proxy-server", true, true],
    ]);
    expect(formatDiff(diff, "text")).toContain(
      "!! 1 protected resource(s) would be replaced: proxy-server.\n",
    );
  });

  test("a deleted retainOnDelete resource is marked as kept in the cloud", () => {
    const fip = resource(
      "spare-floating-ip",
      "openstack:networking/floatingIp:FloatingIp",
      {},
      { retainOnDelete: true, importId: "fip-1" },
    );
    const diff = diffEvaluations(evaluation([fip]), evaluation([]));
    expect(formatDiff(diff, "text")).toContain(
      "  -  delete  spare-floating-ip  openstack:networking/floatingIp:FloatingIp [kept in the cloud: retainOnDelete]\n",
    );
  });

  test("no base evaluation means every resource is created", () => {
    const diff = diffEvaluations(
      undefined,
      evaluation([resource("a", SERVER, {}), resource("b", SERVER, {})]),
    );
    expect(diff.counts).toEqual({ create: 2, update: 0, replace: 0, delete: 0 });
    expect(diff.baseExists).toBe(false);
  });
});

describe("diff formats", () => {
  const diff = diffEvaluations(
    evaluation([resource("galaxy-server", SERVER, { powerState: "active" }), resource("old", SERVER, {})]),
    evaluation([
      resource("galaxy-server", SERVER, { powerState: "shutoff" }),
      resource("new", SERVER, {}, { protect: true }),
    ]),
  );

  test("text: a summary line, then one line per resource and its changed inputs", () => {
    expect(formatDiff(diff, "text")).toBe(
      [
        "Stack iu: 1 to create, 1 to update, 0 to replace, 1 to delete, 0 unchanged",
        "  -  delete  old  openstack:compute/instance:Instance",
        "  ~  update  galaxy-server  openstack:compute/instance:Instance",
        '        powerState: "active" -> "shutoff"',
        "  +  create  new  openstack:compute/instance:Instance [protected]",
        "",
      ].join("\n"),
    );
  });

  test("markdown is a pull-request comment: heading with the stack, summary of counts, a table", () => {
    expect(formatDiff(diff, "markdown")).toBe(
      [
        "### `jetstream diff`: stack `iu`",
        "",
        "**1** to create, **1** to update, **0** to replace, **1** to delete, 0 unchanged",
        "",
        "| Change | Resource | Type | Inputs |",
        "| --- | --- | --- | --- |",
        "| - delete | `old` | `openstack:compute/instance:Instance` |  |",
        '| ~ update | `galaxy-server` | `openstack:compute/instance:Instance` | `powerState: "active" -> "shutoff"` |',
        "| + create [protected] | `new` | `openstack:compute/instance:Instance` |  |",
        "",
      ].join("\n"),
    );
  });

  test("json is the diff as data", () => {
    const parsed = JSON.parse(formatDiff(diff, "json"));
    expect(parsed.counts).toEqual({ create: 1, update: 1, replace: 0, delete: 1 });
    expect(parsed.changes.map((c: { name: string }) => c.name)).toEqual(["old", "galaxy-server", "new"]);
  });

  describe("inputs changed in the stack file but ignored by the server", () => {
    const INSTANCE = "urn:pulumi:iu::lappsgrid-jetstream::lappsgrid:jetstream:Instance::lappsgrid-galaxy";
    const server = (imageName: string, userData: string) =>
      resource(
        "lappsgrid-galaxy-server",
        SERVER,
        { imageName, userData },
        { parent: INSTANCE, ignoreChanges: ["imageName", "imageId", "userData"] },
      );
    const ignored = diffEvaluations(
      evaluation([server("Featured-Ubuntu22", "#cloud-config\npackages: [a]\n")]),
      evaluation([server("Featured-Ubuntu24", "#cloud-config\npackages: [b]\n")]),
    );

    test("text: apart from the changes, with what to set to let pulumi up apply them", () => {
      expect(formatDiff(ignored, "text")).toBe(
        [
          "Stack iu: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 unchanged",
          "  no resource changes",
          "  !  ignored lappsgrid-galaxy-server  openstack:compute/instance:Instance",
          '        changed in the stack file but ignored by the server (acceptRebuild: false): imageName "Featured-Ubuntu22" -> "Featured-Ubuntu24"',
          "        changed in the stack file but ignored by the server (acceptRebuild: false): userData text changed",
          "          - packages: [a]",
          "          + packages: [b]",
          "        set `acceptRebuild: true` on instance lappsgrid-galaxy to let `pulumi up` rebuild it: a new server replaces it (its root disk is wiped)",
          "",
        ].join("\n"),
      );
    });

    test("markdown: a warning under the table", () => {
      expect(formatDiff(ignored, "markdown")).toBe(
        [
          "### `jetstream diff`: stack `iu`",
          "",
          "**0** to create, **0** to update, **0** to replace, **0** to delete, 1 unchanged",
          "",
          "No resource changes.",
          "",
          "> [!WARNING]",
          "> Not applied by `pulumi up`:",
          '> - `lappsgrid-galaxy-server` changed in the stack file but ignored by the server (acceptRebuild: false): `imageName "Featured-Ubuntu22" -> "Featured-Ubuntu24"`, `userData text changed`<br>`- packages: [a]`<br>`+ packages: [b]`; set `acceptRebuild: true` on instance `lappsgrid-galaxy` to let `pulumi up` rebuild it: a new server replaces it (its root disk is wiped)',
          "",
        ].join("\n"),
      );
    });

    test("json: an `ignored` field, the counts untouched", () => {
      const parsed = JSON.parse(formatDiff(ignored, "json"));
      expect(parsed.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
      expect(parsed.changes).toEqual([]);
      expect(parsed.ignored).toEqual([
        {
          urn: "urn:pulumi:iu::lappsgrid-jetstream::openstack:compute/instance:Instance::lappsgrid-galaxy-server",
          type: SERVER,
          name: "lappsgrid-galaxy-server",
          owner: "lappsgrid-galaxy",
          inputs: [
            {
              input: "imageName",
              old: "Featured-Ubuntu22",
              new: "Featured-Ubuntu24",
              forcesReplacement: false,
              warning: "rebuilds the server from the new image: the root disk is wiped",
            },
            {
              input: "userData",
              old: "#cloud-config\npackages: [a]\n",
              new: "#cloud-config\npackages: [b]\n",
              forcesReplacement: true,
            },
          ],
        },
      ]);
    });
  });

  test("a multi-line input shows only its changed lines", () => {
    const lines = diffEvaluations(
      evaluation([resource("c", COMMAND, { stdin: "a\nb\nc\n" })]),
      evaluation([resource("c", COMMAND, { stdin: "a\nB\nc\n" })]),
    );
    expect(formatDiff(lines, "text")).toContain(
      "        stdin: text changed\n          - b\n          + B\n",
    );
  });
});

describe("unifiedDiff", () => {
  test("prints hunks with three lines of context and git's headers", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n";
    const after = "1\n2\n3\n4\nfive\n6\n7\n8\n";
    expect(unifiedDiff(before, after, "Pulumi.iu.yaml")).toBe(
      "--- a/Pulumi.iu.yaml\n+++ b/Pulumi.iu.yaml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
    );
    expect(unifiedDiff(before, before, "f")).toBe("");
  });
});

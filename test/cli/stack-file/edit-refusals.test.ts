/**
 * The edit flow refuses an edit whose resource diff Jetstream2 would refuse, and prints the
 * warnings of one it accepts. The evaluations are built here from the stack text, so the rule
 * stands apart from what the program does today.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Evaluation } from "../../../cli/offline/evaluation";
import { runStackEdit } from "../../../cli/stack-file/edit-flow";
import { copyProject, read } from "../support";

const SERVER = "openstack:compute/instance:Instance";

/** The galaxy server with the power state its stack text asks for. */
function evaluateFromText(options: { stackFileText?: string }): Promise<Evaluation> {
  const state = /lappsgrid-galaxy:\n(?: {6}.*\n)*? {6}state: (\w+)/.exec(options.stackFileText ?? "")?.[1];
  const powerState = { active: "active", stopped: "shutoff", shelved: "shelved_offloaded" }[
    state ?? "active"
  ];
  return Promise.resolve({
    stack: "iu",
    resources: [
      {
        urn: `urn:pulumi:iu::lappsgrid-jetstream::${SERVER}::lappsgrid-galaxy-server`,
        type: SERVER,
        name: "lappsgrid-galaxy-server",
        parent: "",
        custom: true,
        inputs: { name: "lappsgrid-galaxy", powerState, networks: [{ port: "port-1" }] },
        protect: false,
        retainOnDelete: false,
        ignoreChanges: [],
      },
    ],
    outputs: {},
    mockValues: [],
  });
}

const STATE_LINE = "      state: active\n";

function projectWithGalaxy(state: string): string {
  const dir = copyProject();
  const file = join(dir, "Pulumi.iu.yaml");
  // The site is offline: a stopped or shelved galaxy cannot be the online proxy target.
  writeFileSync(
    file,
    read(dir, "Pulumi.iu.yaml")
      .replace(STATE_LINE, `      state: ${state}\n`)
      .replace("    mode: online\n", "    mode: offline\n"),
  );
  return dir;
}

function setGalaxyState(state: string) {
  return (file: { text: string }) => ({
    text: file.text.replace(/( {6}state: )\w+\n/, `$1${state}\n`),
    summary: `galaxy -> ${state}`,
  });
}

describe("an edit the cloud would refuse", () => {
  test("is rejected with the refusal, and the stack file stays as it was", async () => {
    const dir = projectWithGalaxy("shelved");
    const before = read(dir, "Pulumi.iu.yaml");
    const output: string[] = [];
    await expect(
      runStackEdit({ stack: "iu", dir }, setGalaxyState("stopped"), {
        evaluate: evaluateFromText,
        write: (text) => output.push(text),
      }),
    ).rejects.toThrow(
      "Pulumi.iu.yaml left unchanged: `pulumi up` would fail on the cloud after this edit:\n  error: lappsgrid-galaxy-server (openstack:compute/instance:Instance): nova refuses to stop a shelved server (409 \"Cannot 'stop' instance ... while it is in vm_state shelved_offloaded\"): take two steps, `jetstream resume lappsgrid-galaxy` and `pulumi up`, then `jetstream stop lappsgrid-galaxy` and `pulumi up`",
    );
    expect(read(dir, "Pulumi.iu.yaml")).toBe(before);
    expect(output).toEqual([]);
  });

  test("one the cloud accepts is written", async () => {
    const dir = projectWithGalaxy("stopped");
    const output: string[] = [];
    await runStackEdit({ stack: "iu", dir }, setGalaxyState("shelved"), {
      evaluate: evaluateFromText,
      write: (text) => output.push(text),
    });
    expect(read(dir, "Pulumi.iu.yaml")).toContain("      state: shelved\n");
    expect(output.join("")).toContain('        powerState: "shutoff" -> "shelved_offloaded"\n');
  });
});

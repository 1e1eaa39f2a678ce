/**
 * The offline cloud makes up private addresses for new ports: never one a server of the
 * project already holds (inventory) or one the stack file names, so a plan or diff never shows
 * a literal of the stack file as made up, nor a change the edit did not make.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValueMarker } from "../../cli/plan/format";
import { PROJECT_DIR, runVerb } from "./support";

jest.setTimeout(180_000);

/** The project as shipped: IU's proxy targets the hand-made Galaxy at 10.0.0.12 (inventory/iu.yaml). */
function shippedProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "jetstream-mock-addresses-"));
  for (const file of ["Pulumi.yaml", "Pulumi.iu.yaml", "Pulumi.tacc.yaml"]) {
    copyFileSync(join(PROJECT_DIR, file), join(dir, file));
  }
  mkdirSync(join(dir, "inventory"));
  for (const file of ["iu.yaml", "tacc.yaml"]) {
    copyFileSync(join(PROJECT_DIR, "inventory", file), join(dir, "inventory", file));
  }
  return dir;
}

test("launching two unrelated instances shows no change to the proxy site targeting 10.0.0.12", () => {
  const dir = shippedProject();
  expect(runVerb(["launch", "a", "--stack", "iu", "--dir", dir], { resourceDiff: true }).code).toBe(0);
  const run = runVerb(["launch", "b", "--stack", "iu", "--dir", dir], { resourceDiff: true });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const resources = run.stdout.slice(run.stdout.indexOf("Resources"), run.stdout.indexOf("Next:"));
  expect(resources).toBe(
    [
      "Resources (offline evaluation, before -> after this edit):",
      "Stack iu: 3 to create, 0 to update, 0 to replace, 0 to delete, 21 unchanged",
      "  +  create  lappsgrid-b  lappsgrid:jetstream:Instance",
      "  +  create  lappsgrid-b-server  openstack:compute/instance:Instance",
      "  +  create  lappsgrid-b-port  openstack:networking/port:Port",
      "",
      "",
    ].join("\n"),
  );
});

test("plan leaves the stack file's literal target unmarked and gives no port an address the inventory holds", () => {
  const dir = shippedProject();
  expect(runVerb(["launch", "a", "--stack", "iu", "--dir", dir]).code).toBe(0);
  expect(runVerb(["launch", "b", "--stack", "iu", "--dir", dir]).code).toBe(0);
  const run = runVerb(["plan", "--stack", "iu", "--dir", dir]);
  expect(run.code).toBe(0);
  const lines = run.stdout.split("\n");
  expect(lines.filter((line) => line.includes("upstream:"))).toEqual([
    "  publicProxy: {domain: jetstream.lappsgrid.org, mode: online, upstream: 10.0.0.12:8080}",
  ]);
  expect(lines.filter((line) => / {4}lappsgrid-(a|b|proxy): size/.test(line))).toEqual([
    "    lappsgrid-a: size medium (m3.medium), active, private 10.0.0.10 (mock), public none, 8 SU/hour",
    "    lappsgrid-b: size medium (m3.medium), active, private 10.0.0.11 (mock), public none, 8 SU/hour",
    "    lappsgrid-proxy: size tiny (m3.tiny), active, private 10.0.0.13 (mock), public 149.165.157.82, 1 SU/hour",
  ]);
});

describe("a value is marked (mock) only when it holds a made-up value whole", () => {
  const marker = new ValueMarker({
    stack: "lab",
    resources: [],
    outputs: {},
    mockValues: ["10.0.0.10", "192.0.2.11"],
    notes: [],
  });
  test.each([
    ["10.0.0.10:8080", "10.0.0.10:8080 (mock)"],
    ["host 10.0.0.10", "host 10.0.0.10 (mock)"],
    ["192.0.2.11", "192.0.2.11 (mock)"],
    ["10.0.0.105:8080", "10.0.0.105:8080"],
    ["110.0.0.10", "110.0.0.10"],
    ["192.0.2.110", "192.0.2.110"],
  ])("%s shows as %s", (value, shown) => {
    expect(marker.show(value)).toBe(shown);
  });
});

/**
 * `pulumi preview` runs the program with the values the engine decoded from the stack file:
 * `size: 1e3` arrives as 1000, `target: 0x0A00000C` as 167772172. A refusal names the number
 * as the file in the project folder writes it, when that file holds the value the engine passed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../../config/program";

const STACK_FILE = [
  "config:",
  "  lappsgrid-jetstream:cloud: TACC",
  "  lappsgrid-jetstream:instances:",
  "    lappsgrid-a:",
  "      size: 1e3",
  "",
].join("\n");

let dir: string;
const started = process.cwd();

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: () => {
        throw new Error("no resource may be registered");
      },
      call: () => {
        throw new Error("no data source may be read");
      },
    },
    "lappsgrid-jetstream",
    "lab",
  );
  dir = mkdtempSync(join(tmpdir(), "program-numbers-"));
  writeFileSync(join(dir, "Pulumi.lab.yaml"), STACK_FILE);
  // The engine runs the program in the project folder, beside its stack files.
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(started);
  rmSync(dir, { recursive: true, force: true });
});

function refusal(): string {
  try {
    loadStackConfig();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return "";
}

test("a number the engine decoded is named as the stack file writes it", () => {
  pulumi.runtime.setAllConfig(
    {
      "lappsgrid-jetstream:cloud": "TACC",
      "lappsgrid-jetstream:instances": '{"lappsgrid-a":{"size":1000}}',
    },
    [],
  );
  expect(refusal()).toBe(
    "invalid config in Pulumi.lab.yaml:\ninstances.lappsgrid-a.size: 1e3 is not a size; allowed: tiny, small, medium, large, xlarge",
  );
});

test("a value the engine got elsewhere (pulumi up --config) is named as the engine passed it", () => {
  pulumi.runtime.setAllConfig(
    {
      "lappsgrid-jetstream:cloud": "TACC",
      "lappsgrid-jetstream:instances": '{"lappsgrid-a":{"size":1000,"image":"docker"}}',
    },
    [],
  );
  expect(refusal()).toBe(
    "invalid config in Pulumi.lab.yaml:\ninstances.lappsgrid-a.size: 1000 is not a size; allowed: tiny, small, medium, large, xlarge",
  );
});

/**
 * One measurement of `npm run bench`, in its own process so peak memory is its own:
 *   stack-size-worker.ts program N   the real program for a generated stack of N instances
 *   stack-size-worker.ts floor R     R bare provider resources, no components, no config
 * Prints {"resources", "ms", "maxRssMiB"} as JSON.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { evaluateInProcess } from "../cli/offline/evaluate";
import { MockCloud } from "../cli/offline/mock-cloud";

const SIZES = ["tiny", "small", "medium", "large", "xlarge"];
const STATES = ["active", "stopped", "shelved"];

function generatedStack(instances: number): string {
  const lines = [
    "config:",
    "  lappsgrid-jetstream:cloud: BENCH",
    "  lappsgrid-jetstream:network:",
    "    cidr: 10.0.0.0/16",
    "  lappsgrid-jetstream:instances:",
  ];
  for (let i = 0; i < instances; i++) {
    lines.push(
      `    worker-${i}:`,
      `      size: ${SIZES[i % SIZES.length]}`,
      `      state: ${STATES[i % STATES.length]}`,
    );
    if (i % 2 === 0) lines.push("      ip: assign");
  }
  return `${lines.join("\n")}\n`;
}

async function runProgram(instances: number): Promise<number> {
  const projectDir = mkdtempSync(join(tmpdir(), "bench-"));
  writeFileSync(join(projectDir, "Pulumi.yaml"), "name: lappsgrid-jetstream\nruntime: nodejs\n");
  const evaluation = await evaluateInProcess({
    projectDir,
    stack: "bench",
    stackFileText: generatedStack(instances),
  });
  return evaluation.resources.filter((r) => r.custom).length;
}

async function runFloor(resources: number): Promise<number> {
  const cloud = new MockCloud("10.0.0.0/16");
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => cloud.newResource({ type: args.type, name: args.name, inputs: args.inputs }),
      call: (args) => cloud.call(args.token, args.inputs),
    },
    "lappsgrid-jetstream",
    "floor",
    false,
  );
  await pulumi.runtime.runInPulumiStack(async () => {
    for (let i = 0; i < resources; i++) {
      new openstack.networking.Port(`port-${i}`, { networkId: "net", adminStateUp: true });
    }
    return {};
  });
  return resources;
}

async function main(): Promise<void> {
  const [mode, countText] = process.argv.slice(2);
  const count = Number(countText);
  const started = process.hrtime.bigint();
  const resources = mode === "floor" ? await runFloor(count) : await runProgram(count);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ resources, ms, maxRssMiB }));
}

void main();

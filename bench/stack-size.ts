/**
 * `npm run bench`: how the program scales with the number of instances. Evaluates generated
 * stacks of 10, 100 and 500 instances under the offline mocks, and for each the floor: the
 * same number of bare provider resources registered with no components and no config. Every
 * number comes from this one run; ratios say what components and validation cost.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { alignColumns } from "../cli/columns";

interface Measurement {
  resources: number;
  ms: number;
  maxRssMiB: number;
}

const WORKER = join(__dirname, "stack-size-worker.ts");
const RUNNER = join(__dirname, "..", "bin", "run-ts.js");

function measure(mode: "program" | "floor", count: number): Measurement {
  const output = execFileSync(process.execPath, [RUNNER, WORKER, mode, String(count)], { encoding: "utf8" });
  return JSON.parse(output) as Measurement;
}

function main(): void {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const instanceCounts = sizes.length > 0 ? sizes : [10, 100, 500];
  const header = [
    "instances",
    "resources",
    "program ms",
    "floor ms",
    "time ratio",
    "program MiB",
    "floor MiB",
    "memory ratio",
  ];
  const rows: string[][] = [];
  for (const instances of instanceCounts) {
    process.stderr.write(`evaluating ${instances} instances...\n`);
    const program = measure("program", instances);
    const floor = measure("floor", program.resources);
    rows.push([
      String(instances),
      String(program.resources),
      program.ms.toFixed(0),
      floor.ms.toFixed(0),
      `${(program.ms / floor.ms).toFixed(2)}x`,
      program.maxRssMiB.toFixed(0),
      floor.maxRssMiB.toFixed(0),
      `${(program.maxRssMiB / floor.maxRssMiB).toFixed(2)}x`,
    ]);
  }
  console.log("Offline evaluation: the program vs. the same number of bare provider resources (floor)");
  for (const line of alignColumns([header, ...rows], { align: () => "right" })) console.log(line);
}

main();

/**
 * `npm run bench:cli`: how long an operator waits for the CLI. Every case runs N times
 * (`--runs N`, default 5), the cases interleaved round by round so a busy machine slows them
 * alike; the medians are compared with floors measured in the same run: `node -e 0` for help
 * and argument errors, loading `@pulumi/pulumi` and `@pulumi/openstack` in plain Node for an
 * offline evaluation. `--suite` also times the whole jest suite once.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "bin", "jetstream.js");

interface Case {
  name: string;
  args: string[];
  /** The exit code the case must end with: a benchmark of a failing command measures nothing. */
  exitCode: number;
  /** Runs before each run of the case, outside the measured time. */
  prepare?: () => void;
}

/** A copy of the shipped stacks for the editing verb, fresh for every run. */
const editDir = mkdtempSync(join(tmpdir(), "bench-cli-"));
function freshEditDir(dir = editDir): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (source) =>
      source === ROOT || /^(Pulumi.*\.yaml|inventory)$/.test(source.slice(ROOT.length + 1).split("/")[0]),
  });
}

/**
 * The same copy as a git clone whose HEAD holds it: an edit reads HEAD's stack file, and
 * evaluates it as a third file only when the file differs from it (`changed`: a comment added).
 */
const cloneDir = mkdtempSync(join(tmpdir(), "bench-cli-clone-"));
function freshClone(changed: boolean): void {
  freshEditDir(cloneDir);
  const git = (...args: string[]) =>
    spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.org", ...args], {
      cwd: cloneDir,
    });
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "applied");
  if (changed) appendFileSync(join(cloneDir, "Pulumi.iu.yaml"), "# not committed yet\n");
}

const CASES: Case[] = [
  { name: "node -e 0", args: ["-e", "0"], exitCode: 0 },
  {
    name: "load @pulumi/pulumi + @pulumi/openstack",
    args: ["-e", 'require("@pulumi/pulumi");require("@pulumi/openstack")'],
    exitCode: 0,
  },
  { name: "jetstream --help", args: [CLI, "--help"], exitCode: 0 },
  { name: "jetstream launch --help", args: [CLI, "launch", "--help"], exitCode: 0 },
  { name: "jetstream launch (no NAME)", args: [CLI, "launch"], exitCode: 1 },
  { name: "jetstream plan --stack iu", args: [CLI, "plan", "--stack", "iu"], exitCode: 0 },
  {
    name: "jetstream launch bench --stack iu",
    args: [CLI, "launch", "bench", "--stack", "iu", "--dir", editDir],
    exitCode: 0,
    prepare: freshEditDir,
  },
  {
    name: "jetstream launch bench --stack iu (git clone, file as HEAD)",
    args: [CLI, "launch", "bench", "--stack", "iu", "--dir", cloneDir],
    exitCode: 0,
    prepare: () => freshClone(false),
  },
  {
    name: "jetstream launch bench --stack iu (git clone, file changed since HEAD)",
    args: [CLI, "launch", "bench", "--stack", "iu", "--dir", cloneDir],
    exitCode: 0,
    prepare: () => freshClone(true),
  },
];

function runOnce(command: Case): number {
  command.prepare?.();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command.args, { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== command.exitCode) {
    throw new Error(
      `${command.name}: exit ${result.status}, expected ${command.exitCode}: ${result.stderr.trim().split("\n")[0]}`,
    );
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

function main(): void {
  const runs = Number(option("--runs") ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`--runs: ${option("--runs")} is not a whole number of runs; allowed: 1 or more`);
  }
  const times = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  // One warm-up round: tsx keeps its transpiled files in a cache, as it does for an operator.
  for (const command of CASES) runOnce(command);
  for (let round = 1; round <= runs; round++) {
    process.stderr.write(`round ${round} of ${runs}\n`);
    for (const command of CASES) times.get(command.name)?.push(runOnce(command));
  }
  rmSync(editDir, { recursive: true, force: true });
  rmSync(cloneDir, { recursive: true, force: true });
  const medians = new Map([...times].map(([name, values]) => [name, median(values)]));
  const ms = (name: string) => medians.get(name) ?? Number.NaN;
  console.log(`Median of ${runs} runs (node ${process.version}):`);
  for (const command of CASES)
    console.log(`  ${ms(command.name).toFixed(0).padStart(6)} ms  ${command.name}`);
  const ratios: [string, number, number][] = [
    ["plan --stack iu / loading the SDK and provider", ms(CASES[5].name) / ms(CASES[1].name), 2],
    ["--help / node -e 0", ms(CASES[2].name) / ms(CASES[0].name), 5],
    ["launch --help / node -e 0", ms(CASES[3].name) / ms(CASES[0].name), 5],
    ["argument error / node -e 0", ms(CASES[4].name) / ms(CASES[0].name), 5],
    ["an edit (launch) / plan: one evaluation for both files", ms(CASES[6].name) / ms(CASES[5].name), 1.5],
    [
      "an edit in a git clone, file as HEAD / outside one: no third evaluation",
      ms(CASES[7].name) / ms(CASES[6].name),
      1.1,
    ],
  ];
  console.log("Ratios (target):");
  for (const [name, ratio, target] of ratios) {
    console.log(
      `  ${ratio.toFixed(2).padStart(6)}x  (<= ${target}x${ratio <= target ? "" : ", OVER"})  ${name}`,
    );
  }
  if (process.argv.includes("--suite")) {
    process.stderr.write("running the jest suite...\n");
    const started = process.hrtime.bigint();
    const jest = spawnSync(process.execPath, [join(ROOT, "node_modules", "jest", "bin", "jest.js")], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const summary = jest.stderr.split("\n").filter((line) => /^(Tests|Test Suites):/.test(line));
    console.log(`npx jest: ${seconds.toFixed(0)} s wall, exit ${jest.status}; ${summary.join("; ")}`);
  }
}

main();

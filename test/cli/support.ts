/** Shared by the CLI verb tests: a throwaway copy of the project's stack files and a way to run verbs. */

import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unifiedDiff } from "../../cli/resource-diff/format";
import { runJetstream } from "../helpers/cli";

export const PROJECT_DIR = join(__dirname, "..", "..");
export const SHIPPED_FILES = ["Pulumi.yaml", "Pulumi.iu.yaml", "Pulumi.tacc.yaml"];

/**
 * Where the verb tests take each file from: the IU stack with a Galaxy and a proxy the stack
 * built itself (test/fixtures/stacks/README.md), the others as shipped.
 */
function sourceOf(file: string): string {
  return file === "Pulumi.iu.yaml"
    ? join(PROJECT_DIR, "test", "fixtures", "stacks", file)
    : join(PROJECT_DIR, file);
}

/** A temp project folder holding copies of Pulumi.yaml and the stack files the verbs edit. */
export function copyProject(files: string[] = SHIPPED_FILES): string {
  const dir = mkdtempSync(join(tmpdir(), "jetstream-verbs-"));
  for (const file of files) copyFileSync(sourceOf(file), join(dir, file));
  return dir;
}

/** The file as copyProject copies it. */
export function shipped(file: string): string {
  return readFileSync(sourceOf(file), "utf8");
}

export function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), "utf8");
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The `+`/`-` lines of the unified diff between two texts: what a reviewer sees change. */
export function changedLines(before: string, after: string): string[] {
  return unifiedDiff(before, after, "f")
    .split("\n")
    .filter((line) => /^[+-]/.test(line) && !/^(\+\+\+|---) /.test(line));
}

export function commentLines(text: string): string[] {
  return text.split("\n").filter((line) => /^\s*#/.test(line));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Evaluations shared by the verbs of one test file (test/helpers/shared-evaluations.ts). */
let sharedEvaluations: string | undefined;

/**
 * Runs `jetstream ARGS` (test/helpers/cli.ts: in the test file's CLI process, or a child
 * process of its own for plan, ssh and visit) with PULUMI_STACK unset unless given. Tests of the
 * file edit alone skip the offline evaluation; `resourceDiff: true` runs it as the user's run
 * does (the program evaluated before and after the edit, evaluations shared within the file).
 */
export function runVerb(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; resourceDiff?: boolean; cwd?: string; timeoutMs?: number } = {},
): RunResult {
  sharedEvaluations ??= mkdtempSync(join(tmpdir(), "jetstream-evaluations-"));
  const evaluate = options.resourceDiff ?? false;
  const run = runJetstream(argv, {
    ...options,
    resourceDiff: evaluate,
    env: { JETSTREAM_TEST_EVALUATIONS: evaluate ? sharedEvaluations : "", ...options.env },
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** The resource-level part of a verb's report: from its heading to the blank line before "Next:". */
export function resourceReport(stdout: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.indexOf("Resources (offline evaluation, before -> after this edit):");
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && line.startsWith("Next: "));
  return lines.slice(start + 1, end === -1 ? undefined : end - 1);
}

/** Reading the GitHub workflows as data, for the tests that hold them to the operator's guide. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const ROOT = join(__dirname, "..", "..");
export const WORKFLOW_DIR = join(ROOT, ".github", "workflows");

export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}

export interface Job {
  name?: string;
  uses?: string;
  if?: string;
  needs?: string | string[];
  environment?: string;
  env?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: { matrix?: Record<string, unknown> };
  permissions?: Record<string, string>;
  steps?: Step[];
  with?: Record<string, unknown>;
}

export interface Workflow {
  file: string;
  text: string;
  name: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function readWorkflows(): Workflow[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((file) => file.endsWith(".yml"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(WORKFLOW_DIR, file), "utf8");
      return { file, text, ...(parse(text) as Omit<Workflow, "file" | "text">) };
    });
}

export function allSteps(workflow: Workflow): { job: string; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([job, definition]) =>
    (definition.steps ?? []).map((step) => ({ job, step })),
  );
}

/** Flags that take no value, so the word after them is the next argument. */
const BOOLEAN_FLAGS = new Set([
  "--yes",
  "--secret",
  "--non-interactive",
  "--fail-on-drift",
  "--json",
  "--local",
  "--diff",
  "--refresh",
  "--preview-only",
]);

/**
 * What a `jetstream`/`pulumi` command line commits to, without its variable parts: the tool,
 * its literal words and its flags. `npx jetstream diff --stack "$STACK" --format markdown` ->
 * `jetstream diff --format=markdown --stack`. Placeholders (`$STACK`, `iu`, `S`, `<name>`)
 * after a flag are values, not commitments, except for choices like `--format markdown`.
 */
export function commandSignature(line: string): string | undefined {
  const words = line
    .trim()
    .replace(/^npx\s+/, "")
    .split(/\s+/);
  const tool = words[0];
  if (tool !== "jetstream" && tool !== "pulumi") return undefined;
  const literal: string[] = [];
  const flags: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (/^[|;&>#]/.test(word)) break;
    if (word.startsWith("--")) {
      const [flag, inline] = word.split("=");
      const value = inline ?? (BOOLEAN_FLAGS.has(flag) ? undefined : words[i + 1]);
      if (inline === undefined && value !== undefined) i++;
      flags.push(flag === "--format" && value ? `${flag}=${value}` : flag);
    } else if (/^[a-z][a-zA-Z-]*$/.test(word) && literal.length < 3) {
      literal.push(word);
    }
  }
  return [tool, ...literal, ...flags.sort()].join(" ");
}

/** Every jetstream/pulumi command line in a shell script (after `npx`, `if`, `then`, pipes). */
export function commandsIn(script: string): string[] {
  const commands: string[] = [];
  for (const raw of script.split("\n")) {
    for (const piece of raw.split(/\|\s|;\s|&&|\bthen\b/)) {
      // stack-lock.sh only retries (or skips) the command it is handed when the stack is locked.
      const line = piece
        .trim()
        .replace(/^(if|else)\s+/, "")
        .replace(/^\.github\/scripts\/stack-lock\.sh (wait|skip)\s+/, "");
      if (/^(npx\s+)?(jetstream|pulumi)\s/.test(line) || line === "pulumi login") commands.push(line);
    }
  }
  return commands;
}

/** Shared by the pipeline tests: the workflows as data, fake commands, the scripts the steps run. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Job, ROOT, readWorkflows, type Workflow } from "./workflow-files";

export const workflows = readWorkflows();
export const byFile = (file: string): Workflow => {
  const workflow = workflows.find((candidate) => candidate.file === file);
  if (!workflow) throw new Error(`${file} is missing`);
  return workflow;
};
export const guide = readFileSync(join(ROOT, "README.md"), "utf8");
/** A GitHub Actions expression as the YAML holds it: gh("matrix.stack") is "${{ matrix.stack }}". */
export const gh = (expression: string) => `\${{ ${expression} }}`;
const SCRIPTS = join(ROOT, ".github", "scripts");

/** Every job that runs steps, with the workflow it is in. */
export const stepJobs = workflows.flatMap((workflow) =>
  Object.entries(workflow.jobs)
    .filter(([, job]) => job.steps !== undefined)
    .map(([name, job]) => ({ file: workflow.file, name, job: job as Job & { "timeout-minutes"?: number } })),
);
export const runsOf = (job: Job) => (job.steps ?? []).map((step) => step.run ?? "").join("\n");

/** A folder of fake commands on PATH: each prints its lines and exits with its status. */
export function fakeBin(commands: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-bin-"));
  for (const [name, script] of Object.entries(commands)) {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${script}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

export function runScript(script: string, args: string[], env: Record<string, string>, cwd = ROOT) {
  return spawnSync("bash", [join(SCRIPTS, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env, ...(env.BIN ? { PATH: `${env.BIN}:${process.env.PATH}` } : {}) },
    encoding: "utf8",
  });
}

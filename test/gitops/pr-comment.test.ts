import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { allSteps, ROOT, readWorkflows } from "./workflow-files";

/**
 * The pull-request comment, produced locally by the workflow's own step: a copy of the
 * committed project, `jetstream suspend galaxy` committed on a branch, then the `diff` job's
 * script with the environment GitHub would give it.
 */
const workflow = () => readWorkflows().find((candidate) => candidate.file === "pull-request.yml");

/** The diff job's script, run in a copy of the project on a branch made by `change`. */
function runDiffStep(
  change: (repo: string, env: NodeJS.ProcessEnv, git: (...args: string[]) => void) => void,
) {
  const step = allSteps(workflow()!).find(
    ({ step }) => step.name === "Offline diff against the base branch",
  )?.step;
  expect(step?.run).toBeDefined();

  const repo = mkdtempSync(join(tmpdir(), "pr-comment-"));
  const archive = execFileSync("git", ["archive", "HEAD"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  execFileSync("tar", ["-x", "-C", repo], { input: archive });
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
  // The IU stack with a Galaxy the stack built itself (test/fixtures/stacks/README.md): the
  // inventory's Galaxy carries the stack's metadata, so it is that one, not the hand-made one.
  copyFileSync(join(ROOT, "test", "fixtures", "stacks", "Pulumi.iu.yaml"), join(repo, "Pulumi.iu.yaml"));
  const inventory = join(repo, "inventory", "iu.yaml");
  writeFileSync(
    inventory,
    readFileSync(inventory, "utf8").replace(
      "    imageId: 00000000-0000-4000-8000-000000000105\n",
      "    imageId: 00000000-0000-4000-8000-000000000105\n    metadata: { lappsgrid-role: service, lappsgrid-size: large }\n",
    ),
  );
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: repo });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "base");
  git("update-ref", "refs/remotes/origin/main", "HEAD");
  const env = {
    ...process.env,
    PATH: [dirname(process.execPath), process.env.PATH].join(":"),
    PULUMI_STACK: "",
  };
  change(repo, env, git);

  const summary = join(repo, "step-summary.md");
  writeFileSync(summary, "");
  const run = spawnSync("bash", ["-c", step!.run!], {
    cwd: repo,
    env: { ...env, STACK: "iu", BASE_REF: "main", PR_NUMBER: "42", GITHUB_STEP_SUMMARY: summary },
    encoding: "utf8",
  });
  return { repo, run, summary };
}

test("the diff job's script writes the PR comment: marker, the markdown diff, the pull request number", () => {
  const { repo, run, summary } = runDiffStep((repo, env, git) => {
    // galaxy is the online proxy target: main takes the site offline before galaxy may shelve.
    const file = join(repo, "Pulumi.iu.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("    mode: online\n", "    mode: offline\n"));
    git("commit", "-qam", "site offline on main");
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    git("switch", "-qc", "shelve-galaxy");
    execFileSync(process.execPath, ["bin/jetstream.js", "suspend", "galaxy", "--stack", "iu"], {
      cwd: repo,
      env,
    });
    git("commit", "-qam", "shelve galaxy");
  });
  expect(run.stderr).not.toMatch(/error/i);
  expect(run.status).toBe(0);
  const comment = readFileSync(join(repo, "pr-comment", "iu.md"), "utf8");
  expect(comment.split("\n").slice(0, 2)).toEqual([
    "<!-- jetstream-diff:iu -->",
    "### `jetstream diff`: stack `iu`",
  ]);
  // Exactly one change: the galaxy server's power state (the blast radius of `suspend`).
  expect(comment).toContain("**0** to create, **1** to update, **0** to replace, **0** to delete");
  expect(comment).toContain(
    '| ~ update | `lappsgrid-galaxy-server` | `openstack:compute/instance:Instance` | `powerState: "active" -> "shelved_offloaded"` |',
  );
  expect(readFileSync(join(repo, "pr-comment", "pull-request-number"), "utf8")).toBe("42\n");
  expect(readFileSync(summary, "utf8")).toBe(comment);
}, 180000);

test("a change the cloud would refuse still reaches the PR comment and the step summary, then fails the job", () => {
  const { repo, run, summary } = runDiffStep((repo, _env, git) => {
    const file = join(repo, "Pulumi.iu.yaml");
    // The site is offline: a stopped or shelved galaxy cannot be the online proxy target.
    const text = readFileSync(file, "utf8").replace("    mode: online\n", "    mode: offline\n");
    writeFileSync(file, text.replace("      state: active\n", "      state: shelved\n"));
    git("commit", "-qam", "galaxy shelved on main");
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    git("switch", "-qc", "stop-galaxy");
    writeFileSync(file, text.replace("      state: active\n", "      state: stopped\n"));
    git("commit", "-qam", "stop galaxy");
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(
    "jetstream: pulumi up would fail on stack iu: 1 change(s) the cloud refuses (listed above)",
  );
  const comment = readFileSync(join(repo, "pr-comment", "iu.md"), "utf8");
  expect(comment).toContain("> [!CAUTION]\n> `pulumi up` would fail: 1 change(s) the cloud refuses.\n");
  expect(readFileSync(join(repo, "pr-comment", "pull-request-number"), "utf8")).toBe("42\n");
  expect(readFileSync(summary, "utf8")).toBe(comment);
  const upload = allSteps(workflow()!).find(
    ({ job, step }) => job === "diff" && step.uses?.startsWith("actions/upload-artifact@"),
  );
  expect(upload?.step.if).toBe(`\${{ !cancelled() }}`);
}, 180000);

/** `jetstream diff` against git refs of a throwaway repository, and the resource diff printed after an edit. */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyProject, runVerb } from "../support";

jest.setTimeout(120_000);

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.org", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
}

/**
 * The IU site offline: galaxy is its online target, and an online target may not be stopped
 * or shelved (the site would forward to a server that is down).
 */
function takeIuOffline(dir: string): string {
  const file = join(dir, "Pulumi.iu.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("    mode: online\n", "    mode: offline\n"));
  return dir;
}

/** A repository whose first commit has only the IU stack (site offline) and whose second adds TACC. */
function repository(): string {
  const dir = takeIuOffline(copyProject());
  git(dir, "init", "-q");
  git(dir, "add", "Pulumi.yaml", "Pulumi.iu.yaml");
  git(dir, "commit", "-q", "-m", "iu");
  git(dir, "add", "Pulumi.tacc.yaml");
  git(dir, "commit", "-q", "-m", "tacc");
  return dir;
}

const SUMMARY = /^Stack iu: 0 to create, 1 to update, 0 to replace, 0 to delete, \d+ unchanged$/;

describe("jetstream diff", () => {
  test("a suspend since HEAD is one update of the server's power state", () => {
    const dir = repository();
    runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]);
    const result = runVerb(["diff", "--stack", "iu", "--dir", dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(SUMMARY);
    expect(lines.slice(1)).toEqual([
      "  ~  update  lappsgrid-galaxy-server  openstack:compute/instance:Instance",
      '        powerState: "active" -> "shelved_offloaded"',
      "",
    ]);
  });

  test("--format markdown is a pull-request comment", () => {
    const dir = repository();
    runVerb(["stop", "galaxy", "--stack", "iu", "--dir", dir]);
    const lines = runVerb(["diff", "--stack", "iu", "--dir", dir, "--format", "markdown"]).stdout.split("\n");
    expect(lines[0]).toBe("### `jetstream diff`: stack `iu`");
    expect(lines[2]).toMatch(
      /^\*\*0\*\* to create, \*\*1\*\* to update, \*\*0\*\* to replace, \*\*0\*\* to delete, \d+ unchanged$/,
    );
    expect(lines.slice(4)).toEqual([
      "| Change | Resource | Type | Inputs |",
      "| --- | --- | --- | --- |",
      '| ~ update | `lappsgrid-galaxy-server` | `openstack:compute/instance:Instance` | `powerState: "active" -> "shutoff"` |',
      "",
    ]);
  });

  test("--format json gives the counts and changes as data", () => {
    const dir = repository();
    runVerb(["launch", "web", "--stack", "tacc", "--dir", dir]);
    const diff = JSON.parse(runVerb(["diff", "--stack", "tacc", "--dir", dir, "--format", "json"]).stdout);
    expect(diff.counts).toEqual({ create: 3, update: 0, replace: 0, delete: 0 });
    expect(diff.changes.map((c: { name: string }) => c.name).sort()).toEqual([
      "lappsgrid-web",
      "lappsgrid-web-port",
      "lappsgrid-web-server",
    ]);
  });

  test("a stack file absent at --base means every resource is created", () => {
    const dir = repository();
    const lines = runVerb(["diff", "--stack", "tacc", "--dir", dir, "--base", "HEAD~1"]).stdout.split("\n");
    expect(lines[0]).toMatch(
      /^Stack tacc: \d+ to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged \(no stack file at the base\)$/,
    );
  });

  test("a stack file git cannot read at --base is an error, not a stack file absent there", () => {
    const dir = repository();
    // The blob of Pulumi.tacc.yaml as committed, removed from the object store: a damaged clone.
    const blob = git(dir, "rev-parse", "HEAD:Pulumi.tacc.yaml").trim();
    rmSync(join(dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const result = runVerb(["diff", "--stack", "tacc", "--dir", dir, "--base", "HEAD"]);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(1);
    // Git's own words for the damage vary with its version; ours around them do not.
    expect(result.stderr).toMatch(
      /^jetstream: --base: git cannot read Pulumi\.tacc\.yaml at "HEAD" \(fatal: [^\n]+\); allowed: a ref where git can show the stack file\n$/,
    );
  });

  test("an image change without acceptRebuild is reported as ignored, not hidden; with it, an update", () => {
    const dir = repository();
    const file = join(dir, "Pulumi.iu.yaml");
    const galaxy = "    lappsgrid-galaxy:\n      size: large\n      image: docker\n";
    const text = readFileSync(file, "utf8");
    expect(text).toContain(galaxy);
    writeFileSync(file, text.replace(galaxy, galaxy.replace("image: docker", "image: master")));
    const ignored = runVerb(["diff", "--stack", "iu", "--dir", dir]);
    expect(ignored.stderr).toBe("");
    const lines = ignored.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^Stack iu: 0 to create, 0 to update, 0 to replace, 0 to delete, \d+ unchanged$/,
    );
    expect(lines.slice(1)).toEqual([
      "  no resource changes",
      "  !  ignored lappsgrid-galaxy-server  openstack:compute/instance:Instance",
      '        changed in the stack file but ignored by the server (acceptRebuild: false): imageName "Featured-Ubuntu22-Docker" -> "lappsgrid-master"',
      "        set `acceptRebuild: true` on instance lappsgrid-galaxy to let `pulumi up` rebuild it (its root disk is wiped)",
      "",
    ]);

    writeFileSync(
      file,
      text.replace(galaxy, `${galaxy.replace("image: docker", "image: master")}      acceptRebuild: true\n`),
    );
    const accepted = runVerb(["diff", "--stack", "iu", "--dir", dir]).stdout.split("\n");
    expect(accepted[0]).toMatch(SUMMARY);
    expect(accepted.slice(1)).toEqual([
      "  ~  update  lappsgrid-galaxy-server  openstack:compute/instance:Instance",
      '        imageName: "Featured-Ubuntu22-Docker" -> "lappsgrid-master"  (rebuilds the server from the new image: the root disk is wiped)',
      "",
    ]);
  });

  test("a shelved server set to stopped since --base is an error naming the two-step path; diff exits 1", () => {
    const dir = repository();
    const file = join(dir, "Pulumi.iu.yaml");
    const galaxy =
      "    lappsgrid-galaxy:\n      size: large\n      image: docker\n      ip: assign\n      state: ";
    const text = readFileSync(file, "utf8");
    expect(text).toContain(`${galaxy}active\n`);
    writeFileSync(file, text.replace(`${galaxy}active\n`, `${galaxy}shelved\n`));
    git(dir, "commit", "-q", "-am", "shelve galaxy");
    writeFileSync(file, text.replace(`${galaxy}active\n`, `${galaxy}stopped\n`));
    const result = runVerb(["diff", "--stack", "iu", "--dir", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n").slice(1)).toEqual([
      "  ~  update  lappsgrid-galaxy-server  openstack:compute/instance:Instance",
      '        powerState: "shelved_offloaded" -> "shutoff"',
      "error: lappsgrid-galaxy-server (openstack:compute/instance:Instance): nova refuses to stop a shelved server (409 \"Cannot 'stop' instance ... while it is in vm_state shelved_offloaded\"): take two steps, `jetstream resume lappsgrid-galaxy` and `pulumi up`, then `jetstream stop lappsgrid-galaxy` and `pulumi up`",
      "!! pulumi up would fail: 1 change(s) the cloud refuses (errors above); fix them first.",
      "",
    ]);
    expect(result.stderr).toBe(
      "jetstream: pulumi up would fail on stack iu: 1 change(s) the cloud refuses (listed above)\n",
    );
  });

  test("a new instance created shelved is a warning with the SU it costs until a second up; diff exits 0", () => {
    const dir = repository();
    const file = join(dir, "Pulumi.iu.yaml");
    const galaxy = "    lappsgrid-galaxy:\n";
    const text = readFileSync(file, "utf8");
    writeFileSync(
      file,
      text.replace(galaxy, `    lappsgrid-tools:\n      size: small\n      state: shelved\n${galaxy}`),
    );
    const result = runVerb(["diff", "--stack", "iu", "--dir", dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toContain(
      "warning: lappsgrid-tools-server (openstack:compute/instance:Instance): state shelved is not applied when a server is created (the provider applies only shutoff at create): lappsgrid-tools boots ACTIVE and costs 2 SU/hour (active, not 0) until a second `pulumi up` shelves it; run `pulumi up` again right after this one",
    );
  });

  test("a stack file kept behind a link: diff compares the link's target at the base", () => {
    const dir = takeIuOffline(copyProject());
    mkdirSync(join(dir, "real"));
    renameSync(join(dir, "Pulumi.iu.yaml"), join(dir, "real", "iu.yaml"));
    symlinkSync("real/iu.yaml", join(dir, "Pulumi.iu.yaml"));
    git(dir, "init", "-q");
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "linked");
    expect(runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]).code).toBe(0);
    const result = runVerb(["diff", "--stack", "iu", "--dir", dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(SUMMARY);
    expect(lines.slice(1)).toEqual([
      "  ~  update  lappsgrid-galaxy-server  openstack:compute/instance:Instance",
      '        powerState: "active" -> "shelved_offloaded"',
      "",
    ]);
  });

  test("a link to a file outside the repository or not committed is named in one line, exit 1", () => {
    const top = copyProject();
    const dir = join(top, "repo");
    mkdirSync(join(dir, "real"), { recursive: true });
    renameSync(join(top, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    symlinkSync("../Pulumi.iu.yaml", join(dir, "Pulumi.iu.yaml"));
    renameSync(join(top, "Pulumi.tacc.yaml"), join(dir, "real", "tacc.yaml"));
    symlinkSync("real/tacc.yaml", join(dir, "Pulumi.tacc.yaml"));
    git(dir, "init", "-q");
    git(dir, "add", "Pulumi.yaml", "Pulumi.iu.yaml", "Pulumi.tacc.yaml");
    git(dir, "commit", "-q", "-m", "links only");
    expect(runVerb(["diff", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: Pulumi.iu.yaml at "HEAD" links to ../Pulumi.iu.yaml, outside the repository: git holds the link there, not the stack file, so there is no stack file to compare with; allowed: a link to a file of the repository, committed with it\n',
    });
    expect(runVerb(["diff", "--stack", "tacc", "--dir", dir, "--base", "HEAD"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: --base: Pulumi.tacc.yaml at "HEAD" links to real/tacc.yaml, which "HEAD" does not hold, so there is no stack file to compare with; allowed: a link to a file of the repository, committed with it\n',
    });
  });

  test("the site switched away from its target and the target shelved in one change is an error in every format; diff exits 1", () => {
    const dir = copyProject();
    git(dir, "init", "-q");
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "galaxy online");
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir]).code).toBe(0);
    git(dir, "commit", "-q", "-am", "offline");
    expect(runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]).code).toBe(0);
    git(dir, "commit", "-q", "-am", "suspend");
    const error =
      "instances.lappsgrid-galaxy: shelved while the site switches away from it (proxy.mode online -> offline): nothing orders the power change after the switch, so jetstream.lappsgrid.org may forward to a server that is down; take two steps: the switch first and `pulumi up`, then `jetstream suspend lappsgrid-galaxy` and `pulumi up`";
    const text = runVerb(["diff", "--stack", "iu", "--dir", dir, "--base", "HEAD~2"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe(
      "jetstream: pulumi up would fail on stack iu: 1 change(s) the cloud refuses (listed above)\n",
    );
    expect(text.stdout.split("\n").slice(-3)).toEqual([
      `error: lappsgrid-galaxy-server (openstack:compute/instance:Instance): ${error}`,
      "!! pulumi up would fail: 1 change(s) the cloud refuses (errors above); fix them first.",
      "",
    ]);
    const markdown = runVerb([
      "diff",
      "--stack",
      "iu",
      "--dir",
      dir,
      "--base",
      "HEAD~2",
      "--format",
      "markdown",
    ]);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout.split("\n")).toContain(`> - **error** \`lappsgrid-galaxy-server\`: ${error}`);
    const json = runVerb(["diff", "--stack", "iu", "--dir", dir, "--base", "HEAD~2", "--format", "json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).refusals).toEqual([
      {
        severity: "error",
        resource: "lappsgrid-galaxy-server",
        type: "openstack:compute/instance:Instance",
        message: error,
      },
    ]);
    // Each change alone is fine: the switch, then the shelve once the switch is applied.
    expect(runVerb(["diff", "--stack", "iu", "--dir", dir, "--base", "HEAD~1"]).code).toBe(0);
  });

  test("an unknown --base names the option and the ref", () => {
    const dir = repository();
    expect(runVerb(["diff", "--stack", "iu", "--dir", dir, "--base", "no-such-ref"])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --base: "no-such-ref" is not a commit of the git repository at ${dir}\n`,
    });
  });

  test("outside a git repository diff says the folder is in none, and what to run instead", () => {
    const dir = copyProject();
    expect(runVerb(["diff", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: --dir: ${dir} is not in a git repository; diff compares the stack file with a commit (--base), so run it in a clone of the project, or check the stack as it is with \`jetstream plan --stack iu\`\n`,
    });
  });

  test("an empty --base is refused as the empty value it is", () => {
    const dir = repository();
    expect(runVerb(["diff", "--stack", "iu", "--dir", dir, "--base", ""])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: --base: an empty value (an unset shell variable?); allowed: a git ref (commit, branch or tag; default HEAD)\n",
    });
  });

  test("an unknown --format is a one-line usage error naming the formats", () => {
    const result = runVerb(["diff", "--stack", "iu", "--format", "xml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'jetstream: diff: --format: "xml" is not allowed; allowed: text, markdown, json (`jetstream diff --help`)\n',
    );
  });
});

describe("after an edit", () => {
  test("a verb prints the file diff, the resource-level diff and the next command", () => {
    const dir = takeIuOffline(copyProject());
    const result = runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir], { resourceDiff: true });
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const resources = lines.indexOf("Resources (offline evaluation, before -> after this edit):");
    expect(lines.indexOf("+      state: shelved")).toBeLessThan(resources);
    expect(lines[resources + 1]).toMatch(SUMMARY);
    expect(lines.slice(resources + 2)).toEqual([
      "  ~  update  lappsgrid-galaxy-server  openstack:compute/instance:Instance",
      '        powerState: "active" -> "shelved_offloaded"',
      "",
      "Next: review and commit Pulumi.iu.yaml, then `pulumi preview --stack iu` (or `jetstream up --stack iu`).",
      "",
    ]);
  });
});

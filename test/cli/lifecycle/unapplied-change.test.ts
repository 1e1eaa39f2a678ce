/**
 * suspend / resume / stop after a change to the stack file that HEAD does not hold yet. HEAD is
 * what was applied last (`jetstream diff`'s default base); `pulumi up` applies that change and
 * this edit in one go, so the verb judges the pair as the cloud will see it, and refuses a pair
 * the cloud refuses although each change alone would pass.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIFECYCLE_STATE, type LifecycleVerb, setInstanceState } from "../../../cli/lifecycle/set-state";
import { type Evaluator, runStackEdit } from "../../../cli/stack-file/edit-flow";
import { git, projectWithUncommittedChange } from "../../helpers/git-project";
import { LAB_HEAD, labSite } from "../../helpers/lab-stack";
import { sharedEvaluator } from "../../helpers/shared-evaluations";
import { copyProject, PROJECT_DIR, read, runVerb, shipped } from "../support";

jest.setTimeout(180_000);

/** Stack lab with a worker of the given size and state, and a web server that stays active. */
function lab(worker: { size: string; state: string }): string {
  return [
    ...LAB_HEAD,
    "    worker:",
    `      size: ${worker.size}`,
    `      state: ${worker.state}`,
    "    web:",
    "      size: small",
    "",
  ].join("\n");
}

/** A git repository whose HEAD holds `committed` as Pulumi.lab.yaml, and whose file now reads `current`. */
function repository(committed: string, current: string): string {
  return projectWithUncommittedChange("lab", committed, current);
}

const evaluations = mkdtempSync(join(tmpdir(), "jetstream-evaluations-"));
const shared = sharedEvaluator(evaluations);

/** The stack texts the edit evaluated, in the order it asked. */
let evaluated: string[] = [];
const evaluate: Evaluator = (options) => {
  evaluated.push(options.stackFileText ?? "(the file)");
  return shared(options);
};

beforeEach(() => {
  evaluated = [];
});

async function run(dir: string, verb: LifecycleVerb, name: string): Promise<string> {
  const output: string[] = [];
  await runStackEdit(
    { stack: "lab", dir },
    (file) => setInstanceState(file, name, LIFECYCLE_STATE[verb], []),
    { evaluate, write: (text) => output.push(text), warn: (text) => output.push(text) },
  );
  return output.join("");
}

async function refusal(dir: string, verb: LifecycleVerb, name: string): Promise<string> {
  try {
    await run(dir, verb, name);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${verb} ${name} to be refused`);
}

const MEDIUM_ACTIVE = lab({ size: "medium", state: "active" });
const LARGE_ACTIVE = lab({ size: "large", state: "active" });
const MEDIUM_SHELVED = lab({ size: "medium", state: "shelved" });
const LARGE_SHELVED = lab({ size: "large", state: "shelved" });

const SERVER = "lappsgrid-worker-server (openstack:compute/instance:Instance)";

describe("a verb after an uncommitted change judges the pair pulumi up applies", () => {
  test("suspend after an uncommitted size change is refused, naming both changes, and the file stays as it is", async () => {
    const dir = repository(MEDIUM_ACTIVE, LARGE_ACTIVE);
    expect(await refusal(dir, "suspend", "worker")).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (worker: state active -> shelved) together with the change since HEAD, not committed yet (worker: size medium -> large), and the cloud refuses the two in one `pulumi up`:",
        `  error: ${SERVER}: the provider shelves lappsgrid-worker before it changes flavorName, metadata, and nova refuses that on a shelved server (409 "... while it is in vm_state shelved_offloaded", provider issue #1749)`,
        "  fix: apply the change since HEAD first (`pulumi up --stack lab`, or merge it and let the pipeline apply it), then run this verb again",
      ].join("\n"),
    );
    expect(read(dir, "Pulumi.lab.yaml")).toBe(LARGE_ACTIVE);
    expect(evaluated).toEqual([LARGE_ACTIVE, LARGE_SHELVED, MEDIUM_ACTIVE]);
  });

  test("stop after an uncommitted resume is refused: the server is still shelved in the cloud", async () => {
    const dir = repository(MEDIUM_SHELVED, MEDIUM_ACTIVE);
    expect(await refusal(dir, "stop", "worker")).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (worker: state active -> stopped) together with the change since HEAD, not committed yet (worker: state shelved -> active), and the cloud refuses the two in one `pulumi up`:",
        `  error: ${SERVER}: nova refuses to stop a shelved server (409 "Cannot 'stop' instance ... while it is in vm_state shelved_offloaded")`,
        "  fix: apply the change since HEAD first (`pulumi up --stack lab`, or merge it and let the pipeline apply it), then run this verb again",
      ].join("\n"),
    );
    expect(read(dir, "Pulumi.lab.yaml")).toBe(MEDIUM_ACTIVE);
  });

  test("resume after an uncommitted resize of a shelved server is accepted: the provider unshelves before it resizes", async () => {
    const dir = repository(MEDIUM_SHELVED, LARGE_SHELVED);
    const report = await run(dir, "resume", "worker");
    expect(read(dir, "Pulumi.lab.yaml")).toBe(LARGE_ACTIVE);
    expect(report).toContain('        powerState: "shelved_offloaded" -> "active"\n');
  });

  test("stop after an uncommitted size change is accepted: nova resizes a stopped server", async () => {
    const dir = repository(MEDIUM_ACTIVE, LARGE_ACTIVE);
    await run(dir, "stop", "worker");
    expect(read(dir, "Pulumi.lab.yaml")).toBe(lab({ size: "large", state: "stopped" }));
  });

  test("a refusal the uncommitted change already holds is not this edit's: an edit of another instance goes ahead", async () => {
    // HEAD's worker is shelved and the file resizes it: `jetstream diff` reports that pair already.
    const dir = repository(MEDIUM_SHELVED, LARGE_SHELVED);
    await run(dir, "stop", "web");
    expect(read(dir, "Pulumi.lab.yaml")).toBe(
      LARGE_SHELVED.replace("      size: small\n", "      size: small\n      state: stopped\n"),
    );
  });

  test("suspend of an instance whose launch is not committed yet warns, as diff does, that it boots ACTIVE until a second up", async () => {
    const launched = MEDIUM_ACTIVE.replace("    web:\n", "    tools:\n      size: small\n    web:\n");
    const dir = repository(MEDIUM_ACTIVE, launched);
    const warnings: string[] = [];
    const report: string[] = [];
    await runStackEdit({ stack: "lab", dir }, (file) => setInstanceState(file, "tools", "shelved", []), {
      evaluate,
      write: (text) => report.push(text),
      warn: (text) => warnings.push(text),
    });
    expect(read(dir, "Pulumi.lab.yaml")).toBe(
      launched.replace("      size: small\n    web:", "      size: small\n      state: shelved\n    web:"),
    );
    expect(warnings).toEqual([
      "warning: with the change since HEAD, not committed yet: lappsgrid-tools-server (openstack:compute/instance:Instance): state shelved is not applied when a server is created (the provider applies only shutoff at create): lappsgrid-tools boots ACTIVE and costs 2 SU/hour (active, not 0) until a second `pulumi up` shelves it; run `pulumi up` again right after this one\n",
    ]);
    expect(report.join("")).toContain("Stack lab: 0 to create, 1 to update, 0 to replace, 0 to delete,");
  });

  test("a file equal to HEAD's is not evaluated a third time", async () => {
    const dir = repository(LARGE_ACTIVE, LARGE_ACTIVE);
    await run(dir, "suspend", "worker");
    expect(read(dir, "Pulumi.lab.yaml")).toBe(LARGE_SHELVED);
    expect(evaluated).toEqual([LARGE_ACTIVE, LARGE_SHELVED]);
  });
});

/** Stack lab whose site (proxy lines) forwards to galaxy or web, both active. */
const site = (proxy: string[]): string => labSite(proxy);

const ONLINE_GALAXY = site(["    mode: online", "    target: galaxy"]);
const OFFLINE_GALAXY = site(["    mode: offline", "    target: galaxy"]);
const ONLINE_WEB = site(["    mode: online", "    target: web"]);

/** The edit alone, without the offline evaluation: the site's rule reads the stack files only. */
async function fileRefusal(dir: string, verb: LifecycleVerb, name: string): Promise<string> {
  try {
    await runStackEdit(
      { stack: "lab", dir },
      (file) => setInstanceState(file, name, LIFECYCLE_STATE[verb], []),
      {
        evaluate: null,
        write: () => undefined,
        warn: () => undefined,
      },
    );
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${verb} ${name} to be refused`);
}

const FIX =
  "  fix: apply the change since HEAD first (`pulumi up --stack lab`, or merge it and let the pipeline apply it), then run this verb again";

describe("the site's target going down while an uncommitted change switches the site away from it", () => {
  test("suspend of the target after an uncommitted offline is refused: nothing orders the shelve after the switch", async () => {
    const dir = repository(ONLINE_GALAXY, OFFLINE_GALAXY);
    expect(await fileRefusal(dir, "suspend", "galaxy")).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (galaxy: state active -> shelved) together with the change since HEAD, not committed yet (proxy.mode online -> offline), and nothing in one `pulumi up` orders the two:",
        "  error: instances.galaxy: shelved while the site switches away from it: nothing orders the power change after the switch, so lab.example.org may forward to a server that is down",
        FIX,
      ].join("\n"),
    );
    expect(read(dir, "Pulumi.lab.yaml")).toBe(OFFLINE_GALAXY);
  });

  test("a project folder inside a larger repository is judged against its own stack file at HEAD", async () => {
    const top = mkdtempSync(join(tmpdir(), "jetstream-unapplied-"));
    const dir = join(top, "deploy", "lappsgrid");
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    // A stack file of the same name at the top of the repository must not be the one read.
    writeFileSync(join(top, "Pulumi.lab.yaml"), OFFLINE_GALAXY);
    writeFileSync(join(dir, "Pulumi.lab.yaml"), ONLINE_GALAXY);
    git(top, "init", "-q");
    git(top, "add", ".");
    git(top, "commit", "-q", "-m", "applied");
    writeFileSync(join(dir, "Pulumi.lab.yaml"), OFFLINE_GALAXY);
    expect(await fileRefusal(dir, "suspend", "galaxy")).toMatch(
      /^Pulumi\.lab\.yaml left unchanged: `pulumi up` applies this edit \(galaxy: state active -> shelved\) together with the change since HEAD, not committed yet \(proxy\.mode online -> offline\)/,
    );
  });

  test("stop of the target after an uncommitted switch to another target is refused", async () => {
    const dir = repository(ONLINE_GALAXY, ONLINE_WEB);
    expect(await fileRefusal(dir, "stop", "galaxy")).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (galaxy: state active -> stopped) together with the change since HEAD, not committed yet (proxy.target galaxy -> web), and nothing in one `pulumi up` orders the two:",
        "  error: instances.galaxy: stopped while the site switches away from it: nothing orders the power change after the switch, so lab.example.org may forward to a server that is down",
        FIX,
      ].join("\n"),
    );
    expect(read(dir, "Pulumi.lab.yaml")).toBe(ONLINE_WEB);
  });

  test("an edit of another instance goes ahead while the uncommitted change itself leaves the target down", async () => {
    const current = OFFLINE_GALAXY.replace(
      "      size: large\n",
      "      size: large\n      state: shelved\n",
    );
    const dir = repository(ONLINE_GALAXY, current);
    await runStackEdit({ stack: "lab", dir }, (file) => setInstanceState(file, "web", "stopped", []), {
      evaluate: null,
      write: () => undefined,
    });
    expect(read(dir, "Pulumi.lab.yaml")).toBe(
      current.replace("      size: small\n", "      size: small\n      state: stopped\n"),
    );
  });

  test("suspend of the offline site's target goes ahead when HEAD's site was offline already", async () => {
    const current = OFFLINE_GALAXY.replace("      size: small\n", "      size: medium\n");
    const dir = repository(OFFLINE_GALAXY, current);
    await runStackEdit({ stack: "lab", dir }, (file) => setInstanceState(file, "galaxy", "shelved", []), {
      evaluate: null,
      write: () => undefined,
    });
    expect(read(dir, "Pulumi.lab.yaml")).toBe(
      current.replace("      size: large\n", "      size: large\n      state: shelved\n"),
    );
  });
});

describe("when HEAD's stack file cannot be read, the edit is judged alone, as it always was", () => {
  const cases: [string, () => string][] = [
    [
      "no git repository",
      () => {
        const dir = repository(MEDIUM_ACTIVE, LARGE_ACTIVE);
        rmSync(join(dir, ".git"), { recursive: true });
        return dir;
      },
    ],
    [
      "a repository without a commit",
      () => {
        const dir = mkdtempSync(join(tmpdir(), "jetstream-unapplied-"));
        copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
        writeFileSync(join(dir, "Pulumi.lab.yaml"), LARGE_ACTIVE);
        git(dir, "init", "-q");
        return dir;
      },
    ],
    [
      "a stack file HEAD does not hold",
      () => {
        const dir = repository(MEDIUM_ACTIVE, LARGE_ACTIVE);
        git(dir, "rm", "-q", "--cached", "Pulumi.lab.yaml");
        git(dir, "commit", "-q", "-m", "untracked");
        return dir;
      },
    ],
    [
      "a stack file git cannot read at HEAD (a damaged clone)",
      () => {
        const dir = repository(MEDIUM_ACTIVE, LARGE_ACTIVE);
        const blob = git(dir, "rev-parse", "HEAD:Pulumi.lab.yaml").trim();
        rmSync(join(dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
        return dir;
      },
    ],
  ];

  test.each(cases)("%s: suspend after a size change goes ahead", async (_case, make) => {
    const dir = make();
    const report = await run(dir, "suspend", "worker");
    expect(read(dir, "Pulumi.lab.yaml")).toBe(LARGE_SHELVED);
    expect(report.split("\n")[0]).toBe("Pulumi.lab.yaml: worker: state active -> shelved");
    expect(evaluated).toEqual([LARGE_ACTIVE, LARGE_SHELVED]);
  });
});

describe("jetstream suspend in a clone whose stack file has an uncommitted resize", () => {
  test("exits 1 with the pair's refusal and leaves the file byte for byte", () => {
    const dir = copyProject();
    git(dir, "init", "-q");
    git(dir, "add", "Pulumi.yaml", "Pulumi.iu.yaml", "Pulumi.tacc.yaml");
    git(dir, "commit", "-q", "-m", "applied");
    const resized = shipped("Pulumi.tacc.yaml").replace(
      "    lappsgrid-worker:\n      size: medium\n",
      "    lappsgrid-worker:\n      size: large\n",
    );
    expect(resized).not.toBe(shipped("Pulumi.tacc.yaml"));
    writeFileSync(join(dir, "Pulumi.tacc.yaml"), resized);
    const result = runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir], { resourceDiff: true });
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        "jetstream: Pulumi.tacc.yaml left unchanged: `pulumi up` applies this edit (lappsgrid-worker: state active -> shelved) together with the change since HEAD, not committed yet (lappsgrid-worker: size medium -> large), and the cloud refuses the two in one `pulumi up`:",
        '  error: lappsgrid-worker-server (openstack:compute/instance:Instance): the provider shelves lappsgrid-worker before it changes flavorName, metadata, and nova refuses that on a shelved server (409 "... while it is in vm_state shelved_offloaded", provider issue #1749)',
        "  fix: apply the change since HEAD first (`pulumi up --stack tacc`, or merge it and let the pipeline apply it), then run this verb again",
        "",
      ].join("\n"),
    });
    expect(read(dir, "Pulumi.tacc.yaml")).toBe(resized);
  });
});

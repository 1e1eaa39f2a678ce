/**
 * How the guard of an edit on top of an uncommitted change reads the stack file at HEAD: through
 * a link the operator keeps the file behind (git stores the link, not the file), and what it
 * says when HEAD's file cannot be judged (the edit goes ahead, with a warning naming why).
 */
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIFECYCLE_STATE, type LifecycleVerb, setInstanceState } from "../../../cli/lifecycle/set-state";
import { runStackEdit } from "../../../cli/stack-file/edit-flow";
import { git } from "../../helpers/git-project";
import { labSite } from "../../helpers/lab-stack";
import { PROJECT_DIR, read } from "../support";

/** Stack lab whose site (proxy lines) forwards to galaxy, both instances active. */
function site(mode: string): string {
  return labSite([`    mode: ${mode}`, "    target: galaxy"]);
}

const ONLINE = site("online");
const OFFLINE = site("offline");
const OFFLINE_SHELVED = OFFLINE.replace("      size: large\n", "      size: large\n      state: shelved\n");

/**
 * A repository whose project folder keeps its stack file at real/lab.yaml, linked from
 * Pulumi.lab.yaml; `commit` lists what the first commit holds.
 */
function linkedProject(committed: string, commit: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "jetstream-linked-"));
  mkdirSync(join(dir, "real"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, "real", "lab.yaml"), committed);
  symlinkSync("real/lab.yaml", join(dir, "Pulumi.lab.yaml"));
  git(dir, "init", "-q");
  git(dir, "add", ...commit);
  git(dir, "commit", "-q", "-m", "applied");
  return dir;
}

async function edit(dir: string, verb: LifecycleVerb, name: string): Promise<string[]> {
  const warnings: string[] = [];
  await runStackEdit(
    { stack: "lab", dir },
    (file) => setInstanceState(file, name, LIFECYCLE_STATE[verb], []),
    { evaluate: null, write: () => undefined, warn: (text) => warnings.push(text) },
  );
  return warnings;
}

async function refusal(dir: string, verb: LifecycleVerb, name: string): Promise<string> {
  try {
    await edit(dir, verb, name);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${verb} ${name} to be refused`);
}

const FIX =
  "  fix: apply the change since HEAD first (`pulumi up --stack lab`, or merge it and let the pipeline apply it), then run this verb again";

describe("a stack file kept behind a link", () => {
  test("suspend of the target after an uncommitted offline is refused as without the link: HEAD's file is the link's target there", async () => {
    const dir = linkedProject(ONLINE, ["Pulumi.yaml", "Pulumi.lab.yaml", "real/lab.yaml"]);
    writeFileSync(join(dir, "real", "lab.yaml"), OFFLINE);
    expect(await refusal(dir, "suspend", "galaxy")).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (galaxy: state active -> shelved) together with the change since HEAD, not committed yet (proxy.mode online -> offline), and nothing in one `pulumi up` orders the two:",
        "  error: instances.galaxy: shelved while the site switches away from it: nothing orders the power change after the switch, so lab.example.org may forward to a server that is down",
        FIX,
      ].join("\n"),
    );
    expect(read(dir, "real/lab.yaml")).toBe(OFFLINE);
  });

  test("a link whose target HEAD does not hold: the edit goes ahead, with a warning saying why the change since HEAD could not be judged", async () => {
    const dir = linkedProject(ONLINE, ["Pulumi.yaml", "Pulumi.lab.yaml"]);
    writeFileSync(join(dir, "real", "lab.yaml"), OFFLINE);
    expect(await edit(dir, "suspend", "galaxy")).toEqual([
      'warning: Pulumi.lab.yaml: the change since HEAD could not be judged with this edit (Pulumi.lab.yaml at "HEAD" links to real/lab.yaml, which "HEAD" does not hold); `pulumi up` applies the two together: check them with `jetstream diff --stack lab`\n',
    ]);
    expect(read(dir, "real/lab.yaml")).toBe(OFFLINE_SHELVED);
  });

  test("a link to a file outside the repository: the edit goes ahead, with a warning saying git holds only the link", async () => {
    const top = mkdtempSync(join(tmpdir(), "jetstream-linked-"));
    const dir = join(top, "repo");
    mkdirSync(dir);
    copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    writeFileSync(join(top, "lab.yaml"), ONLINE);
    symlinkSync("../lab.yaml", join(dir, "Pulumi.lab.yaml"));
    git(dir, "init", "-q");
    git(dir, "add", "Pulumi.yaml", "Pulumi.lab.yaml");
    git(dir, "commit", "-q", "-m", "applied");
    writeFileSync(join(top, "lab.yaml"), OFFLINE);
    expect(await edit(dir, "suspend", "galaxy")).toEqual([
      'warning: Pulumi.lab.yaml: the change since HEAD could not be judged with this edit (Pulumi.lab.yaml at "HEAD" links to ../lab.yaml, outside the repository: git holds the link there, not the stack file); `pulumi up` applies the two together: check them with `jetstream diff --stack lab`\n',
    ]);
    expect(read(top, "lab.yaml")).toBe(OFFLINE_SHELVED);
  });
});

test("HEAD's stack file not valid: the edit goes ahead, with a warning naming HEAD's first problem", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jetstream-invalid-head-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, "Pulumi.lab.yaml"), ONLINE.replace("    mode: online\n", "    mode: onlin\n"));
  git(dir, "init", "-q");
  git(dir, "add", "Pulumi.yaml", "Pulumi.lab.yaml");
  git(dir, "commit", "-q", "-m", "applied");
  writeFileSync(join(dir, "Pulumi.lab.yaml"), OFFLINE);
  expect(await edit(dir, "suspend", "galaxy")).toEqual([
    'warning: Pulumi.lab.yaml: the change since HEAD could not be judged with this edit (Pulumi.lab.yaml at HEAD is not valid: proxy.mode: "onlin" is not a proxy mode; allowed: online, offline); `pulumi up` applies the two together: check them with `jetstream diff --stack lab`\n',
  ]);
  expect(read(dir, "Pulumi.lab.yaml")).toBe(OFFLINE_SHELVED);
});

/**
 * A power change or delete in one stack while another stack's site switch away from that
 * instance is not committed yet. HEAD is what was applied; `pulumi up --stack tacc` can run
 * before IU's switch is applied (TACC first), and then IU's live site forwards to a server that
 * is down. The verb goes ahead (each change is right) and says the order on stderr.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git } from "../helpers/git-project";
import { copyProject, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";
/** IU's site online to TACC's worker, as HEAD holds it. */
const IU_TO_WORKER = shipped(IU).replace("    target: lappsgrid-galaxy\n", "    target: tacc/worker\n");

let dir: string;

/** The project with IU's site on tacc/worker committed, and IU's file now reading `current`. */
function project(current: string): string {
  dir = copyProject();
  writeFileSync(join(dir, IU), IU_TO_WORKER);
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "applied");
  writeFileSync(join(dir, IU), current);
  return dir;
}

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const order = (change: string, down: string) =>
  `warning: lappsgrid-worker: Pulumi.iu.yaml has a change not committed yet (${change}) that moves jetstream.lappsgrid.org off tacc/lappsgrid-worker, which the site forwards to as HEAD holds it; apply it first (\`pulumi up --stack iu\`, or merge it and let the pipeline apply it), then \`pulumi up --stack tacc\`: the other way round, the site forwards to a server that is ${down} until stack iu's update\n`;

describe("another stack's uncommitted switch away from this instance: the order is said", () => {
  test.each([
    ["suspend", "down"],
    ["stop", "down"],
  ])("%s worker --stack tacc after an uncommitted offline --stack iu warns, and edits", (verb, down) => {
    project(IU_TO_WORKER.replace("    mode: online\n", "    mode: offline\n"));
    const run = runVerb([verb, "worker", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(order("proxy.mode online -> offline", down));
    expect(readFileSync(join(dir, TACC), "utf8")).not.toBe(shipped(TACC));
  });

  test("delete worker --stack tacc after an uncommitted proxy galaxy --stack iu warns, and deletes", () => {
    project(shipped(IU));
    const run = runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(order("proxy.target tacc/lappsgrid-worker -> lappsgrid-galaxy", "gone"));
    expect(readFileSync(join(dir, TACC), "utf8")).not.toContain("lappsgrid-worker:");
  });

  test("a site written as the instance's address (its ip:) counts as the instance", () => {
    const byAddress = shipped(IU).replace("    target: lappsgrid-galaxy\n", "    target: 129.114.5.5\n");
    dir = copyProject();
    writeFileSync(join(dir, TACC), shipped(TACC).replace("      ip: assign\n", "      ip: 129.114.5.5\n"));
    writeFileSync(join(dir, IU), byAddress);
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "applied");
    writeFileSync(join(dir, IU), byAddress.replace("    mode: online\n", "    mode: offline\n"));
    const run = runVerb(["stop", "worker", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "warning: lappsgrid-worker: Pulumi.iu.yaml has a change not committed yet (proxy.mode online -> offline) that moves jetstream.lappsgrid.org off 129.114.5.5 (lappsgrid-worker's ip:), which the site forwards to as HEAD holds it; apply it first (`pulumi up --stack iu`, or merge it and let the pipeline apply it), then `pulumi up --stack tacc`: the other way round, the site forwards to a server that is down until stack iu's update\n",
    );
  });

  test("no warning when the other stack's file is as HEAD holds it and its site is elsewhere", () => {
    dir = copyProject();
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "applied");
    const run = runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
  });

  test("no second warning when the other stack's file still forwards to the instance", () => {
    project(IU_TO_WORKER);
    const run = runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "warning: lappsgrid-worker is the proxy target of jetstream.lappsgrid.org (Pulumi.iu.yaml: proxy.target tacc/lappsgrid-worker): the site fails until it is active again; `jetstream offline --stack iu` shows the offline page meanwhile\n",
    );
  });

  test("resume is not warned about: it brings the server back", () => {
    project(IU_TO_WORKER.replace("    mode: online\n", "    mode: offline\n"));
    writeFileSync(
      join(dir, TACC),
      shipped(TACC).replace("      ip: assign\n", "      ip: assign\n      state: shelved\n"),
    );
    const run = runVerb(["resume", "worker", "--stack", "tacc", "--dir", dir]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
  });
});

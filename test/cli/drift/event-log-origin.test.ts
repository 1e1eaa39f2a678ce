/**
 * `drift --event-log` explains a log only as the refresh of the stack asked about: a log whose
 * URNs are another stack's (or another project's) would be explained with that stack's names in
 * the remedies, and two runs joined in one file are not one refresh (the second can hide the
 * first's drift, and `--fail-on-drift` passes).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { copyProject, runVerb } from "../support";

jest.setTimeout(120_000);

const FIXTURES = join(__dirname, "..", "..", "fixtures", "refresh");
const recorded = (name: string): EngineEvent[] => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

function logOf(dir: string, events: unknown[]): string {
  const log = join(dir, "events.ndjson");
  writeFileSync(log, events.map((event) => JSON.stringify(event)).join("\n"));
  return log;
}

describe("drift --event-log refuses a log that is not one refresh of the stack asked about", () => {
  test("IU's log given for --stack tacc is refused, naming the log's stack, with or without --fail-on-drift", () => {
    const dir = copyProject();
    const log = join(FIXTURES, "galaxy-shelved.json");
    for (const extra of [[], ["--fail-on-drift"]]) {
      expect(runVerb(["drift", "--stack", "tacc", "--dir", dir, "--event-log", log, ...extra])).toEqual({
        code: 1,
        stdout: "",
        stderr:
          `jetstream: --event-log ${log}: records stack iu (its URNs start urn:pulumi:iu::lappsgrid-jetstream::), not tacc; ` +
          "allowed: a log of stack tacc, from `pulumi refresh --preview-only --stack tacc --event-log FILE`\n",
      });
    }
  });

  test("a log of another project's stack of the same name is refused, naming the project", () => {
    const dir = copyProject();
    const events = JSON.parse(
      JSON.stringify(recorded("galaxy-shelved.json")).replaceAll(
        "urn:pulumi:iu::lappsgrid-jetstream::",
        "urn:pulumi:iu::galaxy-lab::",
      ),
    );
    const log = logOf(dir, events);
    expect(runVerb(["drift", "--stack", "iu", "--dir", dir, "--event-log", log])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `jetstream: --event-log ${log}: records project galaxy-lab's stack iu (its URNs start urn:pulumi:iu::galaxy-lab::), not lappsgrid-jetstream's iu; ` +
        "allowed: a log of stack iu, from `pulumi refresh --preview-only --stack iu --event-log FILE`\n",
    });
  });

  test("two recorded refreshes joined in one file are refused as not one refresh, even under --fail-on-drift", () => {
    const dir = copyProject();
    const log = logOf(dir, [...recorded("galaxy-shelved.json"), ...recorded("no-drift.json")]);
    for (const extra of [[], ["--fail-on-drift"]]) {
      expect(runVerb(["drift", "--stack", "iu", "--dir", dir, "--event-log", log, ...extra])).toEqual({
        code: 1,
        stdout: "",
        stderr:
          `jetstream: --event-log ${log}: holds 2 refreshes (2 prelude events, 2 summary events), not one; ` +
          "allowed: the log of one `pulumi refresh --preview-only --event-log FILE` run; record it again into a new file\n",
      });
    }
  });

  test("IU's own log for --stack iu is still explained", () => {
    const dir = copyProject();
    const run = runVerb([
      "drift",
      "--stack",
      "iu",
      "--dir",
      dir,
      "--event-log",
      join(FIXTURES, "no-drift.json"),
    ]);
    expect(run).toEqual({
      code: 0,
      stdout:
        "No drift on stack iu: the cloud matches the state of the last `pulumi up` (5 resources checked).\n",
      stderr: "",
    });
  });
});

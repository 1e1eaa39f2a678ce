import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { countCheckedResources, explainDrift, renderDriftReport } from "../../../cli/drift/explain";
import { findPulumiCli, PULUMI_INSTALL_HINT, stackSelectionProblem } from "../../../cli/engine/pulumi-cli";
import { runGitopsCli } from "../../gitops/run-cli";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "refresh");
const recorded = (name: string): EngineEvent[] => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

/** The payload fields of @pulumi/pulumi 3.270's EngineEvent: exactly one per event. */
const PAYLOADS = [
  "cancelEvent",
  "stdoutEvent",
  "diagnosticEvent",
  "preludeEvent",
  "summaryEvent",
  "resourcePreEvent",
  "resOutputsEvent",
  "resOpFailedEvent",
  "policyEvent",
  "startDebuggingEvent",
];
const OP_TYPES = ["same", "create", "update", "delete", "replace", "refresh", "read"];
const FIXTURE_FILES = [
  "no-drift.json",
  "galaxy-shelved.json",
  "galaxy-suspended.json",
  "galaxy-deleted.json",
  "galaxy-resized.json",
  "proxy-floating-ip-disassociated.json",
  "ssh-rule-deleted.json",
];

describe("recorded refresh outputs have the engine's event shape", () => {
  test.each(FIXTURE_FILES)("%s", (file) => {
    const events = recorded(file);
    events.forEach((event, index) => {
      expect(event.sequence).toBe(index + 1);
      expect(typeof event.timestamp).toBe("number");
      expect(Object.keys(event).filter((key) => PAYLOADS.includes(key))).toHaveLength(1);
      const metadata = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
      if (metadata === undefined) return;
      expect(OP_TYPES).toContain(metadata.op);
      expect(metadata.urn).toMatch(/^urn:pulumi:iu::lappsgrid-jetstream::/);
      expect(metadata.old?.urn).toBe(metadata.urn);
      expect(metadata.old?.type).toBe(metadata.type);
    });
    expect(events[0].preludeEvent).toBeDefined();
    expect(events[events.length - 2].summaryEvent).toBeDefined();
  });
});

describe("drift explanations for what operators do in the web UI", () => {
  test("no drift says so and counts the cloud resources it read", () => {
    const events = recorded("no-drift.json");
    expect(explainDrift(events, "iu")).toEqual([]);
    expect(renderDriftReport([], "iu", countCheckedResources(events))).toBe(
      "No drift on stack iu: the cloud matches the state of the last `pulumi up` (5 resources checked).",
    );
  });

  test.each([
    {
      file: "galaxy-shelved.json",
      kind: "power-state",
      name: "lappsgrid-galaxy",
      what: "someone shelved lappsgrid-galaxy outside Pulumi (web UI or openstack CLI): the cloud says shelved_offloaded, the last `pulumi up` left it active",
      remedies: [
        "run `jetstream suspend galaxy --stack iu` to record it (shelved costs no SUs)",
        "or `pulumi up --refresh --stack iu` to make it active again",
      ],
    },
    {
      file: "galaxy-suspended.json",
      kind: "unreadable",
      name: "lappsgrid-galaxy",
      what: "lappsgrid-galaxy was suspended outside Pulumi (the provider cannot read a suspended server)",
      remedies: [
        "resume it in the web UI or `openstack server resume lappsgrid-galaxy`, then `jetstream suspend galaxy --stack iu` if it should stay off (shelved costs no SU)",
      ],
    },
    {
      file: "galaxy-deleted.json",
      kind: "deleted",
      name: "lappsgrid-galaxy",
      what: "lappsgrid-galaxy (server) was deleted outside Pulumi: its disk and private address are gone",
      remedies: [
        "`pulumi up --refresh --stack iu` creates it again from the stack file (fresh disk, new private address)",
        "or `jetstream delete galaxy --stack iu` to record that it is gone",
      ],
    },
    {
      file: "galaxy-resized.json",
      kind: "changed",
      name: "lappsgrid-galaxy",
      what: "lappsgrid-galaxy (server) changed outside Pulumi: flavorId 3 -> 7; flavorName m3.large -> m3.xl",
      remedies: [
        "`pulumi up --refresh --stack iu` sets it back to what the stack file says",
        "or change the stack file to match the cloud (then `jetstream plan` should show no change)",
      ],
    },
    {
      file: "proxy-floating-ip-disassociated.json",
      kind: "floating-ip-detached",
      name: "lappsgrid-proxy",
      what: "149.165.157.82 is no longer attached to lappsgrid-proxy (disassociated outside Pulumi)",
      remedies: ["`pulumi up --refresh --stack iu` attaches it again"],
    },
    {
      file: "ssh-rule-deleted.json",
      kind: "deleted",
      name: "lappsgrid-rule-ssh-0",
      what: "security group rule lappsgrid-rule-ssh-0 (ingress tcp port 22 from 0.0.0.0/0) was deleted outside Pulumi",
      remedies: [
        "`pulumi up --refresh --stack iu` puts it back",
        "or, if it should stay gone, remove it from securityGroup.rules in the stack file",
      ],
    },
  ])("$file: $what", ({ file, kind, name, what, remedies }) => {
    const findings = explainDrift(recorded(file), "iu");
    expect(findings.map(({ kind, name, what, remedies }) => ({ kind, name, what, remedies }))).toEqual([
      { kind, name, what, remedies },
    ]);
  });

  test("a shelved server reports only the power state, not the timestamp the cloud bumped with it", () => {
    const [finding] = explainDrift(recorded("galaxy-shelved.json"), "iu");
    expect(finding.properties).toEqual([
      { property: "powerState", recorded: "active", cloud: "shelved_offloaded" },
    ]);
  });

  test("a suspended server: the provider's read error on its URN, named as the operator knows it, never `pulumi up --refresh` (it fails the same way)", () => {
    const events = recorded("galaxy-suspended.json");
    const diagnostic = events.find((event) => event.diagnosticEvent)?.diagnosticEvent;
    expect(diagnostic?.severity).toBe("error");
    expect(diagnostic?.message).toContain(
      "Invalid power_state for instance 9f3c2d1e-2222-4e5f-8a7b-6c5d4e3f2a10: SUSPENDED",
    );
    const findings = explainDrift(events, "iu");
    expect(findings).toHaveLength(1);
    expect(findings[0].urn).toBe(diagnostic?.urn);
    expect(findings[0].remedies.join("\n")).not.toContain("--refresh");
    expect(renderDriftReport(findings, "iu", countCheckedResources(events))).toBe(
      [
        "Drift on stack iu: 1 resource changed outside Pulumi.",
        "",
        "lappsgrid-galaxy was suspended outside Pulumi (the provider cannot read a suspended server)",
        "  - resume it in the web UI or `openstack server resume lappsgrid-galaxy`, then `jetstream suspend galaxy --stack iu` if it should stay off (shelved costs no SU)",
        "",
        "The refresh stopped at a server it could not read, so later resources may be unchecked: run `jetstream drift --stack iu` again once it is fixed.",
      ].join("\n"),
    );
  });

  test.each([
    [
      "SUSPENDED",
      "lappsgrid-galaxy was suspended outside Pulumi (the provider cannot read a suspended server)",
    ],
    ["PAUSED", "lappsgrid-galaxy was paused outside Pulumi (the provider cannot read a paused server)"],
    [
      "VERIFY_RESIZE",
      "lappsgrid-galaxy is VERIFY_RESIZE in the cloud, a server status the provider cannot read",
    ],
  ])("a read error without a URN still finds the server by its ID: %s", (status, what) => {
    const events = recorded("galaxy-suspended.json").map((event) => {
      if (!event.diagnosticEvent) return event;
      const { urn: _urn, ...rest } = event.diagnosticEvent;
      return {
        ...event,
        diagnosticEvent: { ...rest, message: rest.message.replace("SUSPENDED", status) },
      };
    });
    const findings = explainDrift(events, "tacc");
    expect(findings.map(({ name, what }) => ({ name, what }))).toEqual([{ name: "lappsgrid-galaxy", what }]);
    expect(findings[0].remedies.join("\n")).not.toContain("pulumi up");
  });

  test.each([
    [
      "shelved",
      "someone shelved lappsgrid-galaxy outside Pulumi (web UI or openstack CLI): the cloud says shelved, the last `pulumi up` left it active",
    ],
    [
      "error",
      "lappsgrid-galaxy is in nova state error (not set by Pulumi); the last `pulumi up` left it active",
    ],
    [
      "migrating",
      "lappsgrid-galaxy is in nova state migrating (not set by Pulumi); the last `pulumi up` left it active",
    ],
  ])("a power state the provider reads but Pulumi never sets: %s", (powerState, what) => {
    const events = recorded("galaxy-shelved.json").map((event) => {
      const outputs = event.resOutputsEvent?.metadata.new?.outputs;
      if (outputs?.powerState === "shelved_offloaded") outputs.powerState = powerState;
      return event;
    });
    const [finding] = explainDrift(events, "iu");
    expect(finding.what).toBe(what);
    // Plain `pulumi up` compares with the state, not the cloud: it would not undo the change.
    expect(finding.remedies.join("\n")).not.toContain("`pulumi up --stack");
  });

  test("the stack name in every remedy is the stack asked about", () => {
    const [finding] = explainDrift(recorded("galaxy-shelved.json"), "tacc");
    expect(finding.remedies[0]).toBe(
      "run `jetstream suspend galaxy --stack tacc` to record it (shelved costs no SUs)",
    );
  });
});

describe("drift of the proxy's online target: the site is down now, and the advice says so first", () => {
  // The IU stack of test/fixtures/stacks: jetstream.lappsgrid.org online at lappsgrid-galaxy.
  const SITE = new Map([["lappsgrid-galaxy", { domain: "jetstream.lappsgrid.org", proxyStack: "iu" }]]);
  const TACC_SITE = new Map([["lappsgrid-galaxy", { domain: "jetstream.lappsgrid.org", proxyStack: "iu" }]]);

  test.each([
    {
      file: "galaxy-shelved.json",
      what: "someone shelved lappsgrid-galaxy outside Pulumi (web UI or openstack CLI): the cloud says shelved_offloaded, the last `pulumi up` left it active; it is the proxy target of jetstream.lappsgrid.org, which fails while it is off",
      remedies: [
        "`pulumi up --refresh --stack iu` to make it active again (jetstream.lappsgrid.org works again with it)",
        "or, if it should stay off: `jetstream offline --stack iu` (the offline page), then `jetstream suspend galaxy --stack iu` to record it (shelved costs no SUs)",
      ],
    },
    {
      file: "galaxy-suspended.json",
      what: "lappsgrid-galaxy was suspended outside Pulumi (the provider cannot read a suspended server); it is the proxy target of jetstream.lappsgrid.org, which fails while it is off",
      remedies: [
        "resume it in the web UI or `openstack server resume lappsgrid-galaxy` (jetstream.lappsgrid.org works again with it), then, if it should stay off: `jetstream offline --stack iu` (the offline page) and `jetstream suspend galaxy --stack iu` (shelved costs no SU)",
      ],
    },
    {
      file: "galaxy-deleted.json",
      what: "lappsgrid-galaxy (server) was deleted outside Pulumi: its disk and private address are gone; it is the proxy target of jetstream.lappsgrid.org, which fails until it is back",
      remedies: [
        "`pulumi up --refresh --stack iu` creates it again from the stack file (fresh disk, new private address)",
        "or, if it should stay gone: `jetstream offline --stack iu` (the offline page) or `jetstream proxy OTHER --stack iu`, then `jetstream delete galaxy --stack iu` to record that it is gone",
      ],
    },
  ])("$file", ({ file, what, remedies }) => {
    const [finding] = explainDrift(recorded(file), "iu", SITE);
    expect({ what: finding.what, remedies: finding.remedies }).toEqual({ what, remedies });
  });

  test("served from another stack's proxy: the offline page is that stack's", () => {
    const [finding] = explainDrift(recorded("galaxy-shelved.json"), "tacc", TACC_SITE);
    expect(finding.remedies).toEqual([
      "`pulumi up --refresh --stack tacc` to make it active again (jetstream.lappsgrid.org works again with it)",
      "or, if it should stay off: `jetstream offline --stack iu` (the offline page), then `jetstream suspend galaxy --stack tacc` to record it (shelved costs no SUs)",
    ]);
  });

  test("a resize of the target takes nothing down: the advice is the usual one", () => {
    const [finding] = explainDrift(recorded("galaxy-resized.json"), "iu", SITE);
    expect(finding.what).toBe(
      "lappsgrid-galaxy (server) changed outside Pulumi: flavorId 3 -> 7; flavorName m3.large -> m3.xl",
    );
  });

  test("jetstream drift reads the stack files to know the site's target", () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-site-"));
    const fixtures = join(__dirname, "..", "..", "fixtures", "stacks");
    writeFileSync(join(dir, "Pulumi.yaml"), readFileSync(join(__dirname, "..", "..", "..", "Pulumi.yaml")));
    writeFileSync(join(dir, "Pulumi.iu.yaml"), readFileSync(join(fixtures, "Pulumi.iu.yaml")));
    const log = join(FIXTURES, "galaxy-shelved.json");
    const run = runGitopsCli(["drift", "--stack", "iu", "--dir", dir, "--event-log", log]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(
      [
        "Drift on stack iu: 1 resource changed outside Pulumi.",
        "",
        "someone shelved lappsgrid-galaxy outside Pulumi (web UI or openstack CLI): the cloud says shelved_offloaded, the last `pulumi up` left it active; it is the proxy target of jetstream.lappsgrid.org, which fails while it is off",
        "  - `pulumi up --refresh --stack iu` to make it active again (jetstream.lappsgrid.org works again with it)",
        "  - or, if it should stay off: `jetstream offline --stack iu` (the offline page), then `jetstream suspend galaxy --stack iu` to record it (shelved costs no SUs)",
        "",
      ].join("\n"),
    );
  });
});

describe("jetstream drift", () => {
  test("explains a recorded event log and fails on drift when asked", () => {
    const log = join(FIXTURES, "galaxy-shelved.json");
    const run = runGitopsCli(["drift", "--stack", "iu", "--event-log", log]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [
        "Drift on stack iu: 1 resource changed outside Pulumi.",
        "",
        "someone shelved lappsgrid-galaxy outside Pulumi (web UI or openstack CLI): the cloud says shelved_offloaded, the last `pulumi up` left it active",
        "  - run `jetstream suspend galaxy --stack iu` to record it (shelved costs no SUs)",
        "  - or `pulumi up --refresh --stack iu` to make it active again",
        "",
      ].join("\n"),
    );
    const failing = runGitopsCli(["drift", "--stack", "iu", "--event-log", log, "--fail-on-drift"]);
    expect(failing.status).toBe(3);
    expect(failing.stderr).toBe("jetstream: drift found in 1 resource of the stack\n");
  });

  test("reads the newline-delimited event log `pulumi refresh --preview-only --event-log` writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-"));
    const log = join(dir, "events.ndjson");
    writeFileSync(
      log,
      recorded("ssh-rule-deleted.json")
        .map((event) => JSON.stringify(event))
        .join("\n"),
    );
    const run = runGitopsCli(["drift", "--stack", "iu", "--event-log", log, "--json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.stack).toBe("iu");
    expect(report.findings.map((finding: { kind: string }) => finding.kind)).toEqual(["deleted"]);
  });

  test("without the Pulumi CLI: a one-line message saying how to install it and that plan/diff work offline", () => {
    // PATH with node's folder and the system's, none of which holds pulumi here.
    const path = [dirname(process.execPath), "/usr/bin", "/bin"].join(":");
    expect(findPulumiCli({ PATH: path })).toBeUndefined();
    const run = runGitopsCli(["drift", "--stack", "iu"], { ...process.env, PATH: path, PULUMI_HOME: "" });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `jetstream: Pulumi CLI missing: \`jetstream drift\` runs the real engine; ${PULUMI_INSTALL_HINT}\n`,
    );
    expect(run.stderr).toContain("`jetstream plan` and `jetstream diff` work offline without it.");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

test("a stack pulumi cannot select: pulumi's own error line and the usual fix, not the command dump", () => {
  const dump =
    "code: 255\n stdout: \n stderr: error: no stack named 'iu' found\n\n err?: Error: Command failed with exit code 255";
  expect(stackSelectionProblem("iu", dump)).toBe(
    "pulumi cannot select stack \"iu\": no stack named 'iu' found; log in to the team's state backend " +
      "(`pulumi login`) or create the stack (`pulumi stack init iu`): see README.md, State",
  );
});

/** `jetstream drift` against the fake CLI of the pinned version, replaying one recorded refresh. */
const driftWithFakePulumi = (events: string, extraEnv: NodeJS.ProcessEnv = {}, flags: string[] = []) => {
  const calls = join(mkdtempSync(join(tmpdir(), "fake-pulumi-")), "calls");
  const run = runGitopsCli(["drift", "--stack", "iu", ...flags], {
    ...process.env,
    PATH: [join(FIXTURES, "fake-pulumi", "bin"), dirname(process.execPath), "/usr/bin", "/bin"].join(":"),
    FAKE_PULUMI_CALLS: calls,
    FAKE_PULUMI_EVENTS: join(FIXTURES, events),
    ...extraEnv,
  });
  return { ...run, commands: readFileSync(calls, "utf8").trim().split("\n") };
};

test("drift runs `pulumi refresh --preview-only --stack iu` through the Automation API and explains its events", () => {
  const run = driftWithFakePulumi("proxy-floating-ip-disassociated.json");
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    [
      "Drift on stack iu: 1 resource changed outside Pulumi.",
      "",
      "149.165.157.82 is no longer attached to lappsgrid-proxy (disassociated outside Pulumi)",
      "  - `pulumi up --refresh --stack iu` attaches it again",
      "",
    ].join("\n"),
  );
  expect(run.commands.slice(0, 2)).toEqual(["version", "stack select --stack iu --non-interactive"]);
  expect(run.commands[2]).toMatch(/^refresh --preview-only .*--stack iu --non-interactive$/);
  expect(run.commands).toHaveLength(3);
});

test("with the CLI version pinned in .pulumi-version the engine events arrive over gRPC, as on a real install", () => {
  // CLIs newer than 3.205 stream events to the Automation API's EventsService at the address
  // given as --event-log; older ones write a file the Automation API tails.
  expect(readFileSync(join(__dirname, "..", "..", "..", ".pulumi-version"), "utf8").trim()).toBe("3.270.0");
  const run = driftWithFakePulumi("no-drift.json");
  expect(run.commands[2]).toMatch(/ --event-log tcp:\/\/127\.0\.0\.1:[1-9][0-9]* /);
  // Every recorded event reached the report: the five cloud resources of the recording, none lost.
  expect(run.stdout).toBe(
    "No drift on stack iu: the cloud matches the state of the last `pulumi up` (5 resources checked).\n",
  );
  expect(run.status).toBe(0);
});

describe("a refresh that fails", () => {
  const fakeRefresh = (events: string, flags: string[] = []) =>
    driftWithFakePulumi(events, { FAKE_PULUMI_EXIT: "255" }, flags);

  test("on a suspended server: explained from its events, not a crash", () => {
    const run = fakeRefresh("galaxy-suspended.json");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "lappsgrid-galaxy was suspended outside Pulumi (the provider cannot read a suspended server)\n" +
        "  - resume it in the web UI or `openstack server resume lappsgrid-galaxy`, then `jetstream suspend galaxy --stack iu` if it should stay off (shelved costs no SU)\n",
    );
    expect(fakeRefresh("galaxy-suspended.json", ["--fail-on-drift"]).status).toBe(3);
  });

  test("for any other reason: pulumi's failure, not a drift report", () => {
    const run = fakeRefresh("no-drift.json");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error: preview failed");
  });
});

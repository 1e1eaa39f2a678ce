/**
 * `plan` names a number as the stack file writes it (`1e400`, `0x0A00000C`), as the editing
 * verbs do, not as YAML read it (`.inf`, 167772172): the operator looks for the file's text.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../helpers/program";
import { runVerb } from "./support";

jest.setTimeout(120_000);

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plan-numbers-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function plan(stackFileText: string) {
  writeFileSync(join(dir, "Pulumi.lab.yaml"), stackFileText);
  return runVerb(["plan", "--stack", "lab", "--dir", dir]);
}

const refused = (...lines: string[]) => ({
  code: 1,
  stdout: "",
  stderr: `jetstream: invalid config in Pulumi.lab.yaml:\n${lines.join("\n")}\n`,
});

describe("plan names a number as written in the stack file", () => {
  test("cloud, a rule's ports, a size's vcpus and an instance's size: 1e400 and 1E+400 as written, not .inf", () => {
    const text = [
      "config:",
      "  lappsgrid-jetstream:cloud: 1e400",
      "  lappsgrid-jetstream:sizes:",
      "    medium: { flavor: m3.medium, vcpus: 1e400 }",
      "  lappsgrid-jetstream:securityGroup:",
      "    rules:",
      "      - protocol: tcp",
      "        ports: 1E+400",
      "        from: 0.0.0.0/0",
      "  lappsgrid-jetstream:instances:",
      "    lappsgrid-a:",
      "      size: 1e400",
      "",
    ].join("\n");
    expect(plan(text)).toEqual(
      refused(
        "cloud: expected text, got number 1e400",
        'securityGroup.rules.0.ports: 1E+400 is not a port or range; allowed: 22 or "8000-8100"',
        "sizes.medium.vcpus: 1e400 is not allowed; allowed: an integer from 1 to 256 (the flavor's vCPUs)",
        "instances.lappsgrid-a.size: 1e400 is not a size; allowed: tiny, small, medium, large, xlarge",
      ),
    );
  });

  test("the proxy's target, port, healthTries and offlineMessage as written, not as YAML read them", () => {
    const text = [
      "config:",
      "  lappsgrid-jetstream:cloud: TACC",
      "  lappsgrid-jetstream:instances:",
      "    lappsgrid-proxy:",
      "      role: proxy",
      "      size: tiny",
      "      ip: assign",
      "  lappsgrid-jetstream:proxy:",
      "    domain: jetstream.lappsgrid.org",
      "    target: 0x0A00000C",
      "    port: 1e400",
      "    healthTries: 0x10F",
      "    offlineMessage: -1e400",
      "",
    ].join("\n");
    expect(plan(text)).toEqual(
      refused(
        "proxy.target: expected text, got number 0x0A00000C",
        "proxy.port: 1e400 is not a port; allowed: an integer from 1 to 65535",
        "proxy.offlineMessage: expected text, got number -1e400",
        "proxy.healthTries: 0x10F is not allowed; allowed: an integer from 1 to 120",
      ),
    );
  });

  test("a size of 1e3 is 1e3, not 1000, and an offlineUntil of 1e400 is 1e400", () => {
    const text = [
      "config:",
      "  lappsgrid-jetstream:cloud: TACC",
      "  lappsgrid-jetstream:instances:",
      "    lappsgrid-a:",
      "      size: 1e3",
      "    lappsgrid-proxy:",
      "      role: proxy",
      "      size: tiny",
      "      ip: assign",
      "  lappsgrid-jetstream:proxy:",
      "    domain: jetstream.lappsgrid.org",
      "    target: a",
      "    offlineUntil: 1e400",
      "",
    ].join("\n");
    expect(plan(text)).toEqual(
      refused(
        "instances.lappsgrid-a.size: 1e3 is not a size; allowed: tiny, small, medium, large, xlarge",
        'proxy.offlineUntil: 1e400 is not a date; allowed: an ISO date ("2026-12-01") or date-time with a zone ("2026-12-01T09:00Z", "2026-12-01T09:00:00-05:00"); quote it in YAML',
      ),
    );
  });

  test("every problem is listed, not only the first four", () => {
    const text = [
      "config:",
      "  lappsgrid-jetstream:cloud: TACC",
      "  lappsgrid-jetstream:instances:",
      "    lappsgrid-a: { size: 1e1 }",
      "    lappsgrid-b: { size: 1e2 }",
      "    lappsgrid-c: { size: 1e3 }",
      "    lappsgrid-d: { size: 1e4 }",
      "    lappsgrid-e: { size: 1e5 }",
      "    lappsgrid-f: { size: 1e6 }",
      "",
    ].join("\n");
    const allowed = "is not a size; allowed: tiny, small, medium, large, xlarge";
    expect(plan(text)).toEqual(
      refused(
        `instances.lappsgrid-a.size: 1e1 ${allowed}`,
        `instances.lappsgrid-b.size: 1e2 ${allowed}`,
        `instances.lappsgrid-c.size: 1e3 ${allowed}`,
        `instances.lappsgrid-d.size: 1e4 ${allowed}`,
        `instances.lappsgrid-e.size: 1e5 ${allowed}`,
        `instances.lappsgrid-f.size: 1e6 ${allowed}`,
      ),
    );
  });
});

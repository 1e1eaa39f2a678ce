/**
 * The verbs against line endings and indentation an editor left behind: an edit changes only
 * the lines it adds or changes (a stray CRLF line never turns the whole file CRLF), a file with
 * CR-only line endings is refused (Pulumi reads a lone CR as a line break, this CLI's parser
 * does not, so the two would see different stacks), and an entry added after a sibling written
 * as a flow map is indented as a block entry.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyProject, PROJECT_DIR, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";

/** A copy of the project whose `file` has `from` replaced by `to` (once; `from` must be there). */
function projectWith(file: string, from: string, to: string): { dir: string; text: string } {
  const original = shipped(file);
  if (!original.includes(from)) throw new Error(`test setup: ${JSON.stringify(from)} is not in ${file}`);
  const text = original.replace(from, to);
  const dir = copyProject();
  writeFileSync(join(dir, file), text);
  return { dir, text };
}

describe("an edit changes only the lines it adds or changes, whatever their line endings", () => {
  test("suspend in a file with one CRLF line adds an LF line and leaves the CRLF line alone", () => {
    const { dir, text } = projectWith(TACC, "      ip: assign\n", "      ip: assign\r\n");
    expect(runVerb(["suspend", "worker", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(`${text}      state: shelved\n`);
    expect(read(dir, TACC).match(/\r\n/g)).toEqual(["\r\n"]);
  });

  test("resume keeps the CRLF ending of the one line it changes in an LF file", () => {
    const { dir, text } = projectWith(
      TACC,
      "      ip: assign\n",
      "      ip: assign\n      state: shelved\r\n",
    );
    expect(runVerb(["resume", "worker", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(text.replace("      state: shelved\r\n", "      state: active\r\n"));
  });

  test("launch between two CRLF lines of an LF file adds CRLF lines (its neighbours' ending)", () => {
    const iu = shipped(IU);
    const crlfGalaxy =
      "    lappsgrid-galaxy:\r\n      size: large\r\n      image: docker\r\n      ip: assign\r\n      state: active\r\n\r\n";
    const { dir, text } = projectWith(
      IU,
      "    lappsgrid-galaxy:\n      size: large\n      image: docker\n      ip: assign\n      state: active\n\n",
      crlfGalaxy,
    );
    expect(iu).not.toContain("\r");
    expect(runVerb(["launch", "w1", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(read(dir, IU)).toBe(
      text.replace(
        crlfGalaxy,
        `${crlfGalaxy.slice(0, -2)}    lappsgrid-w1:\r\n      size: medium\r\n      image: ubuntu\r\n\r\n`,
      ),
    );
  });

  test("launch into a CRLF file whose last line has no newline ends that line with CRLF", () => {
    const crlf = shipped(TACC).replace(/\n/g, "\r\n").slice(0, -2);
    const dir = copyProject();
    writeFileSync(join(dir, TACC), crlf);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      `${crlf}\r\n    lappsgrid-x:\r\n      size: medium\r\n      image: ubuntu\r\n`,
    );
  });

  test("delete in a file with one CRLF line removes lines and changes no other line ending", () => {
    const { dir, text } = projectWith(
      TACC,
      "      ip: assign\n",
      "      ip: assign\n    lappsgrid-old:\n      size: small\r\n",
    );
    expect(runVerb(["delete", "old", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(shipped(TACC));
    expect(text).toContain("\r\n");
  });

  test("delete of the last instance in a CRLF file leaves `instances: {}` with CRLF", () => {
    const crlf = shipped(TACC).replace(/\n/g, "\r\n");
    const dir = copyProject();
    writeFileSync(join(dir, TACC), crlf);
    expect(runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      crlf.replace(
        "  lappsgrid-jetstream:instances:\r\n    # A LAPPS service worker; shelve it with `jetstream suspend worker` when idle.\r\n    lappsgrid-worker:\r\n      size: medium\r\n      image: docker\r\n      ip: assign\r\n",
        "  lappsgrid-jetstream:instances: {}\r\n",
      ),
    );
  });

  test("openrc import into a CRLF file writes CRLF lines only", () => {
    const crlf = shipped(TACC).replace(/\n/g, "\r\n");
    const dir = copyProject();
    writeFileSync(join(dir, TACC), crlf);
    const openrc = readFileSync(join(PROJECT_DIR, "test", "fixtures", "openrc", "app-credential.sh"), "utf8");
    writeFileSync(join(dir, "openrc.sh"), openrc.replace('OS_REGION_NAME="IU"', 'OS_REGION_NAME="TACC"'));
    expect(runVerb(["openrc", "import", join(dir, "openrc.sh"), "--stack", "tacc", "--dir", dir]).code).toBe(
      0,
    );
    expect(read(dir, TACC)).toBe(
      `${crlf}\r\n  # OpenStack provider settings from \`jetstream openrc import\` (no secrets: see the operator's guide).\r\n  openstack:authUrl: https://js2.jetstream-cloud.org:5000/v3/\r\n  openstack:region: TACC\r\n  openstack:endpointType: public\r\n`,
    );
  });
});

describe("a stack file with CR-only line endings (old Mac) is refused", () => {
  const refusal =
    "jetstream: Pulumi.iu.yaml: line 1 ends in a lone CR (old Mac line ending), which Pulumi reads as a line break and this CLI does not; allowed: LF or CRLF line endings; convert the file first (perl -pi -e 's/\\r\\n?/\\n/g' Pulumi.iu.yaml)\n";

  test.each([
    [["list", "--stack", "iu"]],
    [["launch", "w1", "--stack", "iu"]],
    [["suspend", "galaxy", "--stack", "iu"]],
    [["delete", "galaxy", "--stack", "iu"]],
    [["offline", "--stack", "iu"]],
    [["proxy", "proxy", "--stack", "iu"]],
    [["plan", "--stack", "iu"]],
  ])("%j refuses it and leaves it byte-identical", (argv) => {
    const cr = shipped(IU).replace(/\n/g, "\r");
    const dir = copyProject();
    writeFileSync(join(dir, IU), cr);
    expect(runVerb([...argv, "--dir", dir])).toEqual({ code: 1, stdout: "", stderr: refusal });
    expect(read(dir, IU)).toBe(cr);
  });

  test("one lone CR inside an LF file is refused with its line", () => {
    const { dir, text } = projectWith(TACC, "      size: medium\n", "      size: medium\r");
    expect(runVerb(["list", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml: line 32 ends in a lone CR (old Mac line ending), which Pulumi reads as a line break and this CLI does not; allowed: LF or CRLF line endings; convert the file first (perl -pi -e 's/\\r\\n?/\\n/g' Pulumi.tacc.yaml)\n",
    });
    expect(read(dir, TACC)).toBe(text);
  });

  test("delete in another stack refuses when IU's file has CR-only line endings (its proxy may serve the instance)", () => {
    const cr = shipped(IU).replace(/\n/g, "\r");
    const dir = copyProject();
    writeFileSync(join(dir, IU), cr);
    expect(runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-worker: Pulumi.iu.yaml is not valid as it is (line 1 ends in a lone CR (old Mac line ending), which Pulumi reads as a line break and this CLI does not; allowed: LF or CRLF line endings; convert the file first (perl -pi -e 's/\\r\\n?/\\n/g' Pulumi.iu.yaml)), so whether its proxy serves tacc/lappsgrid-worker cannot be checked; fix it first (`jetstream plan --stack iu`)\n",
    });
    expect(read(dir, IU)).toBe(cr);
    expect(read(dir, TACC)).toBe(shipped(TACC));
  });
});

describe("other files read with the stack: CR-only line endings are refused, not read as empty", () => {
  test("the conversion the refusal names gives the file back with LF line endings, and list reads it", () => {
    const cr = shipped(TACC).replace(/\n/g, "\r");
    const dir = copyProject();
    writeFileSync(join(dir, TACC), cr);
    execFileSync("perl", ["-pi", "-e", "s/\\r\\n?/\\n/g", TACC], { cwd: dir });
    expect(read(dir, TACC)).toBe(shipped(TACC));
    expect(runVerb(["list", "--stack", "tacc", "--dir", dir]).code).toBe(0);
  });

  test("plan refuses an inventory with CR-only line endings instead of calling it empty", () => {
    const dir = copyProject();
    mkdirSync(join(dir, "inventory"));
    const inventory = readFileSync(join(PROJECT_DIR, "inventory", "tacc.yaml"), "utf8").replace(/\n/g, "\r");
    writeFileSync(join(dir, "inventory", "tacc.yaml"), inventory);
    expect(runVerb(["plan", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: inventory/tacc.yaml: line 1 ends in a lone CR (old Mac line ending), which Pulumi reads as a line break and this CLI does not; allowed: LF or CRLF line endings; convert the file first (perl -pi -e 's/\\r\\n?/\\n/g' inventory/tacc.yaml)\n",
    });
  });

  test("plan refuses a Pulumi.yaml with CR-only line endings in one line", () => {
    const dir = copyProject();
    writeFileSync(join(dir, "Pulumi.yaml"), shipped("Pulumi.yaml").replace(/\n/g, "\r"));
    expect(runVerb(["plan", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.yaml: line 1 ends in a lone CR (old Mac line ending), which Pulumi reads as a line break and this CLI does not; allowed: LF or CRLF line endings; convert the file first (perl -pi -e 's/\\r\\n?/\\n/g' Pulumi.yaml)\n",
    });
  });
});

describe("an entry added after a sibling written as a flow map is indented as a block entry", () => {
  const FLOW_PROXY = "    lappsgrid-proxy: {role: proxy, size: tiny, image: ubuntu, ip: 149.165.157.82}\n";
  const BLOCK_PROXY =
    "    lappsgrid-proxy:\n      role: proxy\n      size: tiny\n      image: ubuntu\n      ip: 149.165.157.82\n";

  test("launch after a flow-map first sibling indents the new entry's keys as the block siblings'", () => {
    const { dir, text } = projectWith(IU, BLOCK_PROXY, FLOW_PROXY);
    expect(runVerb(["launch", "w1", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(read(dir, IU)).toBe(
      text.replace(
        "      state: active\n",
        "      state: active\n    lappsgrid-w1:\n      size: medium\n      image: ubuntu\n",
      ),
    );
  });

  test("launch after a flow-map only sibling indents by the file's step", () => {
    const { dir, text } = projectWith(
      TACC,
      "    lappsgrid-worker:\n      size: medium\n      image: docker\n      ip: assign\n",
      "    lappsgrid-worker: {size: medium, image: docker, ip: assign}\n",
    );
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(`${text}    lappsgrid-x:\n      size: medium\n      image: ubuntu\n`);
  });

  test("launch after a flow-map only sibling in a file indented by 4 indents by 4", () => {
    const text = [
      "config:",
      "    lappsgrid-jetstream:cloud: TACC",
      "    lappsgrid-jetstream:instances:",
      "        lappsgrid-worker: {size: medium, image: ubuntu, ip: assign}",
      "",
    ].join("\n");
    const dir = copyProject();
    writeFileSync(join(dir, TACC), text);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      `${text}        lappsgrid-x:\n            size: medium\n            image: ubuntu\n`,
    );
  });

  test("launch into a file indented by 4 without instances adds the block indented by 4", () => {
    const text = "config:\n    lappsgrid-jetstream:cloud: TACC\n";
    const dir = copyProject();
    writeFileSync(join(dir, TACC), text);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir]).code).toBe(0);
    expect(read(dir, TACC)).toBe(
      `${text}    lappsgrid-jetstream:instances:\n        lappsgrid-x:\n            size: medium\n            image: ubuntu\n`,
    );
  });
});

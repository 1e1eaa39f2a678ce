/**
 * A refresh by `inventory import` keeps everything the file holds before its first key: comments,
 * a `%YAML` directive, the `---` that starts the document. A file plan refuses for its line
 * endings (a lone CR) is refused the same way, not overwritten without its header.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runJetstream } from "../helpers/cli";
import { PROJECT_DIR } from "../helpers/program";

jest.setTimeout(120_000);

const RECORDED = join(PROJECT_DIR, "test", "fixtures", "inventory", "iu");
const GENERATED =
  "# What exists in the project of stack iu, recorded by `jetstream inventory import` from the\n" +
  '# openstack CLI\'s JSON output (README, "The inventory"). Real IDs: refresh, never edit by hand.\n';

function projectWithInventory(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "inventory-header-"));
  for (const file of ["Pulumi.yaml", "Pulumi.iu.yaml"])
    copyFileSync(join(PROJECT_DIR, file), join(dir, file));
  if (text !== undefined) {
    mkdirSync(join(dir, "inventory"));
    writeFileSync(join(dir, "inventory", "iu.yaml"), text);
  }
  return dir;
}

const importInto = (dir: string) =>
  runJetstream(["inventory", "import", "--stack", "iu", "--from", RECORDED, "--dir", dir], { cwd: dir });
const inventoryOf = (dir: string) => readFileSync(join(dir, "inventory", "iu.yaml"), "utf8");

/** The records a first import writes after its generated header. */
function records(): string {
  const dir = projectWithInventory();
  expect(importInto(dir).status).toBe(0);
  const text = inventoryOf(dir);
  expect(text.startsWith(`${GENERATED}cloud: IU\n`)).toBe(true);
  return text.slice(GENERATED.length);
}

describe("inventory import keeps everything before the first key", () => {
  test.each([
    ["a document start", "---\n", "Kept the line before the first key (comments, directives, ---)"],
    [
      "a %YAML directive and a document start",
      "%YAML 1.2\n---\n",
      "Kept the 2 lines before the first key (comments, directives, ---)",
    ],
    [
      "a comment, a document start and more comments",
      "# top\n---\n# IU's allocation\n\n",
      "Kept the 4 lines before the first key (comments, directives, ---)",
    ],
  ])("%s is kept, and the refresh says so", (_case, header, note) => {
    const expected = `${header}${records()}`;
    const dir = projectWithInventory(`${header}cloud: IU\nquotas:\n  routers: 1\n`);
    const run = importInto(dir);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout.split("\n")[2]).toBe(`${note} as they were: check they still say what the file holds.`);
    expect(inventoryOf(dir)).toBe(expected);
  });

  test("a file with a lone CR is refused as plan refuses it, and left byte-identical", () => {
    const before = "# IU's allocation\rcloud: IU\nquotas:\n  routers: 1\n";
    const dir = projectWithInventory(before);
    expect(importInto(dir)).toEqual({
      status: 1,
      stdout: "",
      stderr:
        "jetstream: inventory/iu.yaml: line 1 ends in a lone CR (old Mac line ending), which Pulumi reads as a line break and this CLI does not; " +
        "allowed: LF or CRLF line endings; convert the file first (perl -pi -e 's/\\r\\n?/\\n/g' inventory/iu.yaml)\n",
    });
    expect(inventoryOf(dir)).toBe(before);
  });

  test("a header that would leave the refreshed file unreadable (two ---) is refused, file unchanged", () => {
    const before = "# IU\n---\n---\ncloud: IU\n";
    const dir = projectWithInventory(before);
    expect(importInto(dir)).toEqual({
      status: 1,
      stdout: "",
      stderr:
        "jetstream: inventory/iu.yaml: lines 1-3 before the first key do not start one YAML document, and a refresh keeps them; " +
        "allowed: comments, a %YAML directive, then one ---; fix them, then import again\n",
    });
    expect(inventoryOf(dir)).toBe(before);
  });
});

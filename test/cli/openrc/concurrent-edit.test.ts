/**
 * `openrc import` never overwrites a change someone saved after it read the stack file, like
 * every other verb that edits one (test/cli/stack-file/edit-write.test.ts).
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importOpenrc } from "../../../cli/openrc/import";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "openrc");

// The import reads and writes in one go: a colleague's save is slipped in right after its read
// of the stack file, the one moment such a save can land.
let afterStackFileRead: ((path: string) => void) | undefined;
jest.mock("node:fs", () => {
  const actual = jest.requireActual<typeof import("node:fs")>("node:fs");
  return {
    ...actual,
    readFileSync: (...args: Parameters<typeof actual.readFileSync>) => {
      const text = actual.readFileSync(...args);
      const path = String(args[0]);
      if (afterStackFileRead !== undefined && path.endsWith("Pulumi.iu.yaml")) {
        const save = afterStackFileRead;
        afterStackFileRead = undefined;
        save(path);
      }
      return text;
    },
  };
});

test("a change someone else saved while the import ran is kept, and the import says to run it again", () => {
  const { readFileSync, writeFileSync } = jest.requireActual<typeof import("node:fs")>("node:fs");
  const dir = mkdtempSync(join(tmpdir(), "openrc-concurrent-"));
  const path = join(dir, "Pulumi.iu.yaml");
  copyFileSync(join(FIXTURES, "Pulumi.iu.yaml"), path);
  const theirs = `# edited by a colleague\n${readFileSync(path, "utf8")}`;
  afterStackFileRead = (stackFile) => writeFileSync(stackFile, theirs);
  expect(() => importOpenrc(join(FIXTURES, "app-credential.sh"), "iu", dir)).toThrow(
    "Pulumi.iu.yaml changed while this verb ran; run it again",
  );
  expect(readFileSync(path, "utf8")).toBe(theirs);
});

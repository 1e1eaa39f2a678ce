/** How an edit reaches the stack file: replaced in one step, and never over someone else's change. */
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setScalar } from "../../../cli/stack-file/edit";
import { runStackEdit } from "../../../cli/stack-file/edit-flow";
import { INSTANCES_PATH } from "../../../cli/stack-file/text";
import { copyProject, read, shipped } from "../support";

// A resize: galaxy is the online target, which validation keeps from being shelved.
const resizeGalaxy = (text: string) => ({
  text: setScalar(text, [...INSTANCES_PATH, "lappsgrid-galaxy", "size"], "xlarge"),
  summary: "lappsgrid-galaxy: size large -> xlarge",
});

test("the edited file replaces the old one by rename: a reader that opened the old file reads all of the old file", async () => {
  const dir = copyProject();
  const path = join(dir, "Pulumi.iu.yaml");
  const inodeBefore = statSync(path).ino;
  const reader = openSync(path, "r");
  try {
    await runStackEdit({ stack: "iu", dir }, (file) => resizeGalaxy(file.text), {
      evaluate: null,
      write: () => {},
    });
    // Written in place, the open file would now hold the new text (or half of it).
    expect(readFileSync(reader, "utf8")).toBe(shipped("Pulumi.iu.yaml"));
  } finally {
    closeSync(reader);
  }
  expect(statSync(path).ino).not.toBe(inodeBefore);
  expect(read(dir, "Pulumi.iu.yaml")).toContain("      size: xlarge\n");
});

test("a change someone else saved while the verb ran is kept, and the verb says to run it again", async () => {
  const dir = copyProject();
  const path = join(dir, "Pulumi.iu.yaml");
  const theirs = shipped("Pulumi.iu.yaml").replace("# ", "# edited by a colleague: ");
  expect(theirs).not.toBe(shipped("Pulumi.iu.yaml"));
  const written: string[] = [];
  await expect(
    runStackEdit(
      { stack: "iu", dir },
      (file) => {
        writeFileSync(path, theirs);
        return resizeGalaxy(file.text);
      },
      { evaluate: null, write: (text) => written.push(text) },
    ),
  ).rejects.toThrow("Pulumi.iu.yaml changed while this verb ran; run it again");
  expect(read(dir, "Pulumi.iu.yaml")).toBe(theirs);
  expect(written).toEqual([]);
});

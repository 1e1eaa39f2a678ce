/**
 * Where a new instance's settings sit: as in the instances already written as block maps, else
 * as the file itself steps in, and two spaces in a file that shows no step. And what `delete`
 * refuses: an entry of a flow map, whose one line holds its neighbours too.
 */
import { addEntry, NotEditable, removeEntry } from "../../../cli/stack-file/edit";
import { INSTANCES_PATH } from "../../../cli/stack-file/text";

describe("a new instance's settings are indented as the file indents", () => {
  test("as the instance written as a block map, even when the file steps in by less", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box: {size: tiny}\n    web:\n        size: small\n";
    expect(addEntry(text, INSTANCES_PATH, "db", { size: "large", state: "stopped" })).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box: {size: tiny}\n    web:\n        size: small\n    db:\n        size: large\n        state: stopped\n",
    );
  });

  test("as the file steps in when every instance is written as a flow map", () => {
    const text = "config:\n  lappsgrid-jetstream:instances:\n      box: {size: tiny}\n";
    expect(addEntry(text, INSTANCES_PATH, "db", { size: "large" })).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n      box: {size: tiny}\n      db:\n          size: large\n",
    );
  });

  test("by two spaces in a file holding only top-level values", () => {
    expect(addEntry("encryptionsalt: v1:abc\n", INSTANCES_PATH, "db", { size: "large" })).toBe(
      "encryptionsalt: v1:abc\nconfig:\n  lappsgrid-jetstream:instances:\n    db:\n      size: large\n",
    );
  });
});

test("a setting added after a kept block (|+) whose last line holds blanks only keeps the gap after it", () => {
  const text =
    "config:\n  lappsgrid-jetstream:instances:\n    box:\n      userData: |+\n        #cloud-config\n        \n  lappsgrid-jetstream:cloud: IU\n";
  expect(addEntry(text, [...INSTANCES_PATH, "box"], "state", "stopped")).toBe(
    "config:\n  lappsgrid-jetstream:instances:\n    box:\n      userData: |+\n        #cloud-config\n        \n      state: stopped\n\n  lappsgrid-jetstream:cloud: IU\n",
  );
});

test("delete refuses an instance of a flow map, naming the map and what is allowed", () => {
  const text = "config:\n  lappsgrid-jetstream:instances: {box: {size: tiny}, web: {size: small}}\n";
  const remove = () => removeEntry(text, INSTANCES_PATH, "box");
  expect(remove).toThrow(NotEditable);
  expect(remove).toThrow(
    "instances: written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again",
  );
});

/**
 * Stack files as operators write them, beyond the shipped layout: other indentations, quoting,
 * empty files, files without a final newline, maps in flow style.
 * Each edit must change only its own lines, or refuse with the key and what is allowed.
 */
import {
  addEntry,
  EditRejected,
  NotEditable,
  projectKey,
  removeEntry,
  setScalar,
  validateEditedText,
} from "../../../cli/stack-file/edit";

const INSTANCES = ["config", "lappsgrid-jetstream:instances"];

describe("edits in files written another way", () => {
  test("projectKey puts the project's namespace before a key", () => {
    expect(projectKey("instances")).toBe("lappsgrid-jetstream:instances");
  });

  test("a single-quoted value stays single-quoted, an apostrophe doubled", () => {
    const text = "config:\n  lappsgrid-jetstream:proxy:\n    offlineMessage: 'back soon'\n";
    expect(setScalar(text, ["config", "lappsgrid-jetstream:proxy", "offlineMessage"], "we're back")).toBe(
      "config:\n  lappsgrid-jetstream:proxy:\n    offlineMessage: 'we''re back'\n",
    );
  });

  test("a double-quoted value stays double-quoted", () => {
    const text = 'config:\n  lappsgrid-jetstream:proxy:\n    mode: "online"\n';
    expect(setScalar(text, ["config", "lappsgrid-jetstream:proxy", "mode"], "offline")).toBe(
      'config:\n  lappsgrid-jetstream:proxy:\n    mode: "offline"\n',
    );
  });

  test("a new instance in a file indented by four follows the file's indentation", () => {
    const text = "config:\n    lappsgrid-jetstream:instances:\n        box:\n            size: small\n";
    expect(addEntry(text, INSTANCES, "web", { size: "tiny", image: "ubuntu" })).toBe(
      "config:\n    lappsgrid-jetstream:instances:\n        box:\n            size: small\n        web:\n            size: tiny\n            image: ubuntu\n",
    );
  });

  test("an entry added to a file without a final newline starts on a line of its own", () => {
    const text = "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small";
    expect(addEntry(text, [...INSTANCES, "box"], "state", "shelved")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n      state: shelved\n",
    );
  });

  test("the first entry of an empty file, or one of comments only, goes below what is there", () => {
    expect(addEntry("", [], "config", { "lappsgrid-jetstream:cloud": "IU" })).toBe(
      "config:\n  lappsgrid-jetstream:cloud: IU\n",
    );
    expect(addEntry("# lab stack", [], "config", { "lappsgrid-jetstream:cloud": "IU" })).toBe(
      "# lab stack\nconfig:\n  lappsgrid-jetstream:cloud: IU\n",
    );
    expect(addEntry("# lab stack\n", INSTANCES, "web", { size: "tiny" })).toBe(
      "# lab stack\nconfig:\n  lappsgrid-jetstream:instances:\n    web:\n      size: tiny\n",
    );
  });

  test("an instance added under `instances:` with nothing under it, at the end of a file without newline", () => {
    expect(addEntry("config:\n  lappsgrid-jetstream:instances:", INSTANCES, "web", { size: "tiny" })).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    web:\n      size: tiny\n",
    );
  });

  test("a comment after {} stays on the key's line", () => {
    expect(
      addEntry(
        "config:\n  lappsgrid-jetstream:instances: {} # none yet\n  lappsgrid-jetstream:cloud: IU\n",
        INSTANCES,
        "web",
        { size: "tiny" },
      ),
    ).toBe(
      "config:\n  lappsgrid-jetstream:instances: # none yet\n    web:\n      size: tiny\n  lappsgrid-jetstream:cloud: IU\n",
    );
  });

  test("a setting added after a block kept with |+ goes after its blank lines, and keeps the gap", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      userData: |+\n        #cloud-config\n\n  lappsgrid-jetstream:cloud: IU\n";
    expect(addEntry(text, [...INSTANCES, "box"], "size", "small")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      userData: |+\n        #cloud-config\n\n      size: small\n\n  lappsgrid-jetstream:cloud: IU\n",
    );
  });

  test("a setting goes after a note at its map's indentation; a new instance goes above one (delete takes it as that instance's)", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n      # note on box\n";
    expect(addEntry(text, [...INSTANCES, "box"], "state", "shelved")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n      # note on box\n      state: shelved\n",
    );
    const notes =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n    # web comes next\n";
    expect(addEntry(notes, INSTANCES, "web", { size: "tiny" })).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n    web:\n      size: tiny\n    # web comes next\n",
    );
  });

  test("`instances:` with nothing under it, followed by other keys: the instance goes between", () => {
    expect(
      addEntry(
        "config:\n  lappsgrid-jetstream:instances:\n  lappsgrid-jetstream:cloud: IU\n",
        INSTANCES,
        "web",
        {
          size: "tiny",
        },
      ),
    ).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    web:\n      size: tiny\n  lappsgrid-jetstream:cloud: IU\n",
    );
  });

  test("a setting of an instance not yet in the file creates the instance's block", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n  lappsgrid-jetstream:cloud: IU\n";
    expect(addEntry(text, [...INSTANCES, "web"], "size", "tiny")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n    web:\n      size: tiny\n  lappsgrid-jetstream:cloud: IU\n",
    );
  });

  test("a setting added after a block kept with |+ at the end of the file adds no blank line of its own", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      userData: |+\n        #cloud-config\n\n";
    expect(addEntry(text, [...INSTANCES, "box"], "size", "small")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      userData: |+\n        #cloud-config\n\n      size: small\n",
    );
  });

  test("blank lines elsewhere in the file, or at its end, add no blank line after a new setting", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n\n    web:\n      size: tiny\n  lappsgrid-jetstream:cloud: IU\n\n";
    expect(addEntry(text, [...INSTANCES, "web"], "state", "shelved")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n\n    web:\n      size: tiny\n      state: shelved\n  lappsgrid-jetstream:cloud: IU\n\n",
    );
  });

  test("a note that ends a file without a final newline stays above a new setting", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n      # cheap for now";
    expect(addEntry(text, [...INSTANCES, "box"], "state", "shelved")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n      # cheap for now\n      state: shelved\n",
    );
  });

  test("removing an entry keeps a comment after it at its own indentation: that one leads the next entry", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n    # the web front\n    web:\n      size: tiny\n";
    expect(removeEntry(text, INSTANCES, "box")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    # the web front\n    web:\n      size: tiny\n",
    );
  });

  test("in a file without a final newline, an entry added in the middle adds no blank line", () => {
    expect(
      addEntry(
        "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n  lappsgrid-jetstream:cloud: IU",
        [...INSTANCES, "box"],
        "state",
        "shelved",
      ),
    ).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n      state: shelved\n  lappsgrid-jetstream:cloud: IU",
    );
    expect(
      addEntry(
        "config:\n  lappsgrid-jetstream:instances:\n  lappsgrid-jetstream:cloud: IU",
        INSTANCES,
        "web",
        {
          size: "tiny",
        },
      ),
    ).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    web:\n      size: tiny\n  lappsgrid-jetstream:cloud: IU",
    );
  });

  test("removing the last instance under a key written with a blank before its colon leaves `key : {}`", () => {
    expect(
      removeEntry(
        "config:\n  lappsgrid-jetstream:instances :\n    box:\n      size: small\n",
        INSTANCES,
        "box",
      ),
    ).toBe("config:\n  lappsgrid-jetstream:instances : {}\n");
  });

  test("removing the last instance leaves `{}`, not a null map", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: small\n  lappsgrid-jetstream:cloud: IU\n";
    expect(removeEntry(text, INSTANCES, "box")).toBe(
      "config:\n  lappsgrid-jetstream:instances: {}\n  lappsgrid-jetstream:cloud: IU\n",
    );
  });

  test("removing an entry keeps a comment above it that belongs to the map, not to it", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n  # all the boxes\n    box:\n      size: small\n    web:\n      size: tiny\n";
    expect(removeEntry(text, INSTANCES, "box")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n  # all the boxes\n    web:\n      size: tiny\n",
    );
  });
});

describe("edits refused", () => {
  test("text that is not YAML is refused with the parser's reason", () => {
    expect(() => setScalar("config: [\n", ["config", "x"], "y")).toThrow(/^not valid YAML: /);
  });

  test("a new entry under a key that holds text names the key and what is allowed", () => {
    const text = "config:\n  lappsgrid-jetstream:instances: none\n";
    expect(() => addEntry(text, INSTANCES, "web", { size: "tiny" })).toThrow(NotEditable);
    expect(() => addEntry(text, INSTANCES, "web", { size: "tiny" })).toThrow(
      "instances: not a map; allowed: a block map of settings",
    );
  });

  test("a map in flow style with entries is refused: it must be written as a block map", () => {
    expect(() =>
      addEntry("config:\n  lappsgrid-jetstream:instances: {box: {size: small}}\n", INSTANCES, "web", {
        size: "tiny",
      }),
    ).toThrow(
      "instances: written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again",
    );
  });

  test("removing an instance that is not there names it", () => {
    expect(() => removeEntry("config:\n  lappsgrid-jetstream:instances: {}\n", INSTANCES, "web")).toThrow(
      "internal: config.lappsgrid-jetstream:instances.web does not exist",
    );
  });
});

describe("shared values and rejected edits", () => {
  const SHARED =
    "config:\n  lappsgrid-jetstream:instances:\n    box: &base\n      size: small\n    web: *base\n";

  test("removing an instance whose settings another instance uses through an anchor is refused", () => {
    expect(() => removeEntry(SHARED, INSTANCES, "box")).toThrow(
      "instances.box: carries the anchor &base, which *base uses elsewhere in the file; left unchanged (deleting it would leave them pointing at nothing); allowed: write the value itself where *base is, then run the verb again",
    );
  });

  test("removing the instance written as the alias is allowed: the anchor stays", () => {
    expect(removeEntry(SHARED, INSTANCES, "web")).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    box: &base\n      size: small\n",
    );
  });

  test("a setting added to an instance shared through an anchor is refused", () => {
    expect(() => addEntry(SHARED, [...INSTANCES, "box"], "state", "shelved")).toThrow(
      /^instances\.box: carries the anchor &base, which \*base uses elsewhere in the file; left unchanged/,
    );
  });

  test("an edit with several problems lists each on its own line", () => {
    const text =
      "config:\n  lappsgrid-jetstream:instances:\n    box:\n      size: huge\n      state: asleep\n";
    let rejected: unknown;
    try {
      validateEditedText(text, "/tmp/x/Pulumi.lab.yaml", "lab");
    } catch (error) {
      rejected = error;
    }
    expect(rejected).toBeInstanceOf(EditRejected);
    expect((rejected as EditRejected).name).toBe("EditRejected");
    expect((rejected as EditRejected).message).toBe(
      'Pulumi.lab.yaml left unchanged: the edit would make the stack invalid:\n  instances.box.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge\n  instances.box.state: "asleep" is not a state; allowed: active, stopped, shelved',
    );
  });
});

/** The splicing core: each edit changes only its own lines of the text. */
import { addEntry, removeEntry, setScalar, validateEditedText } from "../../../cli/stack-file/edit";
import { changedLines } from "../support";

const BASE = [
  "config:",
  "  lappsgrid-jetstream:instances:",
  "    # the first box",
  "    box:",
  "      size: small   # cheap",
  '      image: "ubuntu"',
  "      # trailing note about box",
  "",
  "  # proxy settings",
  "  lappsgrid-jetstream:proxy:",
  "    mode: online",
  "",
].join("\n");

const INSTANCES = ["config", "lappsgrid-jetstream:instances"];

describe("stack-file splices", () => {
  test("setScalar replaces the value only, keeping a comment on the line and the quoting style", () => {
    expect(changedLines(BASE, setScalar(BASE, [...INSTANCES, "box", "size"], "large"))).toEqual([
      "-      size: small   # cheap",
      "+      size: large   # cheap",
    ]);
    expect(changedLines(BASE, setScalar(BASE, [...INSTANCES, "box", "image"], "docker"))).toEqual([
      '-      image: "ubuntu"',
      '+      image: "docker"',
    ]);
  });

  test("addEntry appends after the last entry and after comments that belong to it", () => {
    const text = addEntry(BASE, [...INSTANCES, "box"], "state", "shelved");
    expect(changedLines(BASE, text)).toEqual(["+      state: shelved"]);
    expect(text).toContain("      # trailing note about box\n      state: shelved\n");
  });

  test("addEntry of a map writes a block at the sibling indentation", () => {
    expect(changedLines(BASE, addEntry(BASE, INSTANCES, "web", { size: "medium", image: "ubuntu" }))).toEqual(
      ["+    web:", "+      size: medium", "+      image: ubuntu"],
    );
  });

  test("addEntry creates the map under its parent when the key is absent", () => {
    const text = "config:\n  lappsgrid-jetstream:cloud: IU\n";
    expect(addEntry(text, INSTANCES, "web", { size: "tiny" })).toBe(
      "config:\n  lappsgrid-jetstream:cloud: IU\n  lappsgrid-jetstream:instances:\n    web:\n      size: tiny\n",
    );
  });

  test("addEntry fills an empty map written as {} or as nothing", () => {
    expect(
      addEntry("config:\n  lappsgrid-jetstream:instances: {}\n", INSTANCES, "web", { size: "tiny" }),
    ).toBe("config:\n  lappsgrid-jetstream:instances:\n    web:\n      size: tiny\n");
    expect(addEntry("config:\n  lappsgrid-jetstream:instances:\n", INSTANCES, "web", { size: "tiny" })).toBe(
      "config:\n  lappsgrid-jetstream:instances:\n    web:\n      size: tiny\n",
    );
  });

  test("a written string that YAML would misread is quoted", () => {
    expect(changedLines(BASE, setScalar(BASE, [...INSTANCES, "box", "size"], "8080"))).toEqual([
      "-      size: small   # cheap",
      '+      size: "8080"   # cheap',
    ]);
  });

  test("removeEntry takes the entry, the comment above it and its deeper trailing comments, not the next key's", () => {
    const text = addEntry(BASE, INSTANCES, "web", { size: "medium" });
    expect(changedLines(text, removeEntry(text, INSTANCES, "box"))).toEqual([
      "-    # the first box",
      "-    box:",
      "-      size: small   # cheap",
      '-      image: "ubuntu"',
      "-      # trailing note about box",
    ]);
    expect(removeEntry(text, INSTANCES, "box")).toContain("\n  # proxy settings\n");
  });

  test("validateEditedText names the key and the reason", () => {
    const bad = setScalar(BASE, [...INSTANCES, "box", "size"], "huge");
    expect(() => validateEditedText(bad, "Pulumi.lab.yaml", "lab")).toThrow(
      'Pulumi.lab.yaml left unchanged: the edit would make the stack invalid:\n  instances.box.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge',
    );
  });
});

/**
 * Where a quote or flow collection was left open: the opener's offset, what closes it and the
 * key its value belongs to. `plan` and every verb report this line instead of where the YAML
 * parser gave up (often the end of the file).
 */
import { firstUnclosed } from "../../config/yaml-unclosed";

describe("closed values have nothing left open", () => {
  test.each([
    ["a double-quoted value with an escaped quote", 'size: "x\\"y"\n'],
    ["a double-quoted value ending in an escaped backslash", 'size: "x\\\\"\n'],
    ["a double-quoted value over two lines", 'msg: "one\n  two"\n'],
    ["a single-quoted value with a doubled quote", "size: 'it''s'\n"],
    ["an empty single-quoted value", "size: ''\n"],
    ["a flow sequence", "ports: [22, 80]\n"],
    ["a flow map", "proxy: {mode: online}\n"],
    ["a flow map inside a flow sequence", "rules: [{from: a}, {from: b}]\n"],
  ])("%s", (_, text) => {
    expect(firstUnclosed(text)).toBeUndefined();
  });
});

describe("an opener left open is named where it opened, with its key", () => {
  test.each<[string, string, { offset: number; opener: string; closer: string; key?: string }]>([
    ["a double quote", 'cloud: IU\nsize: "m3.small\n', { offset: 16, opener: '"', closer: '"', key: "size" }],
    [
      "a double quote whose last character is an escaped quote",
      'size: "x\\"\n',
      { offset: 6, opener: '"', closer: '"', key: "size" },
    ],
    ["a single quote", "size: 'small\n", { offset: 6, opener: "'", closer: "'", key: "size" }],
    [
      "a single quote ending in a doubled quote",
      "size: 'it''\n",
      { offset: 6, opener: "'", closer: "'", key: "size" },
    ],
    ["a flow sequence", "ports: [22, 80\n", { offset: 7, opener: "[", closer: "]", key: "ports" }],
    ["a flow map", "proxy: {mode: online\n", { offset: 7, opener: "{", closer: "}", key: "proxy" }],
    [
      "a quote inside a flow sequence (it swallowed the `]`)",
      'ports: [22, "80]\n',
      { offset: 12, opener: '"', closer: '"', key: "ports" },
    ],
    [
      "a nested key names the innermost map's key",
      "config:\n  proxy:\n    mode: 'online\n",
      { offset: 27, opener: "'", closer: "'", key: "mode" },
    ],
    ["the first of two, not the second", 'a: "x\nb: [1\n', { offset: 3, opener: '"', closer: '"', key: "a" }],
  ])("%s", (_, text, expected) => {
    expect(firstUnclosed(text)).toEqual(expected);
  });

  test.each<[string, string, { offset: number; opener: string; closer: string; key?: string }]>([
    [
      "a map left open inside a sequence left open: the outer one",
      "ports: [1, {a: 2\n",
      { offset: 7, opener: "[", closer: "]", key: "ports" },
    ],
    [
      "a single quote inside a flow map left open: the quote",
      "proxy: {mode: 'online}\n",
      { offset: 14, opener: "'", closer: "'", key: "mode" },
    ],
    [
      "a quote in a block list item, named by the list's key",
      'items:\n  - "open\n',
      { offset: 11, opener: '"', closer: '"', key: "items" },
    ],
    [
      "a sequence left open before a comment",
      "ports: [22, 80 # web\n",
      { offset: 7, opener: "[", closer: "]", key: "ports" },
    ],
  ])("%s", (_, text, expected) => {
    expect(firstUnclosed(text)).toEqual(expected);
  });

  test("a quote inside a map inside a sequence swallowed both closers: the quote", () => {
    const text = 'ports: [1, {a: "x}]\n';
    expect(firstUnclosed(text)).toEqual({ offset: text.indexOf('"'), opener: '"', closer: '"', key: "a" });
  });

  test("a doubled quote at the very end of the file does not close a single-quoted value", () => {
    expect(firstUnclosed("size: 'it''")).toEqual({ offset: 6, opener: "'", closer: "'", key: "size" });
  });

  test("a double-quoted value continued with an escaped line break is closed", () => {
    expect(firstUnclosed('msg: "one\\\n  two"\n')).toBeUndefined();
  });

  test.each([
    ["LF", "proxy: {mo \n  de: 'online\n"],
    ["CRLF", "proxy: {mo\r\n  de: 'online\r\n"],
  ])("a flow map key the parser ran on past a %s line break is named by its first line", (_, text) => {
    expect(firstUnclosed(text)).toEqual({ offset: text.indexOf("'"), opener: "'", closer: "'", key: "mo" });
  });

  test("a quote opened as the second key of a map is found there", () => {
    const text = 'cloud: IU\n"size: small\n';
    expect(firstUnclosed(text)).toEqual({
      offset: text.indexOf('"'),
      opener: '"',
      closer: '"',
      key: undefined,
    });
  });

  test("a quote opened as a key has no key of its own", () => {
    expect(firstUnclosed('"size: small\n')).toEqual({ offset: 0, opener: '"', closer: '"', key: undefined });
  });

  test("a key written over a CRLF line end is named by its first line only", () => {
    const found = firstUnclosed('instances:\r\n  galaxy:\r\n    size: "large\r\n');
    expect(found).toEqual({ offset: 33, opener: '"', closer: '"', key: "size" });
  });
});

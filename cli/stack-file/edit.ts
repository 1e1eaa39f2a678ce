/**
 * Minimal edits of a stack file. The `yaml` Document API finds the nodes a verb touches; the
 * edit itself is a splice of the original text at those nodes' source ranges, because
 * re-serialising the document (Document#toString) rewrites flow lists (`[a, b]` becomes
 * `[ a, b ]`) and folds long lines. Everything outside the splice stays byte-for-byte: comments,
 * key order, blank lines, `secure:` values.
 */
import { basename } from "node:path";
import { isAlias, isMap, isScalar, type Pair, parseDocument, Scalar, stringify, type YAMLMap } from "yaml";
import {
  PROJECT,
  type StackConfig,
  StackConfigError,
  splitStackConfig,
  validateStackConfig,
} from "../../config";
import { NotEditable, operatorPath, refuseShared } from "./shared-values";

export { NotEditable };

/** A value a verb writes: a scalar, or a block map of them (a new instance). */
export type EntryValue = string | number | boolean | { [key: string]: EntryValue };

/** A stack file edit the config module rejected; the file on disk was not touched. */
export class EditRejected extends Error {
  constructor(
    readonly fileName: string,
    readonly problems: string[],
  ) {
    super(`${fileName} left unchanged: the edit would make the stack invalid:\n  ${problems.join("\n  ")}`);
    this.name = "EditRejected";
  }
}

/** `instances` -> `lappsgrid-jetstream:instances`, the key as written under `config:`. */
export function projectKey(name: string): string {
  return `${PROJECT}:${name}`;
}

/** Path of keys from the document root: `["config", "lappsgrid-jetstream:proxy", "mode"]`. */
export type KeyPath = readonly string[];

function parse(text: string) {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`not valid YAML: ${document.errors[0].message}`);
  return document;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
}

/**
 * The map at `path`, or undefined when a key on the way is absent. A map on the way written as
 * an alias, or sharing its anchor with one, is refused: an edit below it would reach (or miss)
 * the other places that hold it.
 */
function mapAt(text: string, path: KeyPath): YAMLMap | undefined {
  const document = parse(text);
  let node: unknown = document.contents;
  if (path.length === 0 && node === null) return undefined;
  for (const [index, key] of path.entries()) {
    if (!isMap(node)) return undefined;
    node = findPair(node, key)?.value;
    refuseShared(document, node, path.slice(0, index + 1));
  }
  return isMap(node) ? node : undefined;
}

/** A flow map (`{a: 1, b: 2}`) is one line: a splice of one entry's lines would take its neighbours. */
function refuseFlowMap(map: YAMLMap, mapPath: KeyPath): void {
  if (map.flow && map.items.length > 0) {
    const where =
      mapPath.length === 0 ? "(top level)" : mapPath.length === 1 ? mapPath[0] : operatorPath(mapPath);
    throw new NotEditable(
      `${where}: written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again`,
    );
  }
}

/** Lines added below `mapPath` cannot sit inside a flow map holding it (`config: {..., instances: {}}`). */
function refuseFlowAncestors(text: string, mapPath: KeyPath): void {
  for (let depth = 0; depth < mapPath.length; depth += 1) {
    const ancestor = mapAt(text, mapPath.slice(0, depth));
    if (ancestor) refuseFlowMap(ancestor, mapPath.slice(0, depth));
  }
}

function pairAt(text: string, path: KeyPath): Pair | undefined {
  const map = mapAt(text, path.slice(0, -1));
  return map ? findPair(map, path[path.length - 1]) : undefined;
}

function rangeOf(node: unknown): [number, number, number] {
  const range = (node as { range?: [number, number, number] }).range;
  if (!range) throw new Error("internal: YAML node without a source range");
  return range;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Offset just past the newline that ends the line holding offset-1. */
function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === "\n") return offset;
  const newline = text.indexOf("\n", offset);
  return newline < 0 ? text.length : newline + 1;
}

function indentAt(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Offset past the comment lines at `offset` indented at least `minIndent`: they belong to what precedes them. */
function skipCommentsFrom(text: string, offset: number, minIndent: number): number {
  let end = offset;
  for (;;) {
    const next = text.indexOf("\n", end);
    const line = text.slice(end, next < 0 ? text.length : next + 1);
    const match = /^( *)#/.exec(line);
    if (line === "" || !match || match[1].length < minIndent) return end;
    end += line.length;
  }
}

function renderScalar(value: string | number | boolean, like?: Scalar): string {
  if (typeof value === "string" && like?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (typeof value === "string" && like?.type === Scalar.QUOTE_SINGLE)
    return `'${value.replace(/'/g, "''")}'`;
  // stringify quotes only what a plain scalar would misread ("8080" as text, "yes", ": ").
  return stringify(value).trimEnd();
}

function renderEntry(key: string, value: EntryValue, indent: number, step: number): string {
  const pad = " ".repeat(indent);
  if (typeof value !== "object") return `${pad}${renderScalar(key)}: ${renderScalar(value)}\n`;
  const children = Object.entries(value).map(([k, v]) => renderEntry(k, v, indent + step, step));
  return `${pad}${renderScalar(key)}:\n${children.join("")}`;
}

/** Sets the scalar at `path` (which must exist), keeping its quoting style. */
export function setScalar(text: string, path: KeyPath, value: string | number | boolean): string {
  const pair = pairAt(text, path);
  if (pair) refuseShared(parse(text), pair.value, path);
  if (!pair) {
    // A map on the way written as an alias is refused by mapAt; anything else missing is a bug.
    throw new Error(`internal: ${path.join(".")} does not exist`);
  }
  if (!isScalar(pair.value)) {
    throw new NotEditable(
      `${operatorPath(path)}: not a single value; left unchanged; allowed: one value, as in \`${path[path.length - 1]}: VALUE\``,
    );
  }
  const [start, valueEnd] = rangeOf(pair.value);
  // A block scalar (`>-`, `|`) ends past the line breaks after its last line: they stay, or the
  // next key would join the new value's line.
  const end = valueEnd - (/(\r?\n[ \t]*)+$/.exec(text.slice(start, valueEnd))?.[0].length ?? 0);
  return text.slice(0, start) + renderScalar(value, pair.value) + text.slice(end);
}

/**
 * How far a new entry's keys sit below its key: as in the first sibling written as a block map,
 * else as this map's entries sit below the key holding the map (the file's own step). A sibling
 * written as a flow map (`{size: tiny, ...}`) has its keys on its own line: no step there.
 */
function indentStep(text: string, map: YAMLMap, mapPath: KeyPath, indent: number): number {
  const blockSibling = map.items.find(
    (pair) => isMap(pair.value) && !pair.value.flow && pair.value.items.length > 0,
  );
  const child = blockSibling && isMap(blockSibling.value) ? blockSibling.value.items[0] : undefined;
  if (child) return indentAt(text, rangeOf(child.key)[0]) - indent;
  const holder = mapPath.length > 0 ? pairAt(text, mapPath) : undefined;
  const fileStep = holder ? indent - indentAt(text, rangeOf(holder.key)[0]) : 0;
  return fileStep > 0 ? fileStep : 2;
}

/**
 * Adds `key: value` as the last entry of the block map at `mapPath`. A missing map is added to
 * its parent; an empty flow map (`{}`) becomes a block map.
 */
export function addEntry(text: string, mapPath: KeyPath, key: string, value: EntryValue): string {
  refuseFlowAncestors(text, mapPath);
  const map = mapAt(text, mapPath);
  if (!map) {
    if (mapPath.length === 0) {
      // An empty file, or comments only: the first block goes below what is there.
      const separator = text === "" || text.endsWith("\n") ? "" : "\n";
      return `${text}${separator}${renderEntry(key, value, 0, 2)}`;
    }
    const holder = pairAt(text, mapPath);
    if (holder && (holder.value === null || (isScalar(holder.value) && holder.value.value === null))) {
      // `instances:` with nothing under it: the entry goes on the lines below the key.
      const keyStart = rangeOf(holder.key)[0];
      const at = lineEndAfter(text, rangeOf(holder.key)[1]);
      const prefix = at === text.length && !text.endsWith("\n") ? "\n" : "";
      return (
        text.slice(0, at) + prefix + renderEntry(key, value, indentAt(text, keyStart) + 2, 2) + text.slice(at)
      );
    }
    if (holder) {
      refuseShared(parse(text), holder.value, mapPath);
      throw new NotEditable(`${operatorPath(mapPath)}: not a map; allowed: a block map of settings`);
    }
    return addEntry(text, mapPath.slice(0, -1), mapPath[mapPath.length - 1], { [key]: value });
  }
  refuseShared(parse(text), map, mapPath);
  refuseFlowMap(map, mapPath);
  if (map.items.length === 0) {
    const parent = pairAt(text, mapPath);
    if (!parent) throw new Error(`internal: ${mapPath.join(".")} has no parent key`);
    const keyStart = rangeOf(parent.key)[0];
    const [start, end] = rangeOf(map);
    const body = renderEntry(key, value, indentAt(text, keyStart) + 2, 2);
    // A comment after `{}` on its line stays on the key's line.
    const after = lineEndAfter(text, end);
    const comment = /#.*$/.exec(text.slice(end, after).trimEnd())?.[0];
    return `${text.slice(0, start).trimEnd()}${comment ? ` ${comment}` : ""}\n${body}${text.slice(after)}`;
  }
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  const indent = indentAt(text, rangeOf(first.key)[0]);
  const step = indentStep(text, map, mapPath, indent);
  let at = lineEndAfter(text, rangeOf(last.value ?? last.key)[1]);
  // A comment after the last entry, deeper than it, belongs to it. One at its indentation is a
  // trailing note of this map for a scalar; a new block (an instance) goes above it, because
  // `delete` takes the comments right above a block as that block's own: launch then delete
  // must give the file back as it was (a commented-out entry, a note on the map).
  at = skipCommentsFrom(text, at, typeof value === "object" ? indent + 1 : indent);
  const prefix = at === text.length && !text.endsWith("\n") ? "\n" : "";
  // Blank lines inside the map's end belong to a block scalar kept with `|+` (its value): the
  // entry goes after them, and a blank line after it keeps the gap before what follows.
  const gap = at < text.length && /\n[ \t]*\r?\n$/.test(text.slice(0, at)) ? "\n" : "";
  return text.slice(0, at) + prefix + renderEntry(key, value, indent, step) + gap + text.slice(at);
}

/**
 * Removes `key` from the block map at `mapPath`, with the comment lines just above it (they
 * describe it) and deeper-indented comments after it. The last entry leaves `{}` behind.
 */
export function removeEntry(text: string, mapPath: KeyPath, key: string): string {
  const map = mapAt(text, mapPath);
  const pair = map ? findPair(map, key) : undefined;
  if (!map || !pair) throw new Error(`internal: ${[...mapPath, key].join(".")} does not exist`);
  refuseFlowMap(map, mapPath);
  const document = parse(text);
  // An alias removed is harmless; an anchor removed breaks the aliases that use it.
  for (const node of [pair.key, pair.value].filter((node) => !isAlias(node))) {
    refuseShared(document, node, [...mapPath, key], "deleting it would leave them pointing at nothing");
  }
  const keyStart = rangeOf(pair.key)[0];
  const indent = indentAt(text, keyStart);
  let start = lineStart(text, keyStart);
  for (;;) {
    const above = lineStart(text, start - 1);
    if (
      start === 0 ||
      !/^ *#/.test(text.slice(above, start)) ||
      indentAt(text, text.indexOf("#", above)) !== indent
    )
      break;
    start = above;
  }
  let end = lineEndAfter(text, rangeOf(pair.value ?? pair.key)[1]);
  // Deeper comments after the entry are its own; one at its indentation may lead the next sibling.
  end = skipCommentsFrom(text, end, indent + 1);
  const edited = text.slice(0, start) + text.slice(end);
  if (map.items.length > 1) return edited;
  // The map is now empty: `key:` with nothing under it would read as null, so say `{}`.
  const parent = pairAt(edited, mapPath);
  if (!parent) throw new Error(`internal: ${mapPath.join(".")} has no parent key`);
  const colon = edited.indexOf(":", rangeOf(parent.key)[1]);
  return `${edited.slice(0, colon + 1)} {}${edited.slice(colon + 1)}`;
}

/** Validates edited text with the program's own rules; throws EditRejected on any problem. */
export function validateEditedText(text: string, fileName: string, stack: string): StackConfig {
  try {
    return validateStackConfig(splitStackConfig(text, fileName).project, stack);
  } catch (error) {
    if (error instanceof StackConfigError) throw new EditRejected(basename(fileName), error.problems);
    throw error;
  }
}

/**
 * What the stack file's YAML must look like before its values mean anything: a map at the top
 * with only the keys Pulumi reads there, and keys that are text. A key YAML reads as a number,
 * boolean or null (`123:`, `true:`, `null:`) has no string of its own: a verb looking it up by
 * name would edit a second, quoted key next to it, and the program would see whichever came
 * last.
 */
import { isMap, isScalar, isSeq, type Pair, parseDocument } from "yaml";
import { PROJECT } from "./defaults";

/** The top-level keys of a Pulumi stack file (Pulumi's ProjectStack). */
export const STACK_FILE_ROOT_KEYS = [
  "config",
  "environment",
  "secretsprovider",
  "encryptedkey",
  "encryptionsalt",
];

function kindOf(value: unknown): string | undefined {
  if (typeof value === "string") return undefined;
  if (typeof value === "number" || typeof value === "bigint") return "a number";
  if (typeof value === "boolean") return "a boolean";
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return "a date";
  return "a value that is not text";
}

/** `config.lappsgrid-jetstream:instances.x` is written `instances.x`, as every other message says. */
function shownPath(path: string[]): string {
  const [root, key, ...rest] = path;
  if (root !== "config" || key === undefined) return path.join(".");
  const local = key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key;
  return [local, ...rest].join(".");
}

/** Path -> problem for every map key under `node` that this YAML version does not read as text. */
function nonTextKeys(
  text: string,
  node: unknown,
  path: string[],
  found: Map<string, string>,
  suffix: string,
): void {
  if (isSeq(node)) {
    node.items.forEach((item, index) => {
      nonTextKeys(text, item, [...path, String(index)], found, suffix);
    });
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items as Pair[]) {
    const key = pair.key;
    const range = (key as { range?: [number, number, number] } | null)?.range;
    const written = range ? text.slice(range[0], range[1]) : String(key);
    if (isScalar(key) && typeof key.value === "symbol") {
      // YAML 1.1's merge key (`<<: *base`): quoting it would only make an unknown key `<<`.
      const where = shownPath([...path, written]);
      const source = (pair.value as { range?: [number, number, number] } | null)?.range;
      const from = source ? text.slice(source[0], source[1]) : "...";
      found.set(
        where,
        `${where}: a YAML merge key (<<: ${from}) copies settings from elsewhere, which the verbs cannot edit in place; allowed: the settings written out in this map (replace the << line with the keys it brings)`,
      );
      continue;
    }
    const kind = isScalar(key) ? kindOf(key.value) : "a list or map";
    if (kind !== undefined) {
      const where = shownPath([...path, written]);
      found.set(
        where,
        `${where}: YAML reads this key as ${kind}${suffix}, not a name; allowed: the name in quotes (${JSON.stringify(written)}) or another name that YAML reads as text`,
      );
      continue;
    }
    nonTextKeys(text, pair.value, [...path, String((key as { value: string }).value)], found, suffix);
  }
}

/** What each top-level key must hold, as Pulumi reads it; null (`environment:` left empty) is nothing. */
const ROOT_VALUES: Record<string, { holds: (node: unknown) => boolean; allowed: string }> = {
  config: { holds: isMap, allowed: "a map of settings" },
  environment: {
    holds: (node) =>
      isMap(node) ||
      (isSeq(node) && node.items.every((item) => isScalar(item) && typeof item.value === "string")),
    allowed: "a list of environment names, or a map",
  },
  secretsprovider: { holds: isText, allowed: "text (the secrets provider's URL)" },
  encryptedkey: { holds: isText, allowed: "text, as Pulumi writes it" },
  encryptionsalt: { holds: isText, allowed: "text, as Pulumi writes it" },
};

function isText(node: unknown): boolean {
  return isScalar(node) && typeof node.value === "string";
}

function shownValue(node: unknown): string {
  if (isSeq(node)) return "a list";
  if (isMap(node)) return "a map";
  if (!isScalar(node)) return "something else";
  // As written: JSON would show `1e400` (Infinity to YAML) as null.
  return typeof node.value === "number" && node.source !== undefined
    ? node.source
    : JSON.stringify(node.value);
}

function rootValueProblem(name: string, node: unknown): string | undefined {
  const rule = ROOT_VALUES[name];
  if (rule === undefined || node === null || (isScalar(node) && node.value === null) || rule.holds(node)) {
    return undefined;
  }
  return `${name}: ${shownValue(node)} is not allowed; allowed: ${rule.allowed}`;
}

function describeRoot(value: unknown): string {
  if (isSeq(value)) return "a list";
  if (isScalar(value)) return `${typeof value.value} ${JSON.stringify(value.value)}`;
  return "something else";
}

/** Problems with the file's shape, one line each; empty when the values can be read. */
export function stackFileShapeProblems(text: string): string[] {
  const document = parseDocument(text);
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isMap(root)) return [`(top level): expected a map holding config:, got ${describeRoot(root)}`];
  const problems: string[] = [];
  for (const pair of root.items as Pair[]) {
    const name = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof name === "string" && !STACK_FILE_ROOT_KEYS.includes(name)) {
      problems.push(`${name}: unknown top-level key; allowed: ${STACK_FILE_ROOT_KEYS.join(", ")}`);
    }
    const wrongValue = typeof name === "string" ? rootValueProblem(name, pair.value) : undefined;
    if (wrongValue !== undefined) problems.push(wrongValue);
  }
  const found = new Map<string, string>();
  nonTextKeys(text, root, [], found, "");
  // Readers that follow YAML 1.1 also take yes/no/on/off for booleans: refuse what either reads so.
  const older = parseDocument(text, { version: "1.1" });
  if (older.errors.length === 0) {
    const more = new Map<string, string>();
    nonTextKeys(text, older.contents, [], more, " (YAML 1.1)");
    for (const [where, problem] of more) if (!found.has(where)) found.set(where, problem);
  }
  return [...problems, ...found.values()];
}

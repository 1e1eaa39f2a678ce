/**
 * zod's own wording for issues our schema does not word itself ("Too big: expected string to
 * have <=2000 characters", "expected object, got null"), turned into what the operator wrote
 * and what is allowed.
 */
import type { z } from "zod";

/** A string too long or too short: its length and the limit. Undefined for other issues. */
export function lengthProblem(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== "too_big" && issue.code !== "too_small") return undefined;
  if (issue.origin !== "string") return undefined;
  const input = (issue as { input?: unknown }).input;
  const length = typeof input === "string" ? [...input].length : 0;
  const characters = (count: number | bigint) => `${count} character${count === 1 ? "" : "s"}`;
  if (issue.code === "too_big") {
    return `${characters(length)} is too long; allowed: at most ${characters(issue.maximum)}`;
  }
  const shown = length === 0 ? "an empty value" : `${characters(length)} is too short`;
  return `${shown}; allowed: at least ${characters(issue.minimum)}`;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  valueType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
}

/** The schema's definition at `path`, optional wrappers removed; undefined off the schema. */
function definitionAt(schema: z.ZodType, path: PropertyKey[]): SchemaDef | undefined {
  let def = (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  const unwrap = () => {
    while (def.type === "optional" && def.innerType) def = def.innerType._zod.def;
  };
  for (const step of path) {
    unwrap();
    const next =
      def.type === "object"
        ? def.shape?.[String(step)]
        : def.type === "record"
          ? def.valueType
          : def.type === "array"
            ? def.element
            : undefined;
    if (next === undefined) return undefined;
    def = next._zod.def;
  }
  unwrap();
  return def;
}

/** The keys the map at `path` takes, or undefined when it is not a map with named keys. */
export function keysAt(schema: z.ZodType, path: PropertyKey[]): string[] | undefined {
  const def = definitionAt(schema, path);
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}

/** What a map of named entries holds, by its key; `a map` for one not listed. */
const MAP_CONTENTS: Record<string, string> = {
  instances: "a map of instance names to their settings",
  images: "a map of image aliases to image names",
};

/** zod's type names in the operator's words. */
export const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a map",
  record: "a map",
};

const EMPTY = "written without a value (YAML reads it as null)";

/**
 * `tls:` or `instances:` with nothing after it: YAML reads the key's value as null, which zod
 * calls "expected object, got null". Undefined unless the value is null.
 */
export function emptyMapProblem(schema: z.ZodType, path: PropertyKey[], input: unknown): string | undefined {
  if (input !== null) return undefined;
  const def = definitionAt(schema, path);
  if (def?.type === "object" && def.shape) {
    return `${EMPTY}; allowed: leave the key out, or give its settings: ${Object.keys(def.shape).join(", ")}`;
  }
  if (def?.type === "record") {
    return `${EMPTY}; allowed: leave the key out, or ${MAP_CONTENTS[String(path[path.length - 1])] ?? "a map"}`;
  }
  if (def === undefined) return undefined;
  return `${EMPTY}; allowed: ${TYPE_WORDS[def.type] ?? def.type}, or leave the key out`;
}

/** Words YAML 1.1 read as booleans and YAML 1.2 (this project's parser, and Pulumi's) reads as text. */
const YAML11_BOOLEAN = /^(?:y|yes|n|no|on|off)$/i;

/** `acceptRebuild: yes`: text where true or false belongs. Undefined for other issues. */
export function textForBooleanProblem(issue: z.core.$ZodIssue): string | undefined {
  const input = (issue as { input?: unknown }).input;
  if (issue.code !== "invalid_type" || issue.expected !== "boolean" || typeof input !== "string")
    return undefined;
  const note = YAML11_BOOLEAN.test(input) ? " (YAML 1.2 reads yes, no, on and off as text)" : "";
  return `${JSON.stringify(input)} is text, not a boolean${note}; allowed: true or false`;
}

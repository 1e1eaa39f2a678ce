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

/** The keys the map at `path` takes, or undefined when it is not a map with named keys. */
function keysAt(schema: z.ZodType, path: PropertyKey[]): string[] | undefined {
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
  return def.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}

/**
 * `tls:` with nothing after it: YAML reads the key's value as null, which zod calls "expected
 * object, got null". Undefined unless `path` holds a map of named settings.
 */
export function emptyMapProblem(schema: z.ZodType, path: PropertyKey[], input: unknown): string | undefined {
  if (input !== null) return undefined;
  const keys = keysAt(schema, path);
  if (keys === undefined) return undefined;
  return `written without a value (YAML reads it as null); allowed: leave the key out, or give its settings: ${keys.join(", ")}`;
}

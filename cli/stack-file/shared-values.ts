/**
 * YAML anchors and aliases in a stack file: a verb splices text at one node, so a value another
 * node shares (`&up` ... `*up`) cannot be edited there without changing, or breaking, the other.
 */
import { type Document, isAlias, isScalar, visit } from "yaml";
import { PROJECT } from "../../config";

/**
 * An edit the verb cannot make as a splice of the operator's text (an alias, a shared anchor);
 * the message names the value as the operator wrote it, and the caller prefixes the file name.
 */
export class NotEditable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotEditable";
  }
}

/** `config.lappsgrid-jetstream:instances.x.state` -> `instances.x.state`, as validation names it. */
export function operatorPath(path: readonly string[]): string {
  const keys = path[0] === "config" ? path.slice(1) : path;
  return keys.map((key) => (key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key)).join(".");
}

/**
 * A value written as an alias (`*up`), or carrying an anchor (`&up`) an alias uses elsewhere:
 * a splice there would change, or silently leave, the values that share it.
 */
export function refuseShared(
  document: Document,
  value: unknown,
  path: readonly string[],
  why = "the edit would change those values too",
): void {
  const key = path[path.length - 1];
  const where = operatorPath(path);
  if (isAlias(value)) {
    const resolved = value.resolve(document);
    const shown = isScalar(resolved) ? ` (${key}: ${String(resolved.value)})` : "";
    throw new NotEditable(
      `${where}: written as the alias *${value.source}; left unchanged; allowed: write the value itself there${shown}, then run the verb again`,
    );
  }
  const anchor = (value as { anchor?: string } | null)?.anchor;
  if (anchor === undefined) return;
  let used = false;
  visit(document, {
    Alias(_, alias) {
      if (alias.source === anchor) used = true;
    },
  });
  if (used) {
    throw new NotEditable(
      `${where}: carries the anchor &${anchor}, which *${anchor} uses elsewhere in the file; left unchanged (${why}); allowed: write the value itself where *${anchor} is, then run the verb again`,
    );
  }
}

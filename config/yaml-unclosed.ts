/**
 * A quote or flow collection left open: the YAML parser reads on to the end of the file (or to
 * the next line it cannot fit in) and reports the error there, far from the mistake. The
 * parser's token tree still starts the open token where it was opened, so the report can
 * name that line and column, and the key the value belongs to.
 */
import { type CST, Parser } from "yaml";

export interface UnclosedOpener {
  /** Offset of the quote, `{` or `[` in the text. */
  offset: number;
  opener: string;
  closer: string;
  /** The key whose value (or part of it) the opener starts; undefined for a key itself. */
  key?: string;
}

const CLOSER: Record<string, string> = { '"': '"', "'": "'", "{": "}", "[": "]" };
const isQuote = (opener: string) => opener === '"' || opener === "'";

/** The opener of `token` when it is a quote or flow collection that is never closed. */
function openerLeftOpen(token: CST.Token): string | undefined {
  switch (token.type) {
    case "double-quoted-scalar":
      return /^"(?:[^"\\]|\\[\s\S])*"$/.test(token.source) ? undefined : '"';
    case "single-quoted-scalar":
      return /^'(?:[^']|'')*'$/.test(token.source) ? undefined : "'";
    case "flow-collection":
      return token.end.some((end) => end.type === "flow-map-end" || end.type === "flow-seq-end")
        ? undefined
        : token.start.source;
    default:
      return undefined;
  }
}

/** The first line of a key as written (a plain key the parser ran on past a line break). */
function keyText(token: CST.Token | null | undefined): string | undefined {
  if (token === null || token === undefined || !("source" in token)) return undefined;
  return token.source.split(/\r?\n/)[0].trim();
}

/**
 * The earliest quote or flow collection in `text` that is never closed; a quote left open
 * inside flow collections is the mistake (it swallowed their `]` and `}`).
 */
export function firstUnclosed(text: string): UnclosedOpener | undefined {
  let first: UnclosedOpener | undefined;
  const visit = (
    token: CST.Token | null | undefined,
    key: string | undefined,
    enclosing: readonly UnclosedOpener[],
  ): void => {
    if (token === null || token === undefined) return;
    const opener = openerLeftOpen(token);
    const found =
      opener === undefined ? undefined : { offset: token.offset, opener, closer: CLOSER[opener], key };
    if (found !== undefined) {
      // Inside the first opener at any depth: the quote swallowed every closer after it.
      if (first !== undefined && enclosing.includes(first) && isQuote(found.opener)) first = found;
      else if (first === undefined || found.offset < first.offset) first = found;
    }
    const inside = found === undefined ? enclosing : [...enclosing, found];
    if (token.type === "document") visit(token.value, key, inside);
    if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      for (const item of token.items) {
        const itemKey = "key" in item ? item.key : undefined;
        visit(itemKey, key, inside);
        visit(item.value, keyText(itemKey) ?? key, inside);
      }
    }
  };
  for (const token of new Parser().parse(text)) visit(token, undefined, []);
  return first;
}

/**
 * Messages quote what the operator wrote; a character a terminal does not show as itself would
 * hide in that quote (DEL erases nothing visible, U+202E turns the rest of the line around, a
 * zero-width space makes two names look alike). JSON.stringify escapes only C0 controls.
 */

/**
 * Code point ranges: C0 controls but tab and line feed, DEL and C1 controls, zero-width and
 * direction marks, line and paragraph separators with the bidirectional embeddings and
 * overrides, word joiner and bidirectional isolates, the byte-order mark.
 */
const UNSHOWN: [number, number][] = [
  [0x00, 0x08],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2069],
  [0xfeff, 0xfeff],
];

function unshown(char: string): boolean {
  const code = char.charCodeAt(0);
  return UNSHOWN.some(([low, high]) => low <= code && code <= high);
}

/** Whether `text` holds a line break, a tab or a character the terminal would not show as itself. */
export function holdsUnshown(text: string): boolean {
  return [...text].some((char) => char === "\n" || char === "\t" || unshown(char));
}

/** `text` with each such character written as its `\uXXXX` escape, as JSON writes C0 controls. */
export function escapeUnshown(text: string): string {
  return [...text]
    .map((char) => (unshown(char) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}` : char))
    .join("");
}

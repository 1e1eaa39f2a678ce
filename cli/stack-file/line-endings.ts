/**
 * Line endings after an edit. The splices of edit.ts write LF; a file saved on Windows (or one
 * line of it pasted from there) ends its lines in CRLF. An edit changes only the lines it adds or
 * changes: every other line keeps its own ending, so the diff a reviewer sees is the edit alone.
 */

type Ending = "\r\n" | "\n" | "";

interface Line {
  body: string;
  ending: Ending;
}

/** Lone CRs never get here: config refuses a file holding one (Pulumi reads it as a line break). */
function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  for (const match of text.matchAll(/([^\n]*?)(\r\n|\n|$)/g)) {
    if (match.index === text.length && match[0] === "") break;
    lines.push({ body: match[1], ending: match[2] as Ending });
    if (match[2] === "") break;
  }
  return lines;
}

/** The ending most lines of the file have; a tie goes to LF, YAML's and git's default. */
function majorityEnding(lines: Line[]): Ending {
  const crlf = lines.filter((line) => line.ending === "\r\n").length;
  const lf = lines.filter((line) => line.ending === "\n").length;
  return crlf > lf ? "\r\n" : "\n";
}

/**
 * `after` (an edit of `before`) with each line's ending taken from `before`: an unchanged line
 * keeps its own, a line changed in place keeps the one it had, and an added line takes its
 * neighbours' ending when the lines above and below the edit agree, else the file's majority
 * (a stray CRLF line next to the edit does not decide for the whole file).
 */
export function keepLineEndings(before: string, after: string): string {
  if (!before.includes("\r")) return after;
  const old = linesOf(before);
  const edited = linesOf(after);
  let top = 0;
  while (top < old.length && top < edited.length && old[top].body === edited[top].body) top += 1;
  let bottom = 0;
  while (
    bottom < old.length - top &&
    bottom < edited.length - top &&
    old[old.length - 1 - bottom].body === edited[edited.length - 1 - bottom].body
  )
    bottom += 1;
  const above = old[top - 1]?.ending;
  const below = old[old.length - bottom]?.ending;
  const added: Ending = above !== undefined && above !== "" && above === below ? above : majorityEnding(old);
  const replaced = old.slice(top, old.length - bottom);
  const middle = edited.length - bottom - top;
  return edited
    .map((line, index) => {
      // The file's last line stays without an ending if the edit left it so.
      if (line.ending === "") return line.body;
      const inMiddle = index >= top && index < edited.length - bottom;
      const original = inMiddle
        ? // Lines changed in place, one for one, keep the endings they had.
          replaced.length === middle
          ? replaced[index - top].ending
          : ""
        : index < top
          ? old[index].ending
          : old[old.length - (edited.length - index)].ending;
      return `${line.body}${original === "" ? added : original}`;
    })
    .join("");
}

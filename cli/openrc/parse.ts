/**
 * Reading a Jetstream2 openrc file without running it. Horizon and the Jetstream2 docs hand out
 * small bash files (`export OS_...=...`, an interactive password prompt, `if [ -z ... ]; then
 * unset ...; fi`); this reads exactly that subset of bash and refuses anything else with the line
 * it stopped at, so nothing in the file is ever executed. Pure functions: text in, values out.
 */

/** A variable's value as the file leaves it; `prompted` values come from `read` at source time. */
export interface OpenrcValue {
  text: string;
  prompted: boolean;
  line: number;
  /** Every variable whose value went into this one, through any chain of `$NAME`s. */
  from?: ReadonlySet<string>;
}

export type OpenrcVariables = ReadonlyMap<string, OpenrcValue>;

export class OpenrcError extends Error {}

type Quoting = "none" | "single" | "double";
interface WordPart {
  text: string;
  quoting: Quoting;
}
type Token = { kind: "word"; parts: WordPart[] } | { kind: "separator" };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALLOWED_COMMANDS =
  'allowed: export NAME=VALUE, NAME=VALUE, unset NAME, echo, printf, read NAME, if [ -z "$NAME" ]; then ... fi, comments';

/** Every refusal names the file and the line, as a compiler would. */
export function fail(fileName: string, line: number, message: string): never {
  throw new OpenrcError(`${fileName}:${line}: ${message}`);
}

/** Splits one line into words and `;` separators, keeping how each piece was quoted. */
function tokenizeLine(source: string, fileName: string, line: number): Token[] {
  const tokens: Token[] = [];
  let parts: WordPart[] | undefined;
  const push = (text: string, quoting: Quoting) => {
    parts ??= [];
    parts.push({ text, quoting });
  };
  const endWord = () => {
    if (parts) tokens.push({ kind: "word", parts });
    parts = undefined;
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (char === " " || char === "\t" || char === "\r") {
      endWord();
      i++;
    } else if (char === "#" && parts === undefined) {
      break;
    } else if (char === ";") {
      endWord();
      tokens.push({ kind: "separator" });
      i++;
    } else if (char === "'") {
      const close = source.indexOf("'", i + 1);
      if (close < 0) fail(fileName, line, "unterminated quote: the ' opened here is not closed on this line");
      push(source.slice(i + 1, close), "single");
      i = close + 1;
    } else if (char === '"') {
      let text = "";
      let j = i + 1;
      for (; j < source.length && source[j] !== '"'; j++) {
        if (source[j] === "\\" && '"\\$`'.includes(source[j + 1] ?? "")) {
          j++;
          if (source[j] === "$") {
            // `\$` is a literal dollar: kept out of the text that `$NAME` expansion reads.
            push(text, "double");
            push("$", "single");
            text = "";
            continue;
          }
        } else if (source[j] === "`" || source.startsWith("$(", j)) {
          fail(fileName, line, "command substitution is not supported; write the value itself");
        }
        text += source[j];
      }
      if (j >= source.length)
        fail(fileName, line, 'unterminated quote: the " opened here is not closed on this line');
      push(text, "double");
      i = j + 1;
    } else if (char === "\\") {
      if (i + 1 >= source.length) fail(fileName, line, "line continuation (\\ at the end) is not supported");
      push(source[i + 1], "single");
      i += 2;
    } else if (source.startsWith("$'", i)) {
      // bash reads escapes in it ($'\x41' is "A"): read as plain text it would be a different value.
      fail(fileName, line, "ANSI-C quoting $'...' is not supported; allowed: plain '...' or \"...\" quotes");
    } else if (source.startsWith('$"', i)) {
      fail(fileName, line, 'locale quoting $"..." is not supported; allowed: plain \'...\' or "..." quotes');
    } else if ("`".includes(char) || source.startsWith("$(", i)) {
      fail(fileName, line, "command substitution is not supported; write the value itself");
    } else if ("|&<>()".includes(char)) {
      fail(fileName, line, `shell operator "${char}" is not supported; ${ALLOWED_COMMANDS}`);
    } else {
      let j = i;
      while (
        j < source.length &&
        !" \t\r;'\"\\#|&<>()`".includes(source[j]) &&
        !source.startsWith("$(", j) &&
        !source.startsWith("$'", j) &&
        !source.startsWith('$"', j)
      ) {
        j++;
      }
      // A `#` inside a word (`a#b`) is not a comment in bash.
      if (j === i) j++;
      push(source.slice(i, j), "none");
      i = j;
    }
  }
  endWord();
  return tokens;
}

/** The value of a word after `$NAME` / `${NAME}` expansion; single-quoted parts stay literal. */
function expandWord(
  parts: readonly WordPart[],
  variables: OpenrcVariables,
  fileName: string,
  line: number,
): OpenrcValue {
  let text = "";
  let prompted = false;
  const from = new Set<string>();
  for (const part of parts) {
    if (part.quoting === "single") {
      text += part.text;
      continue;
    }
    text += part.text.replace(/\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{/g, (match, braced, bare) => {
      const name: string | undefined = braced ?? bare;
      if (name === undefined || !NAME.test(name)) {
        fail(fileName, line, `parameter expansion ${match} is not supported; allowed: $NAME or \${NAME}`);
      }
      const value = variables.get(name);
      if (value?.prompted) prompted = true;
      from.add(name);
      for (const earlier of value?.from ?? []) from.add(earlier);
      return value?.text ?? "";
    });
  }
  return { text, prompted, line, from };
}

function wordText(parts: readonly WordPart[]): string {
  return parts.map((part) => part.text).join("");
}

/** `NAME=value` as bash sees it: the name unquoted, before the first `=`. */
function splitAssignment(parts: readonly WordPart[]): { name: string; value: WordPart[] } | undefined {
  const first = parts[0];
  if (first === undefined || first.quoting !== "none") return undefined;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!match) return undefined;
  const rest = first.text.slice(match[0].length);
  return { name: match[1], value: [{ text: rest, quoting: "none" }, ...parts.slice(1)] };
}

/** Evaluates `[ -z X ]`, `[ -n X ]`, `[ X ]`, `[ A = B ]`, `[ A != B ]` (also `test` and `[[ ]]`). */
function evaluateCondition(words: string[], prompted: boolean, fileName: string, line: number): boolean {
  let inner = words;
  if (words[0] === "[" || words[0] === "[[") {
    const close = words[0] === "[" ? "]" : "]]";
    if (words[words.length - 1] !== close) fail(fileName, line, `condition does not end with "${close}"`);
    inner = words.slice(1, -1);
  } else if (words[0] === "test") {
    inner = words.slice(1);
  } else {
    fail(
      fileName,
      line,
      `unsupported condition "${words.join(" ")}"; allowed: [ -z "$NAME" ], [ -n "$NAME" ]`,
    );
  }
  // A prompted value is unknown here but never empty: bash would have read something.
  if (inner.length === 2 && inner[0] === "-z") return !prompted && inner[1] === "";
  if (inner.length === 2 && inner[0] === "-n") return prompted || inner[1] !== "";
  if (inner.length === 1) return prompted || inner[0] !== "";
  if (inner.length === 3 && (inner[1] === "=" || inner[1] === "=="))
    return !prompted && inner[0] === inner[2];
  if (inner.length === 3 && inner[1] === "!=") return prompted || inner[0] !== inner[2];
  fail(fileName, line, `unsupported condition "${words.join(" ")}"; allowed: [ -z "$NAME" ], [ -n "$NAME" ]`);
}

interface IfFrame {
  line: number;
  parentActive: boolean;
  /** Some branch so far has matched: later `elif`/`else` branches are skipped. */
  taken: boolean;
  pending: boolean | undefined;
  active: boolean;
}

/** Reads an openrc file's variables as bash would leave them after `source`, without running it. */
export function parseOpenrc(text: string, fileName: string): OpenrcVariables {
  const variables = new Map<string, OpenrcValue>();
  const frames: IfFrame[] = [];
  const active = () => frames.every((frame) => frame.active && frame.pending === undefined);
  const lines = text.split("\n");
  for (const [index, source] of lines.entries()) {
    const line = index + 1;
    const tokens = tokenizeLine(source, fileName, line);
    const commands: WordPart[][][] = [[]];
    for (const token of tokens) {
      if (token.kind === "separator") commands.push([]);
      else commands[commands.length - 1].push(token.parts);
    }
    for (const command of commands) {
      let words = command;
      // `then`, `else` and `do`-less keywords may prefix a command on the same line.
      while (words.length > 0) {
        const keyword = words[0].length === 1 && words[0][0].quoting === "none" ? words[0][0].text : "";
        const frame = frames[frames.length - 1];
        if (keyword === "if" || keyword === "elif") {
          const args = words.slice(1).map((word) => expandWord(word, variables, fileName, line));
          if (keyword === "if") {
            frames.push({ line, parentActive: active(), taken: false, pending: undefined, active: false });
          } else if (!frame || frame.pending !== undefined) {
            fail(fileName, line, '"elif" without an open "if ... then"');
          }
          const current = frames[frames.length - 1];
          const prompted = args.some((arg) => arg.prompted);
          current.pending = current.parentActive
            ? evaluateCondition(
                args.map((arg) => arg.text),
                prompted,
                fileName,
                line,
              )
            : false;
          current.active = false;
          words = [];
        } else if (keyword === "then") {
          if (!frame || frame.pending === undefined) fail(fileName, line, '"then" without "if"');
          frame.active = frame.parentActive && !frame.taken && frame.pending;
          frame.taken ||= frame.pending;
          frame.pending = undefined;
          words = words.slice(1);
        } else if (keyword === "else") {
          if (!frame || frame.pending !== undefined) fail(fileName, line, '"else" without "if ... then"');
          frame.active = frame.parentActive && !frame.taken;
          frame.taken = true;
          words = words.slice(1);
        } else if (keyword === "fi") {
          if (!frame || frame.pending !== undefined) fail(fileName, line, '"fi" without "if ... then"');
          frames.pop();
          if (words.length > 1)
            fail(fileName, line, 'nothing may follow "fi" but ";" or the end of the line');
          words = [];
        } else {
          if (active()) runCommand(words, variables, fileName, line);
          words = [];
        }
      }
    }
  }
  const open = frames[frames.length - 1];
  if (open) fail(fileName, open.line, '"if" is never closed by "fi"');
  return variables;
}

function runCommand(
  words: WordPart[][],
  variables: Map<string, OpenrcValue>,
  fileName: string,
  line: number,
) {
  let rest = words;
  // Leading assignments (`A=1 B=2`) set shell variables.
  while (rest.length > 0) {
    const assignment = splitAssignment(rest[0]);
    if (!assignment) break;
    variables.set(assignment.name, expandWord(assignment.value, variables, fileName, line));
    rest = rest.slice(1);
  }
  if (rest.length === 0) return;
  const command = wordText(rest[0]);
  const args = rest.slice(1);
  switch (command) {
    case "export":
      for (const arg of args) {
        const assignment = splitAssignment(arg);
        if (assignment)
          variables.set(assignment.name, expandWord(assignment.value, variables, fileName, line));
        else if (!NAME.test(wordText(arg)) && !wordText(arg).startsWith("-")) {
          fail(fileName, line, `"${wordText(arg)}" is not a variable name; allowed: letters, digits and _`);
        }
      }
      return;
    case "unset":
      for (const arg of args) variables.delete(wordText(arg));
      return;
    case "read": {
      // `read -sr OS_PASSWORD_INPUT`: the value is typed at source time, never in the file.
      const takesValue = new Set(["-p", "-t", "-d", "-n", "-N", "-u", "-a", "-i"]);
      for (let i = 0; i < args.length; i++) {
        const arg = wordText(args[i]);
        if (takesValue.has(arg)) i++;
        else if (!arg.startsWith("-")) variables.set(arg, { text: "", prompted: true, line });
      }
      return;
    }
    case "echo":
    case "printf":
    case ":":
    case "true":
      return;
    default:
      fail(fileName, line, `unsupported command "${command}"; ${ALLOWED_COMMANDS}`);
  }
}

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: bash's ${NAME} in shell text, not a template
/**
 * The openrc reader against real bash: each snippet's variables are written out here, and bash
 * sourcing the same snippet must leave the same ones (so the expectation is how bash behaves,
 * not how the parser happens to read). What it refuses, it refuses with the file, line and
 * what is allowed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseOpenrc } from "../../../cli/openrc/parse";

/** What the operator types at a `read` prompt; a prompted value reads as this. */
const TYPED = "typed";

/** Every variable the parser leaves, prompted ones as TYPED. */
function parsed(text: string): Record<string, string> {
  return Object.fromEntries(
    [...parseOpenrc(text, "openrc.sh")].map(([name, value]) => [name, value.prompted ? TYPED : value.text]),
  );
}

const scratch = mkdtempSync(join(tmpdir(), "openrc-parse-"));

/** The OS_* variables bash leaves after sourcing the text in a clean environment, TYPED on stdin. */
function sourcedByBash(text: string): Record<string, string> {
  const file = join(scratch, "openrc.sh");
  writeFileSync(file, text);
  const script = `source "$1" >/dev/null; for v in \${!OS_@}; do printf '%s=%s\\0' "$v" "\${!v}"; done`;
  const run = spawnSync("env", ["-i", "bash", "--norc", "-c", script, "bash", file], {
    input: `${TYPED}\n`,
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  return Object.fromEntries(
    run.stdout
      .split("\0")
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
  );
}

const lines = (...text: string[]) => `${text.join("\n")}\n`;

describe("what bash leaves, the parser reads", () => {
  test.each([
    ["blanks and tabs between words", "export\tOS_A=one  \tOS_B=two", { OS_A: "one", OS_B: "two" }],
    ["a comment after a value", "export OS_A=one # the region", { OS_A: "one" }],
    ["a # inside a word", "export OS_A=a#b", { OS_A: "a#b" }],
    ["a comment line", "# export OS_A=one", {}],
    ["single quotes keep blanks and $", "export OS_A='x  y $OS_B'", { OS_A: "x  y $OS_B" }],
    ["an empty single-quoted value", "export OS_A=''", { OS_A: "" }],
    ["double quotes with escapes", String.raw`export OS_A="a\"b\\c\$d\`e\x"`, { OS_A: 'a"b\\c$d`e\\x' }],
    ["a backslash outside quotes", String.raw`export OS_A=a\ b\#c`, { OS_A: "a b#c" }],
    [
      "an escaped $ in double quotes is a dollar, not an expansion",
      lines("OS_A=x", String.raw`export OS_B="\$OS_A costs \$5, \\$OS_A"`),
      { OS_A: "x", OS_B: "$OS_A costs $5, \\x" },
    ],
    ["quoted pieces of one word", `export OS_A="a b"'c d'e`, { OS_A: "a bc de" }],
    ["commands separated by ;", "OS_A=1;OS_B=2 ; export OS_C=3", { OS_A: "1", OS_B: "2", OS_C: "3" }],
    ["assignments before any command", "OS_A=1 OS_B=2", { OS_A: "1", OS_B: "2" }],
    ["$NAME and ${NAME}", lines("OS_A=x", 'export OS_B="$OS_A-${OS_A}y"'), { OS_A: "x", OS_B: "x-xy" }],
    ["an unset variable expands to nothing", 'export OS_A="[$OS_NONE]"', { OS_A: "[]" }],
    [
      "$NAME in single quotes stays as written",
      lines("OS_A=x", "export OS_B='$OS_A'"),
      { OS_A: "x", OS_B: "$OS_A" },
    ],
    ["unset", lines("export OS_A=1 OS_B=2", "unset OS_A"), { OS_B: "2" }],
    [
      "unset of a name written in quoted pieces",
      lines("export OS_A=1 OS_B=2", "unset 'OS_'A"),
      { OS_B: "2" },
    ],
    ["export -n keeps the value", lines("export OS_A=1", "export -n OS_A"), { OS_A: "1" }],
    ["export of a name with no value", lines("OS_A=1", "export OS_A OS_B"), { OS_A: "1" }],
    ["echo, printf, : and true do nothing", lines("echo 'x=1'", 'printf "%s" y', ": OS_A=1", "true"), {}],
    [
      "a prompt",
      lines('echo "Password: "', "read -sr OS_PASSWORD_INPUT", "export OS_PASSWORD=$OS_PASSWORD_INPUT"),
      {
        OS_PASSWORD_INPUT: TYPED,
        OS_PASSWORD: TYPED,
      },
    ],
    ["read with a prompt text", "read -r -p 'Password: ' OS_P", { OS_P: TYPED }],
  ])("%s", (_case, text, expected) => {
    const file = text.endsWith("\n") ? text : `${text}\n`;
    expect(sourcedByBash(file)).toEqual(expected);
    expect(parsed(file)).toEqual(expected);
  });

  test("read's options that take a value are not variables", () => {
    expect(parsed("read -s -t 30 -n 64 -N 64 -d x -u 0 -a OS_WORDS -i init -p Password: OS_P\n")).toEqual({
      OS_P: TYPED,
    });
  });

  test("a file saved with Windows line ends reads as bash reads the same file with Unix ones", () => {
    expect(parsed("export OS_A=one\r\nexport OS_B='two'\r\n")).toEqual({ OS_A: "one", OS_B: "two" });
  });

  test("each value says its line, whether it was typed, and every variable it came from", () => {
    const variables = parseOpenrc(
      lines("read -s OS_IN", "OS_A=$OS_IN", "export OS_B=${OS_A}x", "OS_C=plain"),
      "o.sh",
    );
    expect(variables.get("OS_IN")).toEqual({ text: "", prompted: true, line: 1 });
    expect(variables.get("OS_A")).toEqual({ text: "", prompted: true, line: 2, from: new Set(["OS_IN"]) });
    expect(variables.get("OS_B")).toEqual({
      text: "x",
      prompted: true,
      line: 3,
      from: new Set(["OS_A", "OS_IN"]),
    });
    expect(variables.get("OS_C")).toEqual({ text: "plain", prompted: false, line: 4, from: new Set() });
  });
});

describe("conditions as bash evaluates them", () => {
  const branch = (condition: string) =>
    lines(`if ${condition}; then`, "  export OS_R=then", "else", "  export OS_R=else", "fi");

  test.each([
    ["OS_A=", '[ -z "$OS_A" ]', "then"],
    ["OS_A=x", "[ -z ]", "then"],
    ["OS_A=x", '[ -z "$OS_A" ]', "else"],
    ["OS_A=", '[ -n "$OS_A" ]', "else"],
    ["OS_A=x", '[ -n "$OS_A" ]', "then"],
    ["OS_A=", '[ "$OS_A" ]', "else"],
    ["OS_A=x", '[ "$OS_A" ]', "then"],
    ["OS_A=x", '[ "$OS_A" = x ]', "then"],
    ["OS_A=y", '[ "$OS_A" = x ]', "else"],
    ["OS_A=x", '[ "$OS_A" == x ]', "then"],
    ["OS_A=y", '[ "$OS_A" == x ]', "else"],
    ["OS_A=x", '[ "$OS_A" != x ]', "else"],
    ["OS_A=y", '[ "$OS_A" != x ]', "then"],
    ["OS_A=", 'test -z "$OS_A"', "then"],
    ["OS_A=x", 'test -z "$OS_A"', "else"],
    ["OS_A=", '[[ -z "$OS_A" ]]', "then"],
    ["OS_A=x", '[[ -n "$OS_A" ]]', "then"],
    // A typed value is unknown to the parser but never empty; compared with a text, it differs.
    ["read -s OS_A", '[ -z "$OS_A" ]', "else"],
    ["read -s OS_A", '[ -n "$OS_A" ]', "then"],
    ["read -s OS_A", '[ "$OS_A" ]', "then"],
    ["read -s OS_A", '[ "$OS_A" = x ]', "else"],
    ["read -s OS_A", '[ "$OS_A" != x ]', "then"],
  ])("%s; if %s takes the %s branch", (setup, condition, taken) => {
    const text = lines(setup, branch(condition));
    const expected = { ...parsedSetup(setup), OS_R: taken };
    expect(sourcedByBash(text)).toEqual(expected);
    expect(parsed(text)).toEqual(expected);
  });

  function parsedSetup(setup: string): Record<string, string> {
    return setup.startsWith("read") ? { OS_A: TYPED } : { OS_A: setup.slice("OS_A=".length) };
  }

  test.each([
    ["x", "1"],
    ["y", "2"],
    ["z", "3"],
  ])("elif and else: OS_A=%s takes branch %s, and only that one", (value, taken) => {
    const text = lines(
      `OS_A=${value}`,
      'if [ "$OS_A" = x ]; then OS_R=1',
      'elif [ "$OS_A" = y ]; then OS_R=2',
      'elif [ -n "$OS_A" ]; then OS_R=3',
      "else OS_R=4",
      "fi",
    );
    expect(sourcedByBash(text)).toEqual({ OS_A: value, OS_R: taken });
    expect(parsed(text)).toEqual({ OS_A: value, OS_R: taken });
  });

  test("an if inside a branch not taken sets nothing, whatever its own condition", () => {
    const text = lines(
      "OS_A=x",
      'if [ -z "$OS_A" ]; then',
      '  if [ -n "$OS_A" ]; then OS_R=inner-then; else OS_R=inner-else; fi',
      "  OS_S=outer",
      "fi",
      "OS_T=after",
    );
    expect(sourcedByBash(text)).toEqual({ OS_A: "x", OS_T: "after" });
    expect(parsed(text)).toEqual({ OS_A: "x", OS_T: "after" });
  });

  test("an if inside the branch taken is evaluated", () => {
    const text = lines(
      "OS_A=x",
      'if [ -n "$OS_A" ]; then',
      '  if [ -z "$OS_A" ]; then OS_R=1; else OS_R=2; fi',
      "fi",
    );
    expect(sourcedByBash(text)).toEqual({ OS_A: "x", OS_R: "2" });
    expect(parsed(text)).toEqual({ OS_A: "x", OS_R: "2" });
  });

  test("the words if, then, else and fi quoted are not keywords: refused as commands", () => {
    expect(() => parsed("'fi'\n")).toThrow('openrc.sh:1: unsupported command "fi"');
  });
});

describe("what the parser refuses, naming the file, the line and what is allowed", () => {
  const COMMANDS =
    'allowed: export NAME=VALUE, NAME=VALUE, unset NAME, echo, printf, read NAME, if [ -z "$NAME" ]; then ... fi, comments';
  const CONDITIONS = 'allowed: [ -z "$NAME" ], [ -n "$NAME" ]';

  test.each([
    ["export OS_A='abc", "unterminated quote: the ' opened here is not closed on this line"],
    ['export OS_A="abc', 'unterminated quote: the " opened here is not closed on this line'],
    [String.raw`export OS_A="abc\"`, 'unterminated quote: the " opened here is not closed on this line'],
    ['export OS_A="$(hostname)"', "command substitution is not supported; write the value itself"],
    ['export OS_A="`hostname`"', "command substitution is not supported; write the value itself"],
    ["export OS_A=$(hostname)", "command substitution is not supported; write the value itself"],
    ["export OS_A=`hostname`", "command substitution is not supported; write the value itself"],
    ["export OS_A=x$(hostname)", "command substitution is not supported; write the value itself"],
    [
      String.raw`export OS_A=$'\x41'`,
      `ANSI-C quoting $'...' is not supported; allowed: plain '...' or "..." quotes`,
    ],
    [
      String.raw`export OS_A=x$'\x41'`,
      `ANSI-C quoting $'...' is not supported; allowed: plain '...' or "..." quotes`,
    ],
    ['export OS_A=$"x"', `locale quoting $"..." is not supported; allowed: plain '...' or "..." quotes`],
    ['export OS_A=x$"y"', `locale quoting $"..." is not supported; allowed: plain '...' or "..." quotes`],
    ["export OS_A=1 \\", "line continuation (\\ at the end) is not supported"],
    ["echo x | tee y", `shell operator "|" is not supported; ${COMMANDS}`],
    ["echo x>y", `shell operator ">" is not supported; ${COMMANDS}`],
    ["echo x <y", `shell operator "<" is not supported; ${COMMANDS}`],
    ["(export OS_A=1)", `shell operator "(" is not supported; ${COMMANDS}`],
    ["export OS_A=${OS_B:-x}", "parameter expansion ${OS_B:-x} is not supported; allowed: $NAME or ${NAME}"],
    ['export OS_A="${1OS}"', "parameter expansion ${1OS} is not supported; allowed: $NAME or ${NAME}"],
    ['export OS_A="${"', "parameter expansion ${ is not supported; allowed: $NAME or ${NAME}"],
    ["export OS-A=1", `"OS-A=1" is not a variable name; allowed: letters, digits and _`],
    ["export OS_A.B", `"OS_A.B" is not a variable name; allowed: letters, digits and _`],
    ["source ~/.bashrc", `unsupported command "source"; ${COMMANDS}`],
    ["'OS_A=1'", `unsupported command "OS_A=1"; ${COMMANDS}`],
    ["if [ -z x ; then OS_A=1; fi", 'condition does not end with "]"'],
    ["if [[ -z x ]; then OS_A=1; fi", 'condition does not end with "]]"'],
    [
      "if grep -q x /etc/hosts; then OS_A=1; fi",
      `unsupported condition "grep -q x /etc/hosts"; ${CONDITIONS}`,
    ],
    ["if [ a b c d ]; then OS_A=1; fi", `unsupported condition "[ a b c d ]"; ${CONDITIONS}`],
    ["if [ a -lt b ]; then OS_A=1; fi", `unsupported condition "[ a -lt b ]"; ${CONDITIONS}`],
    ["if [ -f x ]; then OS_A=1; fi", `unsupported condition "[ -f x ]"; ${CONDITIONS}`],
    ["elif [ -z x ]; then OS_A=1; fi", '"elif" without an open "if ... then"'],
    ["if [ -z x ]; elif [ -z y ]; then OS_A=1; fi", '"elif" without an open "if ... then"'],
    ["then OS_A=1", '"then" without "if"'],
    ["if [ -z x ]; then then OS_A=1; fi", '"then" without "if"'],
    ["else OS_A=1", '"else" without "if ... then"'],
    ["if [ -z x ]; else OS_A=1; fi", '"else" without "if ... then"'],
    ["fi", '"fi" without "if ... then"'],
    ["fi''", `unsupported command "fi"; ${COMMANDS}`],
    ['export OS_A="$("', "command substitution is not supported; write the value itself"],
    ["if echo x; then OS_A=1; fi", `unsupported condition "echo x"; ${CONDITIONS}`],
    ["if true; then OS_A=1; fi", `unsupported condition "true"; ${CONDITIONS}`],
    ["if [ a = ]; then OS_A=1; fi", `unsupported condition "[ a = ]"; ${CONDITIONS}`],
    ["if [ a != ]; then OS_A=1; fi", `unsupported condition "[ a != ]"; ${CONDITIONS}`],
    ["if [ -z x ]; fi", '"fi" without "if ... then"'],
    ["if [ -z x ]; then OS_A=1; fi OS_B=2", 'nothing may follow "fi" but ";" or the end of the line'],
  ])("%s", (text, message) => {
    expect(() => parseOpenrc(`${text}\n`, "openrc.sh")).toThrow(`openrc.sh:1: ${message}`);
    try {
      parseOpenrc(`${text}\n`, "openrc.sh");
    } catch (error) {
      expect((error as Error).message).toBe(`openrc.sh:1: ${message}`);
    }
  });

  test("the line named is the line the refusal is on", () => {
    expect(() => parseOpenrc(lines("# first", "export OS_A=1", "export OS_B=$(x)"), "rc.sh")).toThrow(
      "rc.sh:3: command substitution is not supported; write the value itself",
    );
  });

  test("an if never closed names the line it opened on", () => {
    expect(() =>
      parseOpenrc(
        lines("OS_A=1", 'if [ -z "$OS_A" ]; then', "  OS_B=1", "  if [ -n x ]; then OS_C=1; fi"),
        "rc.sh",
      ),
    ).toThrow('rc.sh:2: "if" is never closed by "fi"');
  });
});

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

function fail(fileName: string, line: number, message: string): never {
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
        if (source[j] === "\\" && '"\\$`'.includes(source[j + 1] ?? "")) j++;
        else if (source[j] === "`" || source.startsWith("$(", j)) {
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
    } else if ("`".includes(char) || source.startsWith("$(", i)) {
      fail(fileName, line, "command substitution is not supported; write the value itself");
    } else if ("|&<>()".includes(char)) {
      fail(fileName, line, `shell operator "${char}" is not supported; ${ALLOWED_COMMANDS}`);
    } else {
      let j = i;
      while (j < source.length && !" \t\r;'\"\\#|&<>()`".includes(source[j]) && !source.startsWith("$(", j)) {
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
      return value?.text ?? "";
    });
  }
  return { text, prompted, line };
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

/** What the stack file may hold in plain text: openrc variable -> `openstack:` provider key. */
const PLAIN_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ["OS_AUTH_URL", "authUrl"],
  ["OS_REGION_NAME", "region"],
  // Keystone v3 says "project"; the provider kept the v2 word "tenant". PROJECT wins over TENANT.
  ["OS_TENANT_NAME", "tenantName"],
  ["OS_PROJECT_NAME", "tenantName"],
  ["OS_TENANT_ID", "tenantId"],
  ["OS_PROJECT_ID", "tenantId"],
  ["OS_USERNAME", "userName"],
  ["OS_USER_ID", "userId"],
  ["OS_USER_DOMAIN_NAME", "userDomainName"],
  ["OS_USER_DOMAIN_ID", "userDomainId"],
  ["OS_PROJECT_DOMAIN_NAME", "projectDomainName"],
  ["OS_PROJECT_DOMAIN_ID", "projectDomainId"],
  ["OS_DOMAIN_NAME", "domainName"],
  ["OS_DOMAIN_ID", "domainId"],
  ["OS_DEFAULT_DOMAIN", "defaultDomain"],
  ["OS_ENDPOINT_TYPE", "endpointType"],
  ["OS_INTERFACE", "endpointType"],
  ["OS_APPLICATION_CREDENTIAL_NAME", "applicationCredentialName"],
];

/** Every provider key this import owns; keys the new openrc does not set are removed. */
export const MANAGED_PROVIDER_KEYS: readonly string[] = [...new Set(PLAIN_SETTINGS.map(([, key]) => key))];

/**
 * Never written in plain text. The application credential ID is not a secret on its own, but with
 * the secret it is a login, and it names the allocation's credential: it is stored like one.
 */
const SECRET_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ["OS_APPLICATION_CREDENTIAL_ID", "applicationCredentialId"],
  ["OS_APPLICATION_CREDENTIAL_SECRET", "applicationCredentialSecret"],
  ["OS_PASSWORD", "password"],
  ["OS_TOKEN", "token"],
];

/** Variables openrc files set that the provider does not take; said, not silently dropped. */
const NOT_PROVIDER_SETTINGS: Record<string, string> = {
  OS_AUTH_TYPE: "the provider picks the method from the credentials present",
  OS_IDENTITY_API_VERSION: "the provider always uses Keystone v3 here",
  OS_PASSWORD_INPUT: "the prompt's answer, passed on as OS_PASSWORD",
};

/** Keys that break or mean nothing next to an application credential, and why. */
function unusedWithApplicationCredential(key: string, byId: boolean): string | undefined {
  if (/^(tenant|projectDomain|domain)/.test(key)) {
    // Keystone answers "Application credentials cannot request a scope" to a project given twice.
    return "an application credential is already scoped to its project; Keystone refuses a second scope";
  }
  if (byId && /^user/.test(key)) return "not used with an application credential ID";
  return undefined;
}

const AUTH_TYPES = ["v3applicationcredential", "v3password", "password"];

export type CredentialForm = "application-credential" | "password";

export interface SecretSetting {
  variable: string;
  /** The provider key, with namespace: `openstack:applicationCredentialSecret`. */
  configKey: string;
  /** The file asks for it at `source` time instead of holding it. */
  prompted: boolean;
}

/** The import's result. It holds no secret value, so printing or logging it is safe. */
export interface ProviderSettings {
  form: CredentialForm;
  /** `openstack:*` key -> value, in the order the stack file should show them. */
  settings: Record<string, string>;
  secrets: SecretSetting[];
  ignored: { variable: string; why: string }[];
}

export function providerSettingsFromOpenrc(variables: OpenrcVariables, fileName: string): ProviderSettings {
  const value = (name: string) => variables.get(name);
  const authType = value("OS_AUTH_TYPE");
  if (authType && !AUTH_TYPES.includes(authType.text)) {
    fail(
      fileName,
      authType.line,
      `OS_AUTH_TYPE "${authType.text}" is not supported; allowed: ${AUTH_TYPES.join(", ")}`,
    );
  }
  const hasAppCredential =
    value("OS_APPLICATION_CREDENTIAL_ID") !== undefined ||
    value("OS_APPLICATION_CREDENTIAL_SECRET") !== undefined;
  const form: CredentialForm =
    authType?.text === "v3applicationcredential" || hasAppCredential ? "application-credential" : "password";

  if (!value("OS_AUTH_URL")?.text) {
    throw new OpenrcError(
      `${fileName}: OS_AUTH_URL is not set; an openrc file from Horizon or the Jetstream2 docs always sets it`,
    );
  }
  if (form === "application-credential") {
    if (!value("OS_APPLICATION_CREDENTIAL_SECRET")) {
      throw new OpenrcError(
        `${fileName}: application credential form without OS_APPLICATION_CREDENTIAL_SECRET; download the openrc again when creating the credential`,
      );
    }
    if (!value("OS_APPLICATION_CREDENTIAL_ID") && !value("OS_APPLICATION_CREDENTIAL_NAME")) {
      throw new OpenrcError(
        `${fileName}: application credential form needs OS_APPLICATION_CREDENTIAL_ID (or OS_APPLICATION_CREDENTIAL_NAME with OS_USERNAME)`,
      );
    }
  } else if (!value("OS_USERNAME") && !value("OS_USER_ID")) {
    throw new OpenrcError(
      `${fileName}: no credentials; expected OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET, or OS_USERNAME and OS_PASSWORD`,
    );
  }

  const settings: Record<string, string> = {};
  const ignored: { variable: string; why: string }[] = [];
  const byId = value("OS_APPLICATION_CREDENTIAL_ID") !== undefined;
  for (const [variable, key] of PLAIN_SETTINGS) {
    const setting = value(variable);
    if (setting === undefined || setting.text === "") continue;
    const unused = form === "application-credential" ? unusedWithApplicationCredential(key, byId) : undefined;
    if (unused) {
      ignored.push({ variable, why: unused });
      continue;
    }
    if (setting.prompted) {
      fail(fileName, setting.line, `${variable} comes from a prompt; write its value in the file`);
    }
    settings[`openstack:${key}`] = setting.text;
  }
  const secrets: SecretSetting[] = [];
  for (const [variable, key] of SECRET_SETTINGS) {
    const secret = value(variable);
    if (secret === undefined) continue;
    secrets.push({ variable, configKey: `openstack:${key}`, prompted: secret.prompted });
  }
  const known = new Set([...PLAIN_SETTINGS, ...SECRET_SETTINGS].map(([variable]) => variable));
  for (const variable of [...variables.keys()].filter((name) => name.startsWith("OS_") && !known.has(name))) {
    ignored.push({ variable, why: NOT_PROVIDER_SETTINGS[variable] ?? "not an OpenStack provider setting" });
  }
  // Code-unit order, the same on every machine (localeCompare is not).
  ignored.sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));
  return { form, settings, secrets, ignored };
}

/** Both steps in one: file text to provider settings. */
export function readOpenrc(text: string, fileName: string): ProviderSettings {
  return providerSettingsFromOpenrc(parseOpenrc(text, fileName), fileName);
}

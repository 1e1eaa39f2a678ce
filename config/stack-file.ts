/**
 * Reading `Pulumi.<stack>.yaml` without the Pulumi CLI: the offline plan and the CLI verbs see
 * the same values the engine would hand the program.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { isMap, isScalar, parse, parseAllDocuments, YAMLParseError } from "yaml";
import { PROJECT } from "./defaults";
import { recordNumbers } from "./numbers-as-written";
import { stackConfigSchema } from "./schema";
import { stackFileShapeProblems } from "./stack-yaml";
import { StackConfigError, unknownNamespaceProblems } from "./validate";
import { firstUnclosed } from "./yaml-unclosed";

/** The settings of this project's namespace. */
const PROJECT_SETTINGS = Object.keys(stackConfigSchema.shape);

/** A `secure:` value: ciphertext only the stack's secrets provider can open. */
export interface SecureValue {
  secure: string;
}

export function isSecureValue(value: unknown): value is SecureValue {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as SecureValue).secure === "string"
  );
}

export interface StackFileConfig {
  /** `lappsgrid-jetstream:*` values, keys without the namespace. */
  project: Record<string, unknown>;
  /** Every other namespace (`openstack:*` provider settings), keys as written. */
  other: Record<string, unknown>;
}

export function stackFilePath(projectDir: string, stack: string): string {
  return join(projectDir, `Pulumi.${stack}.yaml`);
}

/** Stacks of the project: one `Pulumi.<stack>.yaml` each. */
export function listStacks(projectDir: string): string[] {
  return readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/**
 * ` at line L, column C: what (the line)`: the parser's message spans lines (an excerpt and a
 * caret), which a one-line report would cut after "column C:".
 */
export function yamlProblem(error: unknown, text: string): string {
  const message = (error as Error).message;
  const parsed = error instanceof YAMLParseError ? error : undefined;
  const lineText = (line: number) => {
    const written = text.split("\n")[line - 1]?.trim() ?? "";
    return written === "" ? "" : ` (${written})`;
  };
  // Whatever the parser says after a quote or bracket left open follows from it.
  const open = parsed === undefined ? undefined : firstUnclosed(text);
  if (open !== undefined && parsed !== undefined && open.offset <= parsed.pos[0]) {
    const before = text.slice(0, open.offset);
    const line = before.split("\n").length;
    const column = open.offset - before.lastIndexOf("\n");
    const key = open.key === undefined ? "" : `${open.key}: `;
    return ` at line ${line}, column ${column}: ${key}the ${open.opener} opened here is never closed; allowed: close it with ${open.closer}${lineText(line)}`;
  }
  const at = parsed?.linePos?.[0];
  if (at === undefined) return `: ${message.split("\n")[0]}`;
  // The parser's own text advises its caller (`use YAML.parseAllDocuments()`), not the operator.
  const what =
    parsed?.code === "MULTIPLE_DOCS"
      ? "a second document starts here; allowed: one document"
      : message.split(" at line ")[0];
  return ` at line ${at.line}, column ${at.col}: ${what}${lineText(at.line)}`;
}

/**
 * A lone CR (old Mac line ending) is a line break to YAML and to Pulumi, but not to the parser
 * this CLI uses, which reads such a file as one long line (a comment: an empty stack). The two
 * would see different stacks, so the file is refused until it has LF or CRLF line endings.
 * `name` is the file as the message names it, relative to the project folder.
 */
export function loneCarriageReturnProblem(text: string, name: string): string | undefined {
  const at = /\r(?!\n)/.exec(text)?.index;
  if (at === undefined) return undefined;
  const line = (text.slice(0, at).match(/\r\n|\r|\n/g) ?? []).length + 1;
  return `${name}: line ${line} ends in a lone CR (old Mac line ending), which Pulumi reads as a line break and this CLI does not; allowed: LF or CRLF line endings; convert the file first (perl -pi -e 's/\\r\\n?/\\n/g' ${name})`;
}

export function splitStackConfig(text: string, fileName: string): StackFileConfig {
  const lineEndings = loneCarriageReturnProblem(text, basename(fileName));
  if (lineEndings !== undefined) throw new Error(lineEndings);
  const documents = parseAllDocuments(text);
  if (Array.isArray(documents) && documents.length > 1) {
    const line = text.slice(0, documents[1].range[0]).split("\n").length;
    throw new Error(
      `${fileName}: not valid YAML: a second document starts at line ${line} (---); allowed: one document`,
    );
  }
  let document: unknown;
  const only = Array.isArray(documents) ? documents[0] : documents;
  try {
    // One parse: the document already parsed above, unless it has errors, which `parse` throws
    // in the words the message quotes.
    document = only !== undefined && only.errors.length === 0 ? only.toJS() : parse(text);
  } catch (error) {
    throw new Error(`${basename(fileName)}: not valid YAML${yamlProblem(error, text)}`);
  }
  const shape = stackFileShapeProblems(text);
  if (shape.length > 0) throw new StackConfigError(shape);
  const config = (document as { config?: unknown } | null)?.config ?? {};
  // The shape check above refuses any other config:; this only narrows the type.
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${fileName}: "config" must be a map of keys to values`);
  }
  const project: Record<string, unknown> = {};
  const other: Record<string, unknown> = {};
  const strayKeys = unknownNamespaceProblems(Object.keys(config).filter((key) => key.includes(":")));
  if (strayKeys.length > 0) throw new StackConfigError(strayKeys);
  /** The key as written for each of the project's settings: `proxy` or `lappsgrid-jetstream:proxy`. */
  const writtenAs = new Map<string, string>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const separator = key.indexOf(":");
    const namespace = separator < 0 ? PROJECT : key.slice(0, separator);
    const name = separator < 0 ? key : key.slice(separator + 1);
    if (namespace !== PROJECT) {
      other[key] = value;
      continue;
    }
    const earlier = writtenAs.get(name);
    if (earlier !== undefined) {
      // Both spellings name one setting: the one written last would win, silently.
      problems.push(
        `${name}: written twice, as ${earlier} and as ${key} (a key without a namespace is this project's); allowed: one of them`,
      );
    }
    writtenAs.set(name, key);
    project[name] = value;
  }
  for (const [name, key] of writtenAs) {
    // Validation names a setting without its namespace; an unknown one is named as written.
    if (key !== name && !PROJECT_SETTINGS.includes(name)) {
      problems.push(`${key}: unknown key; allowed keys: ${PROJECT_SETTINGS.join(", ")}`);
    }
  }
  if (problems.length > 0) throw new StackConfigError(problems);
  const configNode = only?.get("config");
  if (isMap(configNode)) {
    for (const pair of configNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const separator = key.indexOf(":");
      if (separator < 0 || key.slice(0, separator) === PROJECT)
        recordNumbers(project, key.slice(separator + 1), pair.value);
    }
  }
  return { project, other };
}

/**
 * Why a file could not be read, in the operator's words (`what` names the file a directory
 * stands in place of); undefined for a cause nobody expects, which is shown as Node gives it.
 */
export function unreadableFile(error: unknown, what: string): string | undefined {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "does not exist";
    case "EISDIR":
      return `is a directory, not ${what}`;
    case "EACCES":
      return "cannot be read (permission denied)";
    default:
      return undefined;
  }
}

/** A stack file that could not be read at all; `code` says why (ENOENT: there is none). */
export class StackFileUnreadable extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "StackFileUnreadable";
  }
}

function readStackText(path: string, stack: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const why = unreadableFile(error, "a stack file");
    if (why === undefined) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "ENOENT")
      throw new StackFileUnreadable(`no stack file for stack "${stack}": ${path} ${why}`, code);
    const fix = code === "EISDIR" ? "allowed: a YAML file" : `make it readable (chmod u+r ${path})`;
    throw new StackFileUnreadable(`stack file for stack "${stack}": ${path} ${why}; ${fix}`, code);
  }
}

export function readStackFile(
  projectDir: string,
  stack: string,
): StackFileConfig & { path: string; text: string } {
  const path = stackFilePath(projectDir, stack);
  const text = readStackText(path, stack);
  return { path, text, ...splitStackConfig(text, path) };
}

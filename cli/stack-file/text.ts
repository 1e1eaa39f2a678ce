/**
 * What every verb shares: the stack text it edits, how an operator's instance name finds its
 * entry, and the result a verb hands back (the new text and one line saying what changed).
 */
import { basename } from "node:path";
import {
  normaliseInstanceName,
  type StackConfig,
  StackConfigError,
  splitStackConfig,
  validateStackConfig,
} from "../../config";
import { type KeyPath, projectKey, validateEditedText } from "./edit";

/** The stack file a verb works on. */
export interface StackText {
  stack: string;
  /** `Pulumi.<stack>.yaml`, for messages. */
  fileName: string;
  text: string;
}

export interface StackEdit {
  text: string;
  /** What changed, in the operator's words: `lappsgrid-galaxy: state active -> shelved`. */
  summary: string;
  /** What the operator should know although the edit is allowed; printed on stderr, one line each. */
  warnings?: string[];
}

/** A verb that will not do what it was asked, and says why and what to do instead. */
export class VerbRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerbRefusal";
  }
}

export const INSTANCES_PATH: KeyPath = ["config", projectKey("instances")];
export const PROXY_PATH: KeyPath = ["config", projectKey("proxy")];

export function stackText(stack: string, text: string): StackText {
  return { stack, fileName: `Pulumi.${stack}.yaml`, text };
}

function notValidAsItIs(file: StackText, problems: string[]): VerbRefusal {
  return new VerbRefusal(
    `${basename(file.fileName)} is not valid as it is; fix it first (\`jetstream plan --stack ${file.stack}\`):\n  ${problems.join("\n  ")}`,
  );
}

/** The `lappsgrid-jetstream:*` values as written; a verb does not start from a file it cannot read. */
export function projectConfig(file: StackText): Record<string, unknown> {
  try {
    return splitStackConfig(file.text, file.fileName).project;
  } catch (error) {
    if (error instanceof StackConfigError) throw notValidAsItIs(file, error.problems);
    throw error;
  }
}

/** The validated stack as it is now; a verb does not start from a broken file. */
export function currentConfig(file: StackText): StackConfig {
  const values = projectConfig(file);
  try {
    return validateStackConfig(values, file.stack);
  } catch (error) {
    if (error instanceof StackConfigError) throw notValidAsItIs(file, error.problems);
    throw error;
  }
}

/** The stack as it is, or the refusal naming its problems when it is not valid. */
export function currentOrProblem(file: StackText): { current?: StackConfig; notValid?: VerbRefusal } {
  try {
    return { current: currentConfig(file) };
  } catch (error) {
    if (error instanceof VerbRefusal) return { notValid: error };
    throw error;
  }
}

/** Whether `text` is a valid stack file. */
export function isValid(text: string, file: StackText): boolean {
  try {
    validateEditedText(text, file.fileName, file.stack);
    return true;
  } catch {
    return false;
  }
}

/** The instance entries as written: key -> raw values. */
export function rawInstances(file: StackText): Record<string, Record<string, unknown>> {
  const instances = projectConfig(file).instances;
  return instances && typeof instances === "object"
    ? (instances as Record<string, Record<string, unknown>>)
    : {};
}

/** The key under `instances` that `name` (short or `lappsgrid-` form) means, or a refusal naming the known ones. */
export function findInstanceKey(file: StackText, name: string): string {
  const keys = Object.keys(rawInstances(file));
  const wanted = normaliseInstanceName(name);
  const key = keys.find((candidate) => normaliseInstanceName(candidate) === wanted);
  if (key !== undefined) return key;
  const known = keys.map(normaliseInstanceName).sort();
  throw new VerbRefusal(
    `no instance "${name}" in ${file.fileName}; known instances: ${known.join(", ") || "none"}`,
  );
}

export function instancePath(key: string): KeyPath {
  return [...INSTANCES_PATH, key];
}

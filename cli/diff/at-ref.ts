/**
 * diff: the program evaluated offline for the stack file at a git ref and as it is now. When
 * the program itself changed since the ref (and lives in the same repository as the stack
 * files), the base side runs the program as it was at the ref, so a code change shows too.
 */
import { readFileSync } from "node:fs";
import { type StackConfig, splitStackConfig, stackFilePath, validateStackConfig } from "../../config";
import type { Evaluation } from "../offline/evaluation";
import { git, withProgramAt } from "../offline/program-at-ref";
import type { CloudRefusal } from "../resource-diff/cloud-refusals";
import { diffEvaluations, type ResourceDiff } from "../resource-diff/compare";
import type { Evaluator } from "../stack-file/edit-flow";
import { siteSwitchError } from "../stack-file/site-switch";
import { type FileAtRef, fileAtRef } from "./file-at-ref";

/** Where `pulumi up` starts from: the commit the pipeline applied last, HEAD unless told. */
export const DEFAULT_BASE = "HEAD";

const SERVER = "openstack:compute/instance:Instance";

/**
 * The stack file at `ref` for the editing verbs: its text, or why a link there cannot be
 * followed; undefined when git cannot show it for any other reason (no repository, no such
 * commit, no such file, a damaged clone), and the verbs then judge an edit alone. Refs never
 * start with "-" (git check-ref-format), so such a value is no ref rather than an option of git.
 */
export function stackFileTextAt(
  projectDir: string,
  stack: string,
  ref: string,
): { text: string } | { problem: string } | undefined {
  if (ref === "" || ref.startsWith("-")) return undefined;
  try {
    const file = fileAtRef(projectDir, ref, `Pulumi.${stack}.yaml`);
    if (file.kind === "text") return { text: file.text };
    return file.kind === "unreadable" ? { problem: file.problem } : undefined;
  } catch {
    return undefined;
  }
}

/** The stack file's text at `ref`, or undefined when the file did not exist there; anything else git cannot show is an error. */
function stackFileAt(
  projectDir: string,
  stack: string,
  ref: string,
  folder: string,
  baseGiven: boolean,
): string | undefined {
  if (ref === "") {
    // `--base "$BASE"` with BASE unset: the option is to blame, not a commit called "".
    throw new Error(
      "--base: an empty value (an unset shell variable?); allowed: a git ref (commit, branch or tag; default HEAD)",
    );
  }
  try {
    git(projectDir, ["rev-parse", "--git-dir"]);
  } catch {
    // Said as it is: "HEAD is not a commit" would send the operator looking for a bad ref.
    throw new Error(
      `${folder} is not in a git repository; diff compares the stack file with a commit (--base), so run it in a clone of the project, or check the stack as it is with \`jetstream plan --stack ${stack}\``,
    );
  }
  try {
    if (ref.startsWith("-")) throw new Error("an option, not a ref");
    git(projectDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    if (!baseGiven) {
      // HEAD missing is a repository without a commit, not a --base the operator never typed.
      throw new Error(
        `the git repository at ${projectDir} has no commit yet (diff compares with HEAD unless --base names a ref); commit the project first, or check the stack as it is with \`jetstream plan --stack ${stack}\``,
      );
    }
    throw new Error(`--base: "${ref}" is not a commit of the git repository at ${projectDir}`);
  }
  const fileName = `Pulumi.${stack}.yaml`;
  let file: FileAtRef;
  try {
    file = fileAtRef(projectDir, ref, fileName);
  } catch (error) {
    const cause = String((error as { stderr?: unknown }).stderr ?? "").trim() || (error as Error).message;
    throw new Error(
      `${baseGiven ? "--base: " : ""}git cannot read ${fileName} at "${ref}" (${cause.split("\n")[0]}); allowed: a ref where git can show the stack file`,
    );
  }
  // Only an absent file means "every resource is created".
  if (file.kind === "absent") return undefined;
  if (file.kind === "unreadable") {
    throw new Error(
      `${baseGiven ? "--base: " : ""}${file.problem}, so there is no stack file to compare with; allowed: a link to a file of the repository, committed with it`,
    );
  }
  return file.text;
}

export async function diffAgainstRef(
  /**
   * `base`: --base as given (HEAD when not); `folder`: the project folder as a message names it
   * (`--dir: D` only when given).
   */
  options: { projectDir: string; stack: string; base?: string; folder: string },
  evaluate: Evaluator,
): Promise<ResourceDiff> {
  const { projectDir, stack } = options;
  const base = options.base ?? DEFAULT_BASE;
  const baseText = stackFileAt(projectDir, stack, base, options.folder, options.base !== undefined);
  const [before, after] = await withProgramAt(projectDir, base, (programDir) =>
    Promise.all([
      baseText === undefined
        ? Promise.resolve<Evaluation | undefined>(undefined)
        : evaluate({ projectDir, stack, stackFileText: baseText, programDir }),
      evaluate({ projectDir, stack }),
    ]),
  );
  const diff = diffEvaluations(before, after);
  const pair =
    baseText === undefined ? undefined : siteSwitchRefusal(projectDir, stack, baseText, before, after);
  return pair === undefined ? diff : { ...diff, refusals: [...diff.refusals, pair] };
}

/** The stack file's text validated, or undefined: the evaluation already said what is wrong. */
function validated(text: string, stack: string): StackConfig | undefined {
  try {
    return validateStackConfig(splitStackConfig(text, `Pulumi.${stack}.yaml`).project, stack);
  } catch {
    return undefined;
  }
}

/**
 * The site switched away from its target while that target goes down, both since the base: one
 * `pulumi up` orders neither after the other (site-switch.ts). Named by the target's server.
 */
function siteSwitchRefusal(
  projectDir: string,
  stack: string,
  baseText: string,
  before: Evaluation | undefined,
  after: Evaluation,
): CloudRefusal | undefined {
  const base = validated(baseText, stack);
  const head = validated(readFileSync(stackFilePath(projectDir, stack), "utf8"), stack);
  if (base === undefined || head === undefined) return undefined;
  const error = siteSwitchError(base, head);
  if (error === undefined) return undefined;
  const server = [...after.resources, ...(before?.resources ?? [])].find(
    (resource) => resource.type === SERVER && resource.inputs.name === error.instance,
  );
  return {
    severity: "error",
    resource: server?.name ?? error.instance,
    type: server?.type ?? SERVER,
    message: error.message,
  };
}

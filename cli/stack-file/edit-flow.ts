/**
 * The one path every editing verb takes: pick the stack file, let the verb compute the new
 * text, validate it with the program's config module (and a `<stack>/<instance>` proxy
 * target against that stack's file), evaluate the program offline for it, and only then
 * replace the file atomically and show the file's diff, the resource-level diff and the
 * command that applies it. An edit the program fails on is rejected like an invalid one: the
 * file stays as it was.
 */
import { readFileSync } from "node:fs";
import { type StackConfig, stackFilePath } from "../../config";
import { evaluateStack } from "../offline/evaluate-stack";
import type { Evaluation } from "../offline/evaluation";
import { type Inventory, readInventory } from "../offline/inventory";
import { inventoryProblems } from "../offline/inventory-checks";
import { programErrorMessage } from "../offline/program-error";
import { diffEvaluations } from "../resource-diff/compare";
import { formatDiffText, refusalErrors, unifiedDiff } from "../resource-diff/format";
import { crossStackTargetProblem } from "./cross-stack-target";
import { EditRejected, NotEditable, validateEditedText } from "./edit";
import { keepLineEndings } from "./line-endings";
import type { StackOptions } from "./options";
import { addressOwner, notValidAsItIs, otherStacks } from "./other-stacks";
import { selectStack } from "./select";
import { currentOrProblem, isValid, type StackEdit, type StackText, stackText } from "./text";
import {
  appliedStack,
  evaluateApplied,
  judgeUnappliedPair,
  notJudged,
  refuseUnorderedSiteSwitch,
} from "./unapplied-change";
import { refuseReadOnly, replaceUnlessChanged } from "./write";

export type Evaluator = (options: {
  projectDir: string;
  stack: string;
  stackFileText?: string;
  /** The program as it was at a git ref (program-at-ref.ts); today's program when absent. */
  programDir?: string;
}) => Promise<Evaluation>;

export interface EditDeps {
  /**
   * Offline evaluation: it must succeed for the edited file, and gives the resource-level
   * diff; null skips it (tests of the file edit).
   */
  evaluate?: Evaluator | null;
  /** Where the report goes; stdout by default. */
  write?: (text: string) => void;
  /** Where warnings go; stderr by default. */
  warn?: (text: string) => void;
}

/** An edit the program fails on offline, as `pulumi preview` would; the file was not touched. */
class EvaluationRejected extends Error {
  constructor(fileName: string, stack: string, programError: string, failsAlready: boolean) {
    const indented = programError.replace(/\n/g, "\n  ");
    super(
      failsAlready
        ? `${fileName} left unchanged: the program fails for the stack file as it is, and still after this edit; fix it first (\`jetstream plan --stack ${stack}\`):\n  ${indented}`
        : `${fileName} left unchanged: the program fails for the edited stack file, as \`pulumi preview\` would:\n  ${indented}`,
    );
    this.name = "EvaluationRejected";
  }
}

/** An edit whose resource diff the cloud would refuse (cloud-refusals.ts); the file was not touched. */
class CloudRefused extends Error {
  constructor(fileName: string, errors: string[]) {
    super(
      `${fileName} left unchanged: \`pulumi up\` would fail on the cloud after this edit:\n  ${errors.join("\n  ")}`,
    );
    this.name = "CloudRefused";
  }
}

/** A proxy target in another stack must be an instance of that stack's file, its port open to the proxy; checked when the edit sets either. */
function refuseUnknownStackTarget(
  projectDir: string,
  file: StackText,
  current: StackConfig | undefined,
  edited: StackConfig,
): void {
  const unchanged =
    JSON.stringify(edited.proxy?.target) === JSON.stringify(current?.proxy?.target) &&
    edited.proxy?.port === current?.proxy?.port;
  if (unchanged) return;
  const problem = crossStackTargetProblem(projectDir, file.stack, edited);
  if (problem !== undefined) throw new EditRejected(file.fileName, [problem]);
}

/** A public address this edit adds must not be another stack's: one address, one server. */
function refuseTakenAddress(
  projectDir: string,
  file: StackText,
  current: StackConfig | undefined,
  edited: StackConfig,
): void {
  const held = new Set(
    (current?.instances ?? []).flatMap((i) => (i.ip.kind === "adopt" ? [i.ip.address] : [])),
  );
  const added = edited.instances.filter((i) => i.ip.kind === "adopt" && !held.has(i.ip.address));
  if (added.length === 0) return;
  const others = otherStacks(projectDir, file.stack);
  const problems = added.flatMap((instance) => {
    const address = instance.ip.kind === "adopt" ? instance.ip.address : "";
    const owner = addressOwner(others, address);
    if (owner !== undefined) {
      return [
        `instances.${instance.key}.ip: ${address} is already the address of ${owner}; allowed: each address on one instance`,
      ];
    }
    // A guard that cannot read what it guards refuses: the address may be that stack's.
    return others
      .filter((other) => other.config === undefined)
      .map(
        (other) =>
          `instances.${instance.key}.ip: ${notValidAsItIs(other)}, so whether ${address} is already its address cannot be checked; fix it first (\`jetstream plan --stack ${other.stack}\`)`,
      );
  });
  if (problems.length > 0) throw new EditRejected(file.fileName, problems);
}

/**
 * What the edit adds that the project's inventory contradicts (an address the project does not
 * hold, a size's vcpus not its flavor's), refused as this edit's fault. A contradiction already
 * in the file is left to the evaluation, which says the file fails as it is.
 */
function refuseInventoryContradiction(
  projectDir: string,
  file: StackText,
  current: StackConfig | undefined,
  edited: StackConfig,
): void {
  let inventory: Inventory | undefined;
  try {
    inventory = readInventory(projectDir, file.stack);
  } catch {
    // A bad inventory fails the evaluation, named there.
    return;
  }
  if (inventory === undefined) return;
  const already = new Set(current === undefined ? [] : inventoryProblems(current, inventory, file.stack));
  const added = inventoryProblems(edited, inventory, file.stack).filter((problem) => !already.has(problem));
  if (added.length > 0) throw new EditRejected(file.fileName, added);
}

/**
 * Evaluates the program for the file before and after the edit, and as HEAD holds it when that
 * differs (unapplied-change.ts); refuses the edit when the program fails for the new text or
 * the cloud would refuse what `pulumi up` then applies. Returns the resource-level diff to print.
 */
async function evaluateEdit(
  evaluate: Evaluator,
  options: {
    projectDir: string;
    file: StackText;
    after: string;
    summary: string;
    /** HEAD's file when it differs, validated; and the file as it is, when valid. */
    applied?: { text: string; config: StackConfig };
    current?: StackConfig;
  },
): Promise<{ report: string; warnings: string[] }> {
  const { projectDir, file, after } = options;
  const [old, next, applied] = await Promise.allSettled([
    evaluate({ projectDir, stack: file.stack, stackFileText: file.text }),
    evaluate({ projectDir, stack: file.stack, stackFileText: after }),
    // HEAD's file the program fails for, or cannot run on: the edit is judged alone, as ever.
    options.applied === undefined
      ? undefined
      : evaluateApplied(evaluate, projectDir, file, options.applied.text),
  ]);
  const message = (result: PromiseRejectedResult) =>
    programErrorMessage(result.reason instanceof Error ? result.reason.message : String(result.reason));
  if (next.status === "rejected") {
    throw new EvaluationRejected(file.fileName, file.stack, message(next), old.status === "rejected");
  }
  if (old.status === "rejected") {
    return {
      report: `\nResource-level diff unavailable: the program failed for the stack file as it was:\n  ${message(old).replace(/\n/g, "\n  ")}\n`,
      warnings: [],
    };
  }
  const diff = diffEvaluations(old.value, next.value);
  if (refusalErrors(diff) > 0) {
    const errors = diff.refusals.filter((refusal) => refusal.severity === "error");
    throw new CloudRefused(
      file.fileName,
      errors.map((refusal) => `error: ${refusal.resource} (${refusal.type}): ${refusal.message}`),
    );
  }
  const warnings =
    applied.status === "fulfilled" && applied.value !== undefined
      ? judgeUnappliedPair({
          file,
          summary: options.summary,
          applied: applied.value,
          current: old.value,
          edited: next.value,
          configs:
            options.applied === undefined || options.current === undefined
              ? undefined
              : { applied: options.applied.config, current: options.current },
        })
      : [];
  return {
    report: `\nResources (offline evaluation, before -> after this edit):\n${formatDiffText(diff)}`,
    warnings,
  };
}

/** The verb's edit; one it cannot splice is refused with the file it is in. */
function editOf(
  verb: (file: StackText, projectDir: string) => StackEdit,
  file: StackText,
  projectDir: string,
  notValid: Error | undefined,
): StackEdit {
  try {
    return verb(file, projectDir);
  } catch (error) {
    if (notValid !== undefined) throw notValid;
    if (error instanceof NotEditable) throw new Error(`${file.fileName}: ${error.message}`);
    throw error;
  }
}

export async function runStackEdit(
  options: StackOptions,
  /** Gets the stack file, and the project folder for verbs that look at the other stacks. */
  verb: (file: StackText, projectDir: string) => StackEdit,
  deps: EditDeps = {},
): Promise<void> {
  const write = deps.write ?? ((text: string) => process.stdout.write(text));
  const { projectDir, stack } = selectStack(options);
  const path = stackFilePath(projectDir, stack);
  const before = readFileSync(path, "utf8");
  const file = stackText(stack, before);
  // A problem already in the file is not this edit's fault: say so instead of blaming the verb,
  // unless the edit makes the file valid (the fix the problem names: resume, offline, proxy OTHER).
  const { current, notValid } = currentOrProblem(file);
  const spliced = editOf(verb, file, projectDir, notValid);
  const edit = { ...spliced, text: keepLineEndings(before, spliced.text) };
  const warn = deps.warn ?? ((text: string) => process.stderr.write(text));
  if (notValid !== undefined && (edit.text === before || !isValid(edit.text, file))) throw notValid;
  if (edit.text === before) {
    for (const warning of edit.warnings ?? []) warn(`warning: ${warning}\n`);
    write(`${file.fileName}: ${edit.summary}\n`);
    return;
  }
  // Before the slow evaluation: a read-only file is refused whatever the edit.
  refuseReadOnly(path);
  const edited = validateEditedText(edit.text, file.fileName, stack);
  refuseUnknownStackTarget(projectDir, file, current, edited);
  refuseTakenAddress(projectDir, file, current, edited);
  refuseInventoryContradiction(projectDir, file, current, edited);
  // What HEAD holds, when it differs: `pulumi up` applies the change since then with this edit.
  const head = appliedStack(projectDir, file);
  const applied = head !== undefined && "config" in head ? head : undefined;
  if (applied !== undefined) {
    refuseUnorderedSiteSwitch({ file, summary: edit.summary, applied: applied.config, current, edited });
  }
  const evaluate = deps.evaluate === undefined ? evaluateStack : deps.evaluate;
  const resources = evaluate
    ? await evaluateEdit(evaluate, {
        projectDir,
        file,
        after: edit.text,
        summary: edit.summary,
        applied,
        current,
      })
    : { report: "", warnings: [] };
  replaceUnlessChanged(path, before, edit.text);
  const warnings = [
    ...(edit.warnings ?? []),
    ...(head !== undefined && "problem" in head ? [notJudged(file, head.problem)] : []),
    ...resources.warnings,
  ];
  for (const warning of warnings) warn(`warning: ${warning}\n`);
  write(
    `${file.fileName}: ${edit.summary}\n\n${unifiedDiff(before, edit.text, file.fileName)}${resources.report}`,
  );
  write(
    `\nNext: review and commit ${file.fileName}, then \`pulumi preview --stack ${stack}\` (or \`jetstream up --stack ${stack}\`).\n`,
  );
}

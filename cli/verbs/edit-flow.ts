/**
 * The one path every editing verb takes: pick the stack file, let the verb compute the new
 * text, validate it with the program's config module, replace the file atomically, then show
 * the file's diff, the resource-level diff and the command that applies it.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { stackFilePath } from "../../config";
import { formatDiffText, unifiedDiff } from "../format-diff";
import { evaluateStack } from "../offline/evaluate";
import type { Evaluation } from "../offline/evaluation";
import { diffEvaluations } from "../resource-diff";
import { validateEditedText, writeFileAtomically } from "../stack-edit";
import { selectStack } from "../stack-select";
import { currentConfig, type StackEdit, type StackText, stackText } from "./stack-text";

export type Evaluator = (options: {
  projectDir: string;
  stack: string;
  stackFileText?: string;
}) => Promise<Evaluation>;

export interface EditDeps {
  /** Offline evaluation for the resource-level diff; null skips it (tests of the file edit). */
  evaluate?: Evaluator | null;
  /** Where the report goes; stdout by default. */
  write?: (text: string) => void;
}

export interface StackOptions {
  stack?: string;
  dir?: string;
}

/** `--stack` and `--dir`, worded the same on every verb. */
export function addStackOptions(command: Command): Command {
  return command
    .option("--stack <name>", "stack (Pulumi.<name>.yaml); default $PULUMI_STACK, or the only stack file")
    .option("--dir <path>", "project folder (where Pulumi.yaml is)", ".");
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
  // A problem already in the file is not this edit's fault: say so instead of blaming the verb.
  currentConfig(file);
  const edit = verb(file, projectDir);
  if (edit.text === before) {
    write(`${file.fileName}: ${edit.summary}\n`);
    return;
  }
  validateEditedText(edit.text, file.fileName, stack);
  // Several people edit the same tree: never overwrite a change made since we read the file.
  if (readFileSync(path, "utf8") !== before) {
    throw new Error(`${file.fileName} changed while this verb ran; run it again`);
  }
  writeFileAtomically(path, edit.text);
  write(`${file.fileName}: ${edit.summary}\n\n${unifiedDiff(before, edit.text, file.fileName)}`);
  const evaluate = deps.evaluate === undefined ? evaluateStack : deps.evaluate;
  if (evaluate) {
    try {
      const [old, next] = await Promise.all([
        evaluate({ projectDir, stack, stackFileText: before }),
        evaluate({ projectDir, stack, stackFileText: edit.text }),
      ]);
      write(
        `\nResources (offline evaluation, before -> after this edit):\n${formatDiffText(diffEvaluations(old, next))}`,
      );
    } catch (error) {
      write(`\nResource-level diff unavailable: ${(error as Error).message}\n`);
    }
  }
  write(
    `\nNext: review and commit ${file.fileName}, then \`pulumi preview --stack ${stack}\` (or \`jetstream up --stack ${stack}\`).\n`,
  );
}

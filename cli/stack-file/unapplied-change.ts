/**
 * An edit on top of a change that HEAD does not hold yet. HEAD is what was applied last (the
 * base `jetstream diff` compares with by default), and `pulumi up` goes from there to the file
 * as it will be: the uncommitted change and this edit reach the cloud in one update. A pair can
 * be refused where each change alone is not: shelving a server whose resize is not applied yet
 * makes the provider shelve it and then resize it, which nova refuses (provider issue #1749).
 * A refusal the uncommitted change holds already is not this edit's (`jetstream diff` shows it).
 */
import { DEFAULT_BASE, stackFileTextAt } from "../diff/at-ref";
import type { Evaluation } from "../offline/evaluation";
import { withProgramAt } from "../offline/program-at-ref";
import type { CloudRefusal } from "../resource-diff/cloud-refusals";
import { diffEvaluations, type ResourceChange } from "../resource-diff/compare";
import type { Evaluator } from "./edit-flow";
import type { StackText } from "./text";

/**
 * Starts evaluating the stack as HEAD holds it (its file there, run by the program as it was
 * there), or gives undefined when HEAD's file cannot be read or is the file as it is: then the
 * edit alone is what `pulumi up` applies, and the edit costs no third evaluation.
 */
export function evaluateApplied(
  evaluate: Evaluator,
  projectDir: string,
  file: StackText,
): Promise<Evaluation> | undefined {
  const text = stackFileTextAt(projectDir, file.stack, DEFAULT_BASE);
  if (text === undefined || text === file.text) return undefined;
  return withProgramAt(projectDir, DEFAULT_BASE, (programDir) =>
    evaluate({ projectDir, stack: file.stack, stackFileText: text, programDir }),
  );
}

/** An edit the cloud accepts alone but refuses together with the uncommitted change; the file was not touched. */
class UnappliedChangeRefused extends Error {
  constructor(file: StackText, summary: string, pending: string, errors: CloudRefusal[]) {
    super(
      [
        `${file.fileName} left unchanged: \`pulumi up\` applies this edit (${summary}) together with the change since ${DEFAULT_BASE}, not committed yet (${pending}), and the cloud refuses the two in one \`pulumi up\`:`,
        ...errors.map((refusal) => `  error: ${refusal.resource} (${refusal.type}): ${refusal.message}`),
        `  fix: apply the change since ${DEFAULT_BASE} first (commit it, then \`pulumi up --stack ${file.stack}\` or merge it for the pipeline to apply), then run this verb again`,
      ].join("\n"),
    );
    this.name = "UnappliedChangeRefused";
  }
}

/** `lappsgrid-worker-server: flavorName, metadata`: a change named by its resource and inputs. */
function describe(change: ResourceChange): string {
  const inputs = change.inputs.map((input) => input.input).join(", ");
  switch (change.kind) {
    case "update":
      return `${change.name}: ${inputs}`;
    case "replace":
      return `${change.name}: replaced (${inputs})`;
    default:
      return `${change.name}: ${change.kind}d`;
  }
}

function sameRefusal(a: CloudRefusal, b: CloudRefusal): boolean {
  return a.resource === b.resource && a.type === b.type && a.message === b.message;
}

/**
 * Refuses the edit when the cloud refuses going from `applied` (HEAD) to `edited` for a reason
 * that going from `applied` to `current` (the uncommitted change alone) does not have.
 */
export function refuseUnappliedPair(options: {
  file: StackText;
  summary: string;
  applied: Evaluation;
  current: Evaluation;
  edited: Evaluation;
}): void {
  const pending = diffEvaluations(options.applied, options.current);
  const errors = diffEvaluations(options.applied, options.edited).refusals.filter(
    (refusal) =>
      refusal.severity === "error" && !pending.refusals.some((already) => sameRefusal(already, refusal)),
  );
  if (errors.length === 0) return;
  const refused = new Set(errors.map((refusal) => refusal.resource));
  const involved = pending.changes.filter((change) => refused.has(change.name));
  const named = (involved.length > 0 ? involved : pending.changes).map(describe);
  throw new UnappliedChangeRefused(
    options.file,
    options.summary,
    named.length > 0 ? named.join("; ") : "no resource changes",
    errors,
  );
}

/**
 * An edit on top of a change that HEAD does not hold yet. HEAD is what was applied last (the
 * base `jetstream diff` compares with by default), and `pulumi up` goes from there to the file
 * as it will be: the uncommitted change and this edit reach the cloud in one update. A pair can
 * be refused where each change alone is not: shelving a server whose resize is not applied yet
 * makes the provider shelve it and then resize it, which nova refuses (provider issue #1749);
 * shelving the server the site forwarded to while the uncommitted change points the site
 * elsewhere is not ordered (the switch does not wait for the old target). A problem the
 * uncommitted change holds already is not this edit's (`jetstream diff` shows it).
 */
import { type StackConfig, splitStackConfig, validateStackConfig } from "../../config";
import { DEFAULT_BASE, stackFileTextAt } from "../diff/at-ref";
import { firstProblem, isProgrammingError } from "../error-report";
import type { Evaluation } from "../offline/evaluation";
import { withProgramAt } from "../offline/program-at-ref";
import type { CloudRefusal } from "../resource-diff/cloud-refusals";
import { diffEvaluations, type ResourceChange } from "../resource-diff/compare";
import type { Evaluator } from "./edit-flow";
import { instanceChange } from "./instance-change";
import { downVerb, leftTargetDown, siteChange, targetDownError } from "./site-switch";
import type { StackText } from "./text";

/** HEAD's stack file, validated; or why it cannot be judged (a link git cannot follow, a file not valid). */
export type AppliedStack = { text: string; config: StackConfig } | { problem: string };

/**
 * The stack file as HEAD holds it, or undefined when git cannot show it or it is the file as it
 * is: then the edit alone is what `pulumi up` applies, and costs no third evaluation.
 */
export function appliedStack(projectDir: string, file: StackText): AppliedStack | undefined {
  const at = stackFileTextAt(projectDir, file.stack, DEFAULT_BASE);
  if (at === undefined || "problem" in at) return at;
  if (at.text === file.text) return undefined;
  try {
    const values = splitStackConfig(at.text, file.fileName).project;
    return { text: at.text, config: validateStackConfig(values, file.stack) };
  } catch (error) {
    if (isProgrammingError(error)) throw error;
    return {
      problem: `${file.fileName} at ${DEFAULT_BASE} is not valid: ${firstProblem(error as Error, file.fileName)}`,
    };
  }
}

/** The warning of an edit that goes ahead although the change since HEAD could not be judged with it. */
export function notJudged(file: StackText, problem: string): string {
  return `${file.fileName}: the change since ${DEFAULT_BASE} could not be judged with this edit (${problem}); \`pulumi up\` applies the two together: check them with \`jetstream diff --stack ${file.stack}\``;
}

/** Evaluates the stack as HEAD holds it: its file there, run by the program as it was there. */
export function evaluateApplied(
  evaluate: Evaluator,
  projectDir: string,
  file: StackText,
  text: string,
): Promise<Evaluation> {
  return withProgramAt(projectDir, DEFAULT_BASE, (programDir) =>
    evaluate({ projectDir, stack: file.stack, stackFileText: text, programDir }),
  );
}

const SERVER = "openstack:compute/instance:Instance";

/** An edit that goes alone but not together with the uncommitted change; the file was not touched. */
class UnappliedChangeRefused extends Error {
  constructor(options: {
    file: StackText;
    summary: string;
    pending: string;
    why: string;
    errors: string[];
    /** The fix when applying the change since HEAD first is not one (it cannot be applied alone). */
    fix?: string;
  }) {
    const { file } = options;
    super(
      [
        `${file.fileName} left unchanged: \`pulumi up\` applies this edit (${options.summary}) together with the change since ${DEFAULT_BASE}, not committed yet (${options.pending}), and ${options.why}:`,
        ...options.errors.map((error) => `  error: ${error}`),
        `  fix: ${options.fix ?? `apply the change since ${DEFAULT_BASE} first (\`pulumi up --stack ${file.stack}\`, or merge it and let the pipeline apply it), then run this verb again`}`,
      ].join("\n"),
    );
    this.name = "UnappliedChangeRefused";
  }
}

/** `lappsgrid-worker-server: flavorName, metadata`: a change named by its resource and inputs. */
function changeNamed(change: ResourceChange): string {
  const inputs = change.inputs.map((input) => input.input).join(", ");
  switch (change.kind) {
    case "update":
      return `${change.name}: ${inputs}`;
    case "replace":
      return `${change.name}: replaced (${inputs})`;
    case "create":
      return `${change.name}: created`;
    case "delete":
      return `${change.name}: deleted`;
  }
}

/** What the change since HEAD is, when no resource or setting names it: `jetstream diff` lists it. */
function unnamed(file: StackText): string {
  return `\`jetstream diff --stack ${file.stack}\` lists it`;
}

function sameRefusal(a: CloudRefusal, b: CloudRefusal): boolean {
  return a.resource === b.resource && a.type === b.type && a.message === b.message;
}

/**
 * Refuses the edit when the cloud refuses going from `applied` (HEAD) to `edited` for a reason
 * that going from `applied` to `current` (the uncommitted change alone) does not have. Returns
 * the pair's warnings that neither change has alone (a server launched since HEAD and shelved by
 * this edit is created shelved, and boots ACTIVE): `pulumi up` applies the pair.
 */
export function judgeUnappliedPair(options: {
  file: StackText;
  summary: string;
  applied: Evaluation;
  current: Evaluation;
  edited: Evaluation;
  /** The two files' stacks, to name the change since HEAD as a verb would; absent when not both valid. */
  configs?: { applied: StackConfig; current: StackConfig };
}): string[] {
  const pending = diffEvaluations(options.applied, options.current);
  const alone = diffEvaluations(options.current, options.edited);
  const pairOnly = diffEvaluations(options.applied, options.edited).refusals.filter(
    (refusal) => !pending.refusals.some((already) => sameRefusal(already, refusal)),
  );
  const errors = pairOnly.filter((refusal) => refusal.severity === "error");
  if (errors.length === 0) {
    return pairOnly
      .filter((refusal) => !alone.refusals.some((shown) => sameRefusal(shown, refusal)))
      .map(
        (refusal) =>
          `with the change since ${DEFAULT_BASE}, not committed yet: ${refusal.resource} (${refusal.type}): ${refusal.message}`,
      );
  }
  const refused = new Set(errors.map((refusal) => refusal.resource));
  const involved = pending.changes.filter((change) => refused.has(change.name));
  const named = (involved.length > 0 ? involved : pending.changes).map(
    (change) => settingsChanged(change, options.current, options.configs) ?? changeNamed(change),
  );
  throw new UnappliedChangeRefused({
    file: options.file,
    summary: options.summary,
    pending: named.length > 0 ? named.join("; ") : unnamed(options.file),
    why: "the cloud refuses the two in one `pulumi up`",
    // The fix of a two-step refusal is its first step, the change since HEAD: the fix line says so.
    errors: errors.map(
      (refusal) => `${refusal.resource} (${refusal.type}): ${refusal.problem ?? refusal.message}`,
    ),
  });
}

/** A server's change as the settings of its instance that changed since HEAD (instance-change.ts). */
function settingsChanged(
  change: ResourceChange,
  current: Evaluation,
  configs: { applied: StackConfig; current: StackConfig } | undefined,
): string | undefined {
  const server = current.resources.find((resource) => resource.urn === change.urn);
  if (configs === undefined || server?.type !== SERVER) return undefined;
  const named = (config: StackConfig) => config.instances.find((i) => i.name === server.inputs.name);
  const from = named(configs.applied);
  const to = named(configs.current);
  return from === undefined || to === undefined ? undefined : instanceChange(from, to);
}

/**
 * Refuses the edit when the site's applied target goes down in the same `pulumi up` that
 * switches the site away from it. `current` is undefined when the file as it is is not valid and
 * this edit makes it valid: the change since HEAD took the online target down by hand (no valid
 * file does that), and this edit is the switch its problem names; that change then comes back
 * out first, since it cannot be applied alone.
 */
export function refuseUnorderedSiteSwitch(options: {
  file: StackText;
  summary: string;
  applied: StackConfig;
  current: StackConfig | undefined;
  edited: StackConfig;
}): void {
  const { applied, current, file } = options;
  const problem = leftTargetDown(applied, options.edited);
  if (problem === undefined) return;
  if (current !== undefined) {
    if (leftTargetDown(applied, current)?.key === problem.key) return;
    throw new UnappliedChangeRefused({
      file,
      summary: options.summary,
      pending: siteChange(applied, current) || unnamed(file),
      why: "nothing in one `pulumi up` orders the two",
      errors: [targetDownError(problem)],
    });
  }
  const was = applied.instances.find((instance) => instance.name === problem.name)?.state;
  throw new UnappliedChangeRefused({
    file,
    summary: options.summary,
    pending:
      problem.down === "deleted"
        ? `${problem.key}: deleted`
        : `${problem.key}: state ${was} -> ${problem.down}`,
    why: "nothing in one `pulumi up` orders the two",
    errors: [targetDownError(problem)],
    fix: `take the change since ${DEFAULT_BASE} back out (\`git diff ${file.fileName}\` shows it), run this verb and \`pulumi up --stack ${file.stack}\`, then \`jetstream ${downVerb(problem)} ${problem.name}\``,
  });
}

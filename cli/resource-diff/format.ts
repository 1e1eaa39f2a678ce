/**
 * Printing diffs: the stack file's own change (a unified diff, as `git diff` shows it) and the
 * resource-level diff as text for a terminal, markdown for a pull-request comment, or JSON.
 */
import { createTwoFilesPatch, diffArrays, FILE_HEADERS_ONLY } from "diff";
import {
  canonical,
  type IgnoredChange,
  type InputChange,
  type ResourceChange,
  type ResourceDiff,
} from "./compare";

import type { DiffFormat } from "./formats";

/** The lines one text removes and adds against another, in order: ` - old` / ` + new`. */
function changedLines(before: string, after: string): string[] {
  return diffArrays(splitLines(before), splitLines(after)).flatMap((part) =>
    part.added || part.removed ? part.value.map((line) => `  ${part.added ? "+" : "-"} ${line}`) : [],
  );
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** `diff -u` of two texts, with three lines of context and git's file headers; "" when they are equal. */
export function unifiedDiff(before: string, after: string, fileName: string): string {
  if (before === after) return "";
  return createTwoFilesPatch(`a/${fileName}`, `b/${fileName}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";
const SERVER = "openstack:compute/instance:Instance";

const SIGN: Record<ResourceChange["kind"], string> = { create: "+", update: "~", replace: "+-", delete: "-" };

function show(value: unknown): string {
  return value === undefined ? "(absent)" : canonical(value);
}

/** One line per input; a multi-line text (a script, an nginx site) shows only its changed lines. */
function describeInput(change: InputChange): string[] {
  const tags = [change.forcesReplacement ? "forces replacement" : "", change.warning ?? ""].filter(Boolean);
  const suffix = tags.length > 0 ? `  (${tags.join("; ")})` : "";
  if (
    typeof change.old === "string" &&
    typeof change.new === "string" &&
    /\n/.test(change.old + change.new)
  ) {
    return [`${change.input}: text changed${suffix}`, ...changedLines(change.old, change.new)];
  }
  return [`${change.input}: ${show(change.old)} -> ${show(change.new)}${suffix}`];
}

/** `imageName "A" -> "B"`; a multi-line text (user data) shows only its changed lines. */
function describeIgnoredInput(change: InputChange): string[] {
  if (
    typeof change.old === "string" &&
    typeof change.new === "string" &&
    /\n/.test(change.old + change.new)
  ) {
    return [`${change.input} text changed`, ...changedLines(change.old, change.new)];
  }
  return [`${change.input} ${show(change.old)} -> ${show(change.new)}`];
}

/**
 * Why `pulumi up` leaves these inputs alone, and how to let them through. A server ignores
 * image and user data changes unless its instance says `acceptRebuild: true`
 * (components/instance.ts), because applying them wipes the root disk.
 */
function ignoredReason(
  change: IgnoredChange,
  name: (text: string) => string,
): { because: string; remedy: string } {
  if (change.type === SERVER) {
    const instance = change.owner === undefined ? "the instance" : `instance ${name(change.owner)}`;
    return {
      because: "acceptRebuild: false",
      remedy: change.inputs.some((input) => input.forcesReplacement)
        ? `set \`acceptRebuild: true\` on ${instance} to let \`pulumi up\` rebuild it: a new server replaces it (its root disk is wiped)`
        : `set \`acceptRebuild: true\` on ${instance} to let \`pulumi up\` rebuild it (its root disk is wiped)`,
    };
  }
  return { because: "ignoreChanges", remedy: "the program's ignoreChanges keeps them from the cloud" };
}

function ignoredLines(change: IgnoredChange): string[] {
  const { because, remedy } = ignoredReason(change, (text) => text);
  const lines = [`  !  ignored ${change.name}  ${change.type}`];
  for (const input of change.inputs) {
    const [first, ...rest] = describeIgnoredInput(input);
    lines.push(`        changed in the stack file but ignored by the server (${because}): ${first}`);
    for (const line of rest) lines.push(`        ${line}`);
  }
  lines.push(`        ${remedy}`);
  return lines;
}

function describeResource(change: ResourceChange): string {
  const notes: string[] = [];
  if (change.type === STACK_REFERENCE) notes.push("reads another stack's outputs; nothing in the cloud");
  if (change.importId) notes.push(`import of existing ${change.importId}`);
  if (change.kind === "delete" && change.retainOnDelete) notes.push("kept in the cloud: retainOnDelete");
  if (change.blocked) notes.push("PROTECTED: pulumi up will refuse");
  else if (change.protect) notes.push("protected");
  return notes.length > 0 ? ` [${notes.join("; ")}]` : "";
}

function summaryLine(diff: ResourceDiff): string {
  const { counts } = diff;
  return `${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete, ${diff.unchanged} unchanged`;
}

export function refusalErrors(diff: ResourceDiff): number {
  return diff.refusals.filter((refusal) => refusal.severity === "error").length;
}

/** One line per refusal, then what it means for `pulumi up`. */
function refusalLines(diff: ResourceDiff): string[] {
  const lines = diff.refusals.map(
    (refusal) => `${refusal.severity}: ${refusal.resource} (${refusal.type}): ${refusal.message}`,
  );
  const errors = refusalErrors(diff);
  if (errors > 0)
    lines.push(
      `!! pulumi up would fail: ${errors} change(s) the cloud refuses (errors above); fix them first.`,
    );
  return lines;
}

function refusalMarkdown(diff: ResourceDiff): string[] {
  if (diff.refusals.length === 0) return [];
  const errors = refusalErrors(diff);
  const out =
    errors > 0
      ? ["> [!CAUTION]", `> \`pulumi up\` would fail: ${errors} change(s) the cloud refuses.`]
      : ["> [!WARNING]", "> `pulumi up` does not do all of this as the stack file reads:"];
  for (const refusal of diff.refusals)
    out.push(`> - **${refusal.severity}** ${code(refusal.resource)}: ${refusal.message}`);
  return [...out, ""];
}

function blockedWarning(diff: ResourceDiff): string[] {
  const blocked = diff.changes.filter((change) => change.blocked);
  if (blocked.length === 0) return [];
  return [
    `!! ${blocked.length} protected resource(s) would be ${blocked.map((c) => `${c.kind === "delete" ? "deleted" : "replaced"}: ${c.name}`).join(", ")}.`,
    "!! `pulumi up` refuses to delete or replace a protected resource; undo this change, or unprotect it on purpose.",
  ];
}

export function formatDiffText(diff: ResourceDiff): string {
  const lines = [
    `Stack ${diff.stack}: ${summaryLine(diff)}${diff.baseExists ? "" : " (no stack file at the base)"}`,
  ];
  for (const change of diff.changes) {
    lines.push(
      `  ${SIGN[change.kind].padEnd(2)} ${change.kind.padEnd(7)} ${change.name}  ${change.type}${describeResource(change)}`,
    );
    for (const input of change.inputs) for (const line of describeInput(input)) lines.push(`        ${line}`);
  }
  if (diff.changes.length === 0) lines.push("  no resource changes");
  for (const change of diff.ignored) lines.push(...ignoredLines(change));
  lines.push(...refusalLines(diff));
  lines.push(...blockedWarning(diff));
  return `${lines.join("\n")}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function ignoredMarkdown(ignored: IgnoredChange[]): string[] {
  const out = ["> [!WARNING]", "> Not applied by `pulumi up`:"];
  for (const change of ignored) {
    const { because, remedy } = ignoredReason(change, code);
    const inputs = change.inputs.map((input) =>
      describeIgnoredInput(input)
        .map((line) => code(line.trim()))
        .join("<br>"),
    );
    out.push(
      `> - ${code(change.name)} changed in the stack file but ignored by the server (${because}): ${inputs.join(", ")}; ${remedy}`,
    );
  }
  return out;
}

function formatDiffMarkdown(diff: ResourceDiff): string {
  const { counts } = diff;
  const out = [
    `### \`jetstream diff\`: stack \`${diff.stack}\``,
    "",
    `**${counts.create}** to create, **${counts.update}** to update, **${counts.replace}** to replace, **${counts.delete}** to delete, ${diff.unchanged} unchanged${diff.baseExists ? "" : " (no stack file at the base: everything is new)"}`,
    "",
  ];
  out.push(...refusalMarkdown(diff));
  const blocked = blockedWarning(diff);
  if (blocked.length > 0)
    out.push("> [!CAUTION]", ...blocked.map((line) => `> ${line.replace(/^!! /, "")}`), "");
  if (diff.changes.length === 0) out.push("No resource changes.");
  else {
    out.push("| Change | Resource | Type | Inputs |", "| --- | --- | --- | --- |");
    for (const change of diff.changes) {
      const inputs = change.inputs.flatMap(describeInput).map((line) => code(line.trim()));
      const kind = `${SIGN[change.kind]} ${change.kind}${describeResource(change)}`;
      out.push(
        `| ${cell(kind)} | ${code(change.name)} | ${code(change.type)} | ${cell(inputs.join("<br>"))} |`,
      );
    }
  }
  if (diff.ignored.length > 0) out.push("", ...ignoredMarkdown(diff.ignored));
  return `${out.join("\n")}\n`;
}

export function formatDiff(diff: ResourceDiff, format: DiffFormat): string {
  if (format === "json") return `${JSON.stringify(diff, null, 2)}\n`;
  return format === "markdown" ? formatDiffMarkdown(diff) : formatDiffText(diff);
}

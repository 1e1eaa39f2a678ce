/**
 * What `pulumi up` would do to go from one offline evaluation to another: resources created,
 * updated (with the inputs that changed), replaced (an input the provider cannot update in
 * place, see replace-table.ts) or deleted. A resource is the same resource when its URN is.
 *
 * Values the mock cloud made up (IDs, addresses) differ between two evaluations without
 * meaning anything: before comparing, each one is replaced by what it stands for
 * (`⟨instances.lappsgrid-galaxy.privateIp⟩`, `⟨id of lappsgrid-port⟩`), so moving the proxy
 * from one instance to another is a change, and a renumbered mock address is not.
 *
 * An input the stack file changes but `ignoreChanges` keeps from the cloud (a server's image
 * or user data without `acceptRebuild: true`) is no change for `pulumi up`; it is listed apart
 * in `ignored`, because the stack file then describes a server the cloud will never have.
 *
 * What the real cloud would refuse of these changes (cloud-refusals.ts) is listed in `refusals`.
 */

import type { Evaluation, PlannedResource } from "../offline/evaluation";
import { type CloudRefusal, cloudRefusals } from "./cloud-refusals";
import { forcesReplacement, updateWarning } from "./replace-table";

export type ChangeKind = "create" | "update" | "replace" | "delete";

export interface InputChange {
  /** Top-level input name, as the program passes it (`powerState`, `stdin`). */
  input: string;
  old?: unknown;
  new?: unknown;
  forcesReplacement: boolean;
  /** What an in-place update of this input does (a rebuild wipes the disk), when it matters. */
  warning?: string;
}

export interface ResourceChange {
  kind: ChangeKind;
  urn: string;
  type: string;
  name: string;
  /** Custom resources exist in the cloud; components only group them. */
  custom: boolean;
  inputs: InputChange[];
  /** Protected (in the state for deletes and replaces): `pulumi up` refuses to touch it. */
  protect: boolean;
  /** Deleted from the stack but kept in the cloud (an adopted floating IP). */
  retainOnDelete: boolean;
  /** Created by adopting an existing cloud object (`import`), not by making one. */
  importId?: string;
  /** A protected resource this change would delete or replace: `pulumi up` will fail. */
  blocked: boolean;
}

/** Inputs of one resource changed in the stack file that `pulumi up` will not apply (`ignoreChanges`). */
export interface IgnoredChange {
  urn: string;
  type: string;
  name: string;
  /** Name of the component the resource belongs to (the instance of a server), when it has one. */
  owner?: string;
  inputs: InputChange[];
}

export interface ResourceDiff {
  stack: string;
  /** False when the base had no stack file: everything is a creation. */
  baseExists: boolean;
  changes: ResourceChange[];
  /** Changed but ignored inputs; not counted as updates, the resource may still be unchanged. */
  ignored: IgnoredChange[];
  counts: Record<ChangeKind, number>;
  unchanged: number;
  /** Changes Jetstream2 refuses (errors: `pulumi up` fails) or does not do as written (warnings). */
  refusals: CloudRefusal[];
}

const KIND_ORDER: Record<ChangeKind, number> = { delete: 0, replace: 1, update: 2, create: 3 };

/** Mock value -> what it stands for, from the resources' IDs and the stack outputs. */
function mockMeanings(evaluation: Evaluation): Map<string, string> {
  const mock = new Set(evaluation.mockValues);
  const meanings = new Map<string, string>();
  for (const resource of evaluation.resources) {
    if (resource.id !== undefined && mock.has(resource.id))
      meanings.set(resource.id, `id of ${resource.name}`);
  }
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string" && mock.has(value) && !meanings.has(value)) meanings.set(value, path);
    else if (Array.isArray(value))
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`);
    else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    }
  };
  walk(evaluation.outputs, "");
  for (const value of mock) if (!meanings.has(value)) meanings.set(value, "computed");
  return meanings;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Finds mock-made values standing whole inside a text (an upstream "10.0.0.10:8080"), never as
 * part of a longer one: 10.0.0.10 is not in 10.0.0.105 nor in 110.0.0.10.
 */
export function wholeValuesPattern(values: Iterable<string>): RegExp | undefined {
  // Longest first, so 10.0.0.110 is never read as 10.0.0.11 followed by "0".
  const sorted = [...values].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return undefined;
  return new RegExp(`(?<![\\w.-])(${sorted.map(escapeRegExp).join("|")})(?![\\w-]|\\.\\d)`, "g");
}

/** Replaces every mock-made value inside `value` by ⟨its meaning⟩. */
function makeNormaliser(meanings: Map<string, string>): (value: unknown) => unknown {
  const pattern = wholeValuesPattern(meanings.keys());
  const normalise = (value: unknown): unknown => {
    if (typeof value === "string") {
      return pattern ? value.replace(pattern, (match) => `⟨${meanings.get(match)}⟩`) : value;
    }
    if (Array.isArray(value)) return value.map(normalise);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
    }
    return value;
  };
  return normalise;
}

/** JSON with sorted keys: two equal values always print the same. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}

/** `ignoreChanges: ["userData"]` covers `userData`; `["networks[0].port"]` does not cover `networks`. */
function isIgnored(input: string, ignoreChanges: string[]): boolean {
  return ignoreChanges.some((path) => path === input || path === "*");
}

/** Every changed input, split into what `pulumi up` applies and what `ignoreChanges` keeps out. */
function changedInputs(
  before: PlannedResource,
  after: PlannedResource,
  normaliseBefore: (value: unknown) => unknown,
  normaliseAfter: (value: unknown) => unknown,
): { applied: InputChange[]; ignored: InputChange[] } {
  const inputs = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort();
  const applied: InputChange[] = [];
  const ignoredInputs: InputChange[] = [];
  for (const input of inputs) {
    const old = normaliseBefore(before.inputs[input]);
    const next = normaliseAfter(after.inputs[input]);
    if (canonical(old) === canonical(next)) continue;
    (isIgnored(input, after.ignoreChanges) ? ignoredInputs : applied).push({
      input,
      old,
      new: next,
      forcesReplacement: forcesReplacement(after.type, input),
      warning: updateWarning(after.type, input),
    });
  }
  return { applied, ignored: ignoredInputs };
}

/** `urn:...::lappsgrid:jetstream:Instance::lappsgrid-galaxy` -> `lappsgrid-galaxy`. */
function ownerName(parentUrn: string): string | undefined {
  if (parentUrn === "" || parentUrn.includes("::pulumi:pulumi:Stack::")) return undefined;
  return parentUrn.slice(parentUrn.lastIndexOf("::") + 2) || undefined;
}

function change(kind: ChangeKind, resource: PlannedResource, inputs: InputChange[] = []): ResourceChange {
  return {
    kind,
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    custom: resource.custom,
    inputs,
    protect: resource.protect,
    retainOnDelete: resource.retainOnDelete,
    importId: kind === "create" ? resource.importId : undefined,
    blocked: resource.protect && (kind === "delete" || kind === "replace"),
  };
}

/** The changes from `base` (undefined: no stack file at the base) to `head`. */
export function diffEvaluations(base: Evaluation | undefined, head: Evaluation): ResourceDiff {
  const before = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
  const after = new Map(head.resources.map((r) => [r.urn, r]));
  const normaliseBefore = makeNormaliser(base ? mockMeanings(base) : new Map());
  const normaliseAfter = makeNormaliser(mockMeanings(head));
  const changes: ResourceChange[] = [];
  const ignoredChanges: IgnoredChange[] = [];
  let unchanged = 0;
  for (const [urn, old] of before) {
    if (!after.has(urn)) changes.push(change("delete", old));
  }
  for (const [urn, resource] of after) {
    const old = before.get(urn);
    if (!old) {
      changes.push(change("create", resource));
      continue;
    }
    // Components have no cloud object to update; their children carry the changes.
    if (!resource.custom) {
      unchanged++;
      continue;
    }
    const { applied: inputs, ignored } = changedInputs(old, resource, normaliseBefore, normaliseAfter);
    if (ignored.length > 0) {
      const owner = ownerName(resource.parent);
      ignoredChanges.push({
        urn,
        type: resource.type,
        name: resource.name,
        ...(owner === undefined ? {} : { owner }),
        inputs: ignored,
      });
    }
    if (inputs.length === 0) {
      unchanged++;
      continue;
    }
    const kind = inputs.some((input) => input.forcesReplacement) ? "replace" : "update";
    // The state's protect flag stops a replacement even when the program drops it.
    const protect = old.protect || resource.protect;
    changes.push({ ...change(kind, resource, inputs), protect, blocked: kind === "replace" && protect });
  }
  changes.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.urn.localeCompare(b.urn));
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const item of changes) counts[item.kind]++;
  ignoredChanges.sort((a, b) => a.urn.localeCompare(b.urn));
  return {
    stack: head.stack,
    baseExists: base !== undefined,
    changes,
    ignored: ignoredChanges,
    counts,
    unchanged,
    refusals: cloudRefusals(changes, base, head),
  };
}

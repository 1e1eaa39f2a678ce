/**
 * What a drift finding is, and the names an operator knows resources by: shared by the
 * explanation of refreshed resources (explain.ts) and of servers the refresh could not read
 * (unreadable.ts).
 */
import type { StepEventStateMetadata } from "@pulumi/pulumi/automation";
import { INSTANCE_PREFIX } from "../../config/defaults";

export const INSTANCE = "openstack:compute/instance:Instance";
const INSTANCE_COMPONENT = "lappsgrid:jetstream:Instance";

export type DriftKind = "power-state" | "unreadable" | "floating-ip-detached" | "deleted" | "changed";

export interface PropertyDrift {
  property: string;
  /** As the state recorded it at the last `pulumi up`, which matched the stack file then. */
  recorded: unknown;
  /** As the cloud has it now. */
  cloud: unknown;
}

export interface DriftFinding {
  urn: string;
  type: string;
  /** The name an operator knows: the server's name, or the instance a child belongs to. */
  name: string;
  kind: DriftKind;
  what: string;
  /** Commands or edits that resolve it, most likely first. */
  remedies: string[];
  properties: PropertyDrift[];
}

function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

export function operatorName(old: StepEventStateMetadata): string {
  if (old.parent?.includes(`${INSTANCE_COMPONENT}::`)) return urnName(old.parent);
  const name = old.outputs?.name;
  return typeof name === "string" && name !== "" ? name : urnName(old.urn);
}

/** `lappsgrid-galaxy` -> `galaxy`, the form the verbs take. */
export function verbName(name: string): string {
  return name.startsWith(INSTANCE_PREFIX) ? name.slice(INSTANCE_PREFIX.length) : name;
}

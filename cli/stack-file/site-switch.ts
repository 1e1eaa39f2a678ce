/**
 * The site switched away from the server it forwarded to, while that server goes down in the
 * same `pulumi up`: the proxy command waits for its new target only, so nothing orders the old
 * one's shelve, stop or deletion after the switch. Read from two versions of the stack file (what
 * was applied, what will be); the editing verbs refuse such a pair, `jetstream diff` reports it.
 */
import type { StackConfig } from "../../config";
import type { InstanceState } from "../../config/defaults";
import { targetedAddress } from "./other-stacks";

/**
 * The instance of this stack the site forwards to, when it is online: named, or written as the
 * instance's own public address (other-stacks.ts, targetedAddress).
 */
function onlineTarget(config: StackConfig): string | undefined {
  const target = config.proxy?.target;
  if (config.proxy?.mode !== "online" || target === undefined) return undefined;
  if (target.kind === "instance") return target.name;
  return config.instances.find((instance) => targetedAddress(target, instance) !== undefined)?.name;
}

const NO_PROXY = "(no proxy block)";

/** `proxy.target galaxy -> web`: how the site changes between two versions of the file. */
export function siteChange(from: StackConfig, to: StackConfig): string {
  const shown = (config: StackConfig): string => {
    const target = config.proxy?.target;
    if (target === undefined) return "(none)";
    if (target.kind === "address") return target.address;
    if (target.kind === "stack") return `${target.stack}/${target.name}`;
    return config.instances.find((instance) => instance.name === target.name)?.key ?? target.name;
  };
  if (from.proxy === undefined || to.proxy === undefined) {
    const mode = (config: StackConfig) => config.proxy?.mode ?? NO_PROXY;
    return mode(from) === mode(to) ? "" : `proxy ${mode(from)} -> ${mode(to)}`;
  }
  const changes: string[] = [];
  if (from.proxy?.mode !== to.proxy?.mode)
    changes.push(`proxy.mode ${from.proxy?.mode} -> ${to.proxy?.mode}`);
  if (shown(from) !== shown(to)) changes.push(`proxy.target ${shown(from)} -> ${shown(to)}`);
  return changes.join(", ");
}

export interface LeftTargetDown {
  /** The instance's key in the stack file, and its name (`lappsgrid-galaxy`). */
  key: string;
  name: string;
  /** What happens to it in the same `pulumi up`. */
  down: "deleted" | Exclude<InstanceState, "active">;
  domain?: string;
}

/** The verb that takes an instance down so, for the two-step fix. */
const VERB: Record<LeftTargetDown["down"], string> = {
  deleted: "delete",
  shelved: "suspend",
  stopped: "stop",
};

export function downVerb(problem: LeftTargetDown): string {
  return VERB[problem.down];
}

/** The server the applied site forwards to, stopped, shelved or deleted while the site switches away from it. */
export function leftTargetDown(applied: StackConfig, after: StackConfig): LeftTargetDown | undefined {
  const left = onlineTarget(applied);
  if (left === undefined || onlineTarget(after) === left) return undefined;
  const key = applied.instances.find((instance) => instance.name === left)?.key ?? left;
  const now = after.instances.find((instance) => instance.name === left);
  if (now?.state === "active") return undefined;
  const domain = after.proxy?.domain ?? applied.proxy?.domain;
  return { key, name: left, down: now?.state ?? "deleted", domain };
}

/** What may happen to the site: it is not ordered after the switch. */
function consequence(problem: LeftTargetDown): string {
  return problem.down === "deleted"
    ? `nothing orders the deletion after the switch, so ${problem.domain} may forward to a server that is gone`
    : `nothing orders the power change after the switch, so ${problem.domain} may forward to a server that is down`;
}

/** `instances.galaxy: shelved while the site switches away from it: ...`, for the editing verbs. */
export function targetDownError(problem: LeftTargetDown): string {
  return `instances.${problem.key}: ${problem.down} while the site switches away from it: ${consequence(problem)}`;
}

/**
 * For `jetstream diff`, which sees both changes in one: the pair as one error, the site's change
 * named, and the two steps that order it.
 */
export function siteSwitchError(
  applied: StackConfig,
  after: StackConfig,
): { instance: string; message: string } | undefined {
  const problem = leftTargetDown(applied, after);
  if (problem === undefined) return undefined;
  const steps = `take two steps: the switch first and \`pulumi up\`, then \`jetstream ${downVerb(problem)} ${problem.name}\` and \`pulumi up\``;
  return {
    instance: problem.name,
    message: `instances.${problem.key}: ${problem.down} while the site switches away from it (${siteChange(applied, after)}): ${consequence(problem)}; ${steps}`,
  };
}

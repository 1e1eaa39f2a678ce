/**
 * Another stack's site switch not committed yet, seen from a verb that takes an instance of
 * this stack down. IU's proxy may forward to `tacc/worker`; HEAD holds what was applied. When
 * IU's file moves the site off the worker but that change is not applied yet, nothing orders
 * the two stacks' `pulumi up`s: TACC's first shelves (or deletes) the worker while IU's live
 * site still forwards to it. Each change is right on its own, so the verb goes ahead and the
 * warning gives the order. (Within one stack the pair is refused: unapplied-change.ts.)
 */

import { normaliseInstanceName, type StackConfig } from "../../config";
import type { InstanceConfig } from "../../config/types";
import { DEFAULT_BASE, stackFileTextAt } from "../diff/at-ref";
import { isProgrammingError } from "../error-report";
import { type OtherStack, targetedAddress } from "./other-stacks";
import { siteChange } from "./site-switch";
import { currentConfig, type StackText, stackText } from "./text";

/** Whether the stack's site is online to `server` of `stack`, by name or by its `ip:`. */
function forwardsTo(
  config: StackConfig,
  stack: string,
  server: string,
  instance: InstanceConfig | undefined,
): boolean {
  const proxy = config.proxy;
  if (proxy?.mode !== "online") return false;
  const target = proxy.target;
  if (target?.kind === "stack") return target.stack === stack && target.name === server;
  return targetedAddress(target, instance) !== undefined;
}

/** The other stack as HEAD holds it; undefined outside git, without the file there, or invalid there. */
function appliedConfig(projectDir: string, other: OtherStack): StackConfig | undefined {
  // A link git cannot follow there is as good as no file: the warning is a courtesy, not a guard.
  const applied = stackFileTextAt(projectDir, other.stack, DEFAULT_BASE);
  if (applied === undefined || !("text" in applied)) return undefined;
  try {
    return currentConfig(stackText(other.stack, applied.text));
  } catch (error) {
    if (isProgrammingError(error)) throw error;
    return undefined;
  }
}

/**
 * Warnings for taking NAME of `file`'s stack down (`down`: stopped or shelved; `gone`: deleted)
 * while another stack's uncommitted change moves its applied site off NAME.
 */
export function otherStackSwitchWarnings(options: {
  projectDir: string;
  file: StackText;
  name: string;
  outcome: "down" | "gone";
  others: OtherStack[];
}): string[] {
  const { projectDir, file, outcome } = options;
  const server = normaliseInstanceName(options.name);
  const instance = currentConfig(file).instances.find((entry) => entry.name === server);
  const label = instance?.key ?? server;
  const warnings: string[] = [];
  for (const other of options.others) {
    // An unreadable file is warned about already (the guard cannot see its proxy).
    if (other.config === undefined || forwardsTo(other.config, file.stack, server, instance)) continue;
    const applied = appliedConfig(projectDir, other);
    if (applied === undefined || !forwardsTo(applied, file.stack, server, instance)) continue;
    const target = applied.proxy?.target;
    const where =
      target?.kind === "address" ? `${target.address} (${label}'s ip:)` : `${file.stack}/${server}`;
    warnings.push(
      `${label}: ${other.fileName} has a change not committed yet (${siteChange(applied, other.config)}) that moves ${applied.proxy?.domain} off ${where}, which the site forwards to as ${DEFAULT_BASE} holds it; apply it first (\`pulumi up --stack ${other.stack}\`, or merge it and let the pipeline apply it), then \`pulumi up --stack ${file.stack}\`: the other way round, the site forwards to a server that is ${outcome} until stack ${other.stack}'s update`,
    );
  }
  return warnings;
}

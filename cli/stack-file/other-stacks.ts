/**
 * The project's other stacks, as the cross-stack guards see them. A proxy in one stack may
 * serve `<stack>/<instance>` of another, and the clouds' public addresses are one pool of
 * names: a guard that cannot read another stack's file says so, it never takes that stack for
 * one with nothing to guard.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type StackConfig, splitStackConfig, validateStackConfig } from "../../config";
import type { InstanceConfig, ProxyTarget } from "../../config/types";
import { firstProblem, isProgrammingError } from "../error-report";

export interface OtherStack {
  stack: string;
  fileName: string;
  /** The validated stack; undefined when its file cannot be read or is not valid. */
  config?: StackConfig;
  /** Why `config` is undefined: the file's first problem, as `plan` would name it. */
  problem?: string;
}

/** Every stack file of the project but `stack`'s (`Pulumi.<stack>.yaml` or `.yml`). */
export function otherStacks(projectDir: string, stack: string): OtherStack[] {
  return projectStacks(projectDir).filter((other) => other.stack !== stack);
}

/** Every stack file of the project, each validated or with its first problem. */
export function projectStacks(projectDir: string): OtherStack[] {
  const stacks: OtherStack[] = [];
  for (const fileName of readdirNames(projectDir)) {
    const other = /^Pulumi\.(.+)\.ya?ml$/.exec(fileName)?.[1];
    if (other === undefined) continue;
    try {
      const text = readFileSync(join(projectDir, fileName), "utf8");
      stacks.push({
        stack: other,
        fileName,
        config: validateStackConfig(splitStackConfig(text, fileName).project, other),
      });
    } catch (error) {
      if (isProgrammingError(error)) throw error;
      // Unreadable, not YAML or not valid: the guard names the first problem, `plan` all of them.
      stacks.push({ stack: other, fileName, problem: firstProblem(error as Error, fileName) });
    }
  }
  return stacks;
}

function readdirNames(projectDir: string): string[] {
  return readdirSync(projectDir).sort();
}

/** `Pulumi.iu.yaml is not valid as it is (its first problem)`: what a guard could not read. */
export function notValidAsItIs(other: OtherStack): string {
  const why = other.problem === undefined ? "" : ` (${other.problem})`;
  return `${other.fileName} is not valid as it is${why}`;
}

/**
 * A proxy verb run on a stack without a proxy block: the operator almost always meant the
 * stack that has one (the public proxy lives in one stack), so name it.
 */
export function noProxyBlock(fileName: string, others: OtherStack[]): string {
  const missing = `${fileName} has no proxy (no lappsgrid-jetstream:proxy block)`;
  const holders = others.filter((other) => other.config?.proxy !== undefined).map((other) => other.stack);
  if (holders.length === 0) {
    return `${missing}, and no other stack has one; allowed: add a lappsgrid-jetstream:proxy block to the stack whose instance has role: proxy`;
  }
  const pass = holders.map((stack) => `--stack ${stack}`).join(" or ");
  return `${missing}; the public proxy lives in stack ${holders.join(", ")}: pass ${pass}`;
}

/** Why a guard could not look at `other`: to be refused on (delete) or warned about (suspend). */
export function unreadableGuard(other: OtherStack, stack: string, instance: string): string {
  return `${notValidAsItIs(other)}, so whether its proxy serves ${stack}/${instance} cannot be checked`;
}

/** Whether `other`'s proxy names `stack`'s `instance` as its target. */
export function servesInstance(other: OtherStack, stack: string, instance: string): boolean {
  const target = other.config?.proxy?.target;
  return target?.kind === "stack" && target.stack === stack && target.name === instance;
}

/**
 * The instance's `ip:` when a proxy target written as an address is it: the site forwards to
 * that floating IP, so it fails while the server is down and points at nothing once it is gone.
 */
export function targetedAddress(
  target: ProxyTarget | undefined,
  instance: InstanceConfig | undefined,
): string | undefined {
  const address = instance?.ip.kind === "adopt" ? instance.ip.address : undefined;
  return target?.kind === "address" && target.address === address ? address : undefined;
}

/** `address` as another stack's fixed public address: `lappsgrid-proxy in Pulumi.iu.yaml`. */
export function addressOwner(others: OtherStack[], address: string): string | undefined {
  for (const other of others) {
    const owner = other.config?.instances.find((i) => i.ip.kind === "adopt" && i.ip.address === address);
    if (owner !== undefined) return `${owner.name} in ${other.fileName}`;
  }
  return undefined;
}

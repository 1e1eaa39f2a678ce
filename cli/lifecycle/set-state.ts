/**
 * suspend / resume / stop / start: one `state:` line of one instance. The old script's
 * "suspend" becomes a shelve: the provider cannot reach nova's suspend, and a shelved server
 * costs no service units (its memory is not kept; it boots again on resume).
 */
import { DEFAULT_STATE, type InstanceState, normaliseInstanceName } from "../../config";
import type { InstanceConfig } from "../../config/types";
import { addEntry, setScalar } from "../stack-file/edit";
import {
  type OtherStack,
  servesInstance,
  targetedAddress,
  unreadableGuard,
} from "../stack-file/other-stacks";
import {
  currentConfig,
  findInstanceKey,
  instancePath,
  rawInstances,
  type StackEdit,
  type StackText,
  VerbRefusal,
} from "../stack-file/text";

export type LifecycleVerb = "suspend" | "resume" | "stop" | "start";

export const LIFECYCLE_STATE: Record<LifecycleVerb, InstanceState> = {
  suspend: "shelved",
  resume: "active",
  stop: "stopped",
  start: "active",
};

/**
 * Sets the instance's state with the smallest change: an existing `state:` line gets its new
 * value (so `active` is written, not the line removed: the key and any comment on it stay put,
 * and the next suspend is again a one-word change); a missing one is added, except for
 * `active`, which a missing `state:` already means.
 */
export function setInstanceState(
  file: StackText,
  name: string,
  state: InstanceState,
  others: OtherStack[] = [],
): StackEdit {
  const key = findInstanceKey(file, name);
  const raw = rawInstances(file)[key] ?? {};
  const current = (raw.state as InstanceState | undefined) ?? DEFAULT_STATE;
  // Shown as written ("123", not lappsgrid-123); looked up in proxies by the server's name.
  const label = key;
  const server = normaliseInstanceName(key);
  if (current === state)
    return { text: file.text, summary: `${label} is already ${state}; nothing to change` };
  // The provider would call nova's stop on a SHELVED_OFFLOADED server, which nova refuses.
  if (current === "shelved" && state === "stopped") {
    const stack = `--stack ${file.stack}`;
    throw new VerbRefusal(
      `${label} is shelved, and nova refuses to stop a shelved server (409 "Cannot 'stop' instance ... while it is in vm_state shelved_offloaded"); take two steps: \`jetstream resume ${label} ${stack}\` and \`pulumi up\`, then \`jetstream stop ${label} ${stack}\` and \`pulumi up\``,
    );
  }
  const path = instancePath(key);
  const text =
    raw.state === undefined
      ? addEntry(file.text, path, "state", state)
      : setScalar(file.text, [...path, "state"], state);
  // Only a verb that takes the server down reads the whole stack: `resume` may be what makes a
  // file whose online target was shelved by hand valid again.
  const instance = state === "active" ? undefined : currentConfig(file).instances.find((i) => i.key === key);
  const warnings = [
    siteWarning(file, server, label, state, instance),
    ...remoteWarnings(file.stack, server, label, state, others, instance),
  ];
  return {
    text,
    summary: `${label}: state ${current} -> ${state}`,
    warnings: warnings.filter((warning) => warning !== ""),
  };
}

/** Allowed, but the operator should know the public site goes down with it. */
function siteWarning(
  file: StackText,
  server: string,
  label: string,
  state: InstanceState,
  instance: InstanceConfig | undefined,
): string {
  if (state === "active") return "";
  const proxy = currentConfig(file).proxy;
  if (proxy === undefined || proxy.mode !== "online") return "";
  if (proxy.host.kind === "instance" && proxy.host.name === server) {
    return `${label} is the proxy host: ${proxy.domain} is down until it is active again`;
  }
  if (proxy.target?.kind === "instance" && proxy.target.name === server) {
    return `${label} is the proxy target: ${proxy.domain} fails until it is active again; \`jetstream offline --stack ${file.stack}\` shows the offline page meanwhile`;
  }
  const address = targetedAddress(proxy.target, instance);
  if (address !== undefined) {
    return `${label} is the proxy target (proxy.target ${address}, its ip:): ${proxy.domain} fails until it is active again; \`jetstream offline --stack ${file.stack}\` shows the offline page meanwhile`;
  }
  return "";
}

/** Another stack's online proxy may serve this instance as `<stack>/<instance>`. */
function remoteWarnings(
  stack: string,
  server: string,
  label: string,
  state: InstanceState,
  others: OtherStack[],
  instance: InstanceConfig | undefined,
): string[] {
  if (state === "active") return [];
  return others.map((other) => {
    if (other.config === undefined) {
      return `${unreadableGuard(other, stack, server)} (\`jetstream plan --stack ${other.stack}\`)`;
    }
    const proxy = other.config.proxy;
    if (proxy?.mode !== "online") return "";
    const address = targetedAddress(proxy.target, instance);
    if (address !== undefined) {
      return `${label} is the proxy target of ${proxy.domain} (${other.fileName}: proxy.target ${address}, its ip:): the site fails until it is active again; \`jetstream offline --stack ${other.stack}\` shows the offline page meanwhile`;
    }
    if (!servesInstance(other, stack, server)) return "";
    return `${label} is the proxy target of ${proxy.domain} (${other.fileName}: proxy.target ${stack}/${server}): the site fails until it is active again; \`jetstream offline --stack ${other.stack}\` shows the offline page meanwhile`;
  });
}

/**
 * proxy / online / offline: the `proxy` block. Only the values change; whether a target is
 * valid (an instance of this stack, <stack>/<instance>, an IPv4 address or a host name) is
 * the config module's call when the edit is validated. The config module sees one file, so
 * whether <stack>/<instance> names an instance of that other stack is checked here, against
 * that stack's file.
 */
import {
  listStacks,
  normaliseInstanceName,
  type ProxyTarget,
  readStackFile,
  validateStackConfig,
} from "../../config";
import { addEntry, setScalar } from "../stack-edit";
import {
  PROXY_PATH,
  projectConfig,
  rawInstances,
  type StackEdit,
  type StackText,
  VerbRefusal,
} from "./stack-text";

function rawProxy(file: StackText): Record<string, unknown> {
  const proxy = projectConfig(file).proxy;
  if (proxy === undefined || proxy === null || typeof proxy !== "object") {
    throw new VerbRefusal(
      `${file.fileName} has no proxy (no lappsgrid-jetstream:proxy block); the public proxy lives in another stack: pass --stack`,
    );
  }
  return proxy as Record<string, unknown>;
}

/** Sets or adds one key of the proxy block; returns the text unchanged when it already holds the value. */
function setProxyValue(
  text: string,
  proxy: Record<string, unknown>,
  key: string,
  value: string | number,
): string {
  if (proxy[key] === value) return text;
  return proxy[key] === undefined
    ? addEntry(text, PROXY_PATH, key, value)
    : setScalar(text, [...PROXY_PATH, key], value);
}

/** A local instance is written under its normalised name, as `instances` keys are. */
function targetAsWritten(file: StackText, target: string): string {
  const local = normaliseInstanceName(target);
  const isLocal = Object.keys(rawInstances(file)).some((key) => normaliseInstanceName(key) === local);
  return isLocal ? local : target;
}

export function switchProxy(file: StackText, target: string, port?: string): StackEdit {
  const proxy = rawProxy(file);
  const written = targetAsWritten(file, target);
  let text = setProxyValue(file.text, proxy, "target", written);
  const parts = proxy.target === written ? [] : [`target ${String(proxy.target ?? "(none)")} -> ${written}`];
  if (port !== undefined) {
    // Digits become a number; anything else is written as given for the config module to refuse.
    const value = /^\d+$/.test(port) ? Number(port) : port;
    text = setProxyValue(text, proxy, "port", value);
    if (proxy.port !== value) parts.push(`port ${String(proxy.port ?? "(default)")} -> ${port}`);
  }
  if (text === file.text) return { text, summary: `proxy already points at ${written}; nothing to change` };
  return { text, summary: `proxy: ${parts.join(", ")}` };
}

export function setProxyMode(file: StackText, mode: "online" | "offline"): StackEdit {
  const proxy = rawProxy(file);
  const current = (proxy.mode as string | undefined) ?? "online";
  if (current === mode) return { text: file.text, summary: `proxy is already ${mode}; nothing to change` };
  return {
    text: setProxyValue(file.text, proxy, "mode", mode),
    summary: `proxy: mode ${current} -> ${mode}`,
  };
}

/**
 * Why a `<stack>/<instance>` target cannot be served, from the other stack's file; undefined
 * when it can (or the target is not in another stack). Without this the program fails only
 * when the proxy looks the address up in that stack's outputs.
 */
export function crossStackTargetProblem(
  projectDir: string,
  stack: string,
  target: ProxyTarget | undefined,
): string | undefined {
  if (target?.kind !== "stack") return undefined;
  const written = `${target.stack}/${target.name}`;
  if (target.stack === stack) {
    return `proxy.target: ${written} is an instance of this stack; allowed: its name alone (${target.name})`;
  }
  const others = listStacks(projectDir).filter((other) => other !== stack);
  if (!others.includes(target.stack)) {
    return `proxy.target: no stack "${target.stack}" (no Pulumi.${target.stack}.yaml); allowed: ${others.join(", ") || "none"}`;
  }
  let known: string[];
  try {
    known = validateStackConfig(readStackFile(projectDir, target.stack).project, target.stack).instances.map(
      (instance) => instance.name,
    );
  } catch {
    // Bad YAML or bad values: its own verbs and `plan` say which.
    return `proxy.target: Pulumi.${target.stack}.yaml is not valid as it is, so ${written} cannot be looked up; fix it first (\`jetstream plan --stack ${target.stack}\`)`;
  }
  if (known.includes(target.name)) return undefined;
  return `proxy.target: ${written} is not an instance of stack ${target.stack} (known: ${known.join(", ") || "none"})`;
}

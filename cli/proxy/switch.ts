/**
 * proxy / online / offline: the `proxy` block. Only the values change; whether a target is
 * valid (an instance of this stack, <stack>/<instance>, an IPv4 address or a host name) is
 * the config module's call when the edit is validated; whether <stack>/<instance> names an
 * instance of that other stack is the edit flow's (stack-file/cross-stack-target.ts).
 */
import { DEFAULT_PROXY, normaliseInstanceName } from "../../config";
import { offlineUntilPassedProblem } from "../../config/proxy-settings";
import { TARGET_ALLOWED } from "../../config/resolve-proxy";
import { addEntry, setScalar } from "../stack-file/edit";
import { noProxyBlock, type OtherStack } from "../stack-file/other-stacks";
import {
  PROXY_PATH,
  projectConfig,
  rawInstances,
  type StackEdit,
  type StackText,
  VerbRefusal,
} from "../stack-file/text";

function rawProxy(file: StackText, others: OtherStack[]): Record<string, unknown> {
  const proxy = projectConfig(file).proxy;
  if (proxy === undefined || proxy === null || typeof proxy !== "object") {
    throw new VerbRefusal(noProxyBlock(file.fileName, others));
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

/**
 * The site fails while its target is shelved or stopped: allowed (the operator may be about to
 * resume it), but said. Empty when the target runs, is an address, or the proxy is offline.
 */
function targetStateWarning(file: StackText, written: string, mode: unknown, others: OtherStack[]): string {
  if ((mode ?? DEFAULT_PROXY.mode) !== "online") return "";
  const remote = /^([^/]+)\/(.+)$/.exec(written);
  let state: unknown;
  const name = normaliseInstanceName(remote?.[2] ?? written);
  let stack = file.stack;
  if (remote) {
    stack = remote[1];
    state = others
      .find((other) => other.stack === stack)
      ?.config?.instances.find((i) => i.name === name)?.state;
  } else {
    const key = Object.keys(rawInstances(file)).find((k) => normaliseInstanceName(k) === name);
    if (key === undefined) return "";
    state = rawInstances(file)[key]?.state;
  }
  if (state !== "shelved" && state !== "stopped") return "";
  const verb = state === "shelved" ? "resume" : "start";
  const domain = (projectConfig(file).proxy as Record<string, unknown>).domain ?? DEFAULT_PROXY.domain;
  const shown = remote ? `${stack}/${name}` : name;
  return `${shown} is ${state}: ${String(domain)} fails until it runs again (\`jetstream ${verb} ${name} --stack ${stack}\`)`;
}

/**
 * An online site whose target in this stack is shelved or stopped is refused by the config
 * module, which names the instance's state and every way out. A verb that brings the site
 * online (or points it at the instance) has one: bring the instance back first.
 */
function refuseDownTarget(
  file: StackText,
  written: string,
  refused: { verb: "proxy" | "online"; what: string; besides?: string; rerun: string },
): void {
  const key = Object.keys(rawInstances(file)).find(
    (candidate) => normaliseInstanceName(candidate) === normaliseInstanceName(written),
  );
  const state = key === undefined ? undefined : rawInstances(file)[key]?.state;
  if (state !== "shelved" && state !== "stopped") return;
  const verb = state === "shelved" ? "resume" : "start";
  const stack = `--stack ${file.stack}`;
  throw new VerbRefusal(
    `${refused.verb}: ${refused.what} is ${state}${refused.besides ?? ""}: the site would forward to a server that is down; first ${verb} it (\`jetstream ${verb} ${key} ${stack}\`, then \`pulumi up\`), then run \`jetstream ${refused.rerun} ${stack}\``,
  );
}

const PORT_ALLOWED = "allowed: an integer from 1 to 65535";

/** Decimal digits naming a TCP port: 0x1F90 or 8080.0 is a number to YAML, not as written here. */
function isPort(written: string): boolean {
  return /^\d{1,5}$/.test(written) && Number(written) >= 1 && Number(written) <= 65535;
}

export function switchProxy(
  file: StackText,
  target: string,
  port?: string,
  others: OtherStack[] = [],
): StackEdit {
  // `proxy "$TARGET" "$PORT"` with either unset: the argument is to blame, not the key it fills.
  const unset = "an empty value (an unset shell variable?)";
  if (target === "") throw new VerbRefusal(`proxy TARGET: ${unset}; ${TARGET_ALLOWED}`);
  if (port === "") throw new VerbRefusal(`proxy PORT: ${unset}; ${PORT_ALLOWED}`);
  // Refused here, as written: the stack file would hold 99999999999999999999 as 1e20.
  if (port !== undefined && !isPort(port)) {
    const shown = /^\d+$/.test(port) ? port : JSON.stringify(port);
    throw new VerbRefusal(`proxy PORT: ${shown} is not a port; ${PORT_ALLOWED}`);
  }
  const proxy = rawProxy(file, others);
  const written = targetAsWritten(file, target);
  if ((proxy.mode ?? DEFAULT_PROXY.mode) === "online") {
    refuseDownTarget(file, written, {
      verb: "proxy",
      what: written,
      besides: " and proxy.mode is online",
      rerun: `proxy ${written}${port === undefined ? "" : ` ${port}`}`,
    });
  }
  let text = setProxyValue(file.text, proxy, "target", written);
  const parts = proxy.target === written ? [] : [`target ${String(proxy.target ?? "(none)")} -> ${written}`];
  // No PORT means the default (Galaxy's 8080), as the old script and `--help` have it: the port a
  // previous target needed is not this one's. A file without the key already has the default.
  if (port !== undefined || proxy.port !== undefined) {
    const given = port ?? String(DEFAULT_PROXY.port);
    const value = Number(given);
    text = setProxyValue(text, proxy, "port", value);
    // The number as the file holds it: `09000` is written as 9000.
    if (proxy.port !== value) parts.push(`port ${String(proxy.port ?? "(default)")} -> ${value}`);
  }
  if (text === file.text) return { text, summary: `proxy already points at ${written}; nothing to change` };
  return {
    text,
    summary: `proxy: ${parts.join(", ")}`,
    warnings: [targetStateWarning(file, written, proxy.mode, others)].filter((warning) => warning !== ""),
  };
}

export function setProxyMode(
  file: StackText,
  mode: "online" | "offline",
  others: OtherStack[] = [],
): StackEdit {
  const proxy = rawProxy(file, others);
  const current = (proxy.mode as string | undefined) ?? DEFAULT_PROXY.mode;
  // The offline page shows offlineUntil as when the site is expected back: never a time gone by.
  const untilPassed =
    mode === "offline" && typeof proxy.offlineUntil === "string"
      ? offlineUntilPassedProblem(proxy.offlineUntil, new Date())
      : undefined;
  if (current === mode) {
    const summary = `proxy is already ${mode}; nothing to change`;
    return { text: file.text, summary, warnings: untilPassed === undefined ? [] : [untilPassed] };
  }
  if (untilPassed !== undefined)
    throw new VerbRefusal(`offline: ${untilPassed} (edit it in ${file.fileName})`);
  if (mode === "online" && typeof proxy.target === "string") {
    refuseDownTarget(file, proxy.target, {
      verb: "online",
      what: `proxy.target ${proxy.target}`,
      rerun: "online",
    });
  }
  const warning =
    typeof proxy.target === "string" ? targetStateWarning(file, proxy.target, mode, others) : "";
  return {
    text: setProxyValue(file.text, proxy, "mode", mode),
    summary: `proxy: mode ${current} -> ${mode}`,
    warnings: warning === "" ? [] : [warning],
  };
}

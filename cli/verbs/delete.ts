/**
 * delete: removes an instance's entry. Refuses what would take jetstream.lappsgrid.org down:
 * the proxy host itself, and the proxy's target while the site is online.
 */
import { readFileSync } from "node:fs";
import {
  listStacks,
  normaliseInstanceName,
  type ProxyConfig,
  StackConfigError,
  stackFilePath,
  validateStackConfig,
} from "../../config";
import { removeEntry } from "../stack-edit";
import {
  currentConfig,
  findInstanceKey,
  INSTANCES_PATH,
  PROXY_PATH,
  projectConfig,
  type StackEdit,
  type StackText,
  stackText,
  VerbRefusal,
} from "./stack-text";

/** The project's other stack files: a proxy there may target `<this stack>/<instance>`. */
export function otherStacks(projectDir: string, stack: string): StackText[] {
  return listStacks(projectDir)
    .filter((other) => other !== stack)
    .map((other) => stackText(other, readFileSync(stackFilePath(projectDir, other), "utf8")));
}

function proxyOf(file: StackText): ProxyConfig | undefined {
  try {
    return validateStackConfig(projectConfig(file), file.stack).proxy;
  } catch (error) {
    // Another stack's broken file is its own problem, reported by its own verbs and plan.
    if (error instanceof StackConfigError) return undefined;
    throw error;
  }
}

function refuseOnlineTarget(label: string, domain: string, proxyStack: string, where: string): never {
  throw new VerbRefusal(
    `refusing to delete ${label}: it is the proxy target of ${domain}${where} while the proxy is online; first run \`jetstream offline --stack ${proxyStack}\` or \`jetstream proxy OTHER --stack ${proxyStack}\``,
  );
}

export function deleteInstance(file: StackText, name: string, others: StackText[] = []): StackEdit {
  const key = findInstanceKey(file, name);
  const label = normaliseInstanceName(key);
  const config = currentConfig(file);
  const instance = config.instances.find((i) => i.key === key);
  if (instance?.role === "proxy") {
    throw new VerbRefusal(
      `refusing to delete ${label}: it is the proxy host (role: proxy) that serves ${config.proxy?.domain ?? "the public site"}; retiring it is a hand-made, reviewed change (move role: proxy first)`,
    );
  }
  const proxy = config.proxy;
  const isTarget = proxy?.target?.kind === "instance" && proxy.target.name === label;
  if (isTarget && proxy?.mode === "online") refuseOnlineTarget(label, proxy.domain, file.stack, "");
  for (const other of others) {
    const remote = proxyOf(other);
    const target = remote?.target;
    if (
      remote?.mode === "online" &&
      target?.kind === "stack" &&
      target.stack === file.stack &&
      target.name === label
    ) {
      refuseOnlineTarget(
        label,
        remote.domain,
        other.stack,
        ` (${other.fileName}: proxy.target ${target.stack}/${target.name})`,
      );
    }
  }
  let text = removeEntry(file.text, INSTANCES_PATH, key);
  let summary = `${label}: deleted`;
  if (isTarget) {
    // Offline, the target is optional; a target naming a deleted instance would be invalid.
    const rawProxy = projectConfig(file).proxy as Record<string, unknown>;
    if (rawProxy.target !== undefined) {
      text = removeEntry(text, PROXY_PATH, "target");
      summary += `; proxy.target (${label}) removed, set a new one with \`jetstream proxy TARGET\` before going online`;
    }
  }
  return { text, summary };
}

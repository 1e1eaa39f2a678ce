/**
 * delete: removes an instance's entry. Refuses what would take jetstream.lappsgrid.org down:
 * the proxy host itself, the proxy's target while the site is online, and an instance
 * another stack's proxy names (or might: its file cannot be read).
 */
import { normaliseInstanceName } from "../../config";
import type { InstanceConfig } from "../../config/types";
import { removeEntry } from "../stack-file/edit";
import {
  type OtherStack,
  servesInstance,
  targetedAddress,
  unreadableGuard,
} from "../stack-file/other-stacks";
import {
  currentConfig,
  findInstanceKey,
  INSTANCES_PATH,
  PROXY_PATH,
  projectConfig,
  type StackEdit,
  type StackText,
  VerbRefusal,
} from "../stack-file/text";

function refuseOnlineTarget(label: string, domain: string, proxyStack: string, how = ""): never {
  throw new VerbRefusal(
    `refusing to delete ${label}: it is the proxy target of ${domain}${how} while the proxy is online; first run \`jetstream offline --stack ${proxyStack}\` or \`jetstream proxy OTHER --stack ${proxyStack}\``,
  );
}

/**
 * Another stack's proxy that names this instance fails without it: online, the site goes
 * down; offline, that stack no longer evaluates (its target must be an instance here). A file
 * that cannot be read might be such a proxy.
 */
function refuseRemoteTarget(
  stack: string,
  label: string,
  other: OtherStack,
  instance?: InstanceConfig,
): void {
  if (other.config === undefined) {
    throw new VerbRefusal(
      `refusing to delete ${label}: ${unreadableGuard(other, stack, label)}; fix it first (\`jetstream plan --stack ${other.stack}\`)`,
    );
  }
  const remote = other.config.proxy;
  const address = targetedAddress(remote?.target, instance);
  if (remote?.mode === "online" && address !== undefined) {
    // A literal address stays valid offline: only the online site is hurt.
    throw new VerbRefusal(
      `refusing to delete ${label}: it is the proxy target of ${remote.domain} (${other.fileName}: proxy.target ${address}, its ip:) while the proxy is online; first run \`jetstream proxy OTHER --stack ${other.stack}\``,
    );
  }
  if (remote === undefined || !servesInstance(other, stack, label)) return;
  const where = ` (${other.fileName}: proxy.target ${stack}/${label}`;
  if (remote.mode === "online") {
    // Going offline is not enough here: that stack's target must still name an instance of this one.
    throw new VerbRefusal(
      `refusing to delete ${label}: it is the proxy target of ${remote.domain}${where}) while the proxy is online; first run \`jetstream proxy OTHER --stack ${other.stack}\``,
    );
  }
  throw new VerbRefusal(
    `refusing to delete ${label}: it is the proxy target of ${remote.domain}${where}, offline); stack ${other.stack} would fail without it; first run \`jetstream proxy OTHER --stack ${other.stack}\``,
  );
}

export function deleteInstance(file: StackText, name: string, others: OtherStack[] = []): StackEdit {
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
  if (isTarget && proxy?.mode === "online") refuseOnlineTarget(label, proxy.domain, file.stack);
  const address = targetedAddress(proxy?.target, instance);
  if (proxy?.mode === "online" && address !== undefined) {
    refuseOnlineTarget(label, proxy.domain, file.stack, ` (proxy.target ${address}, its ip:)`);
  }
  for (const other of others) refuseRemoteTarget(file.stack, label, other, instance);
  let text = removeEntry(file.text, INSTANCES_PATH, key);
  // The key as written ("123"); the checks above compare the server's name (lappsgrid-123).
  let summary = `${key}: deleted`;
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

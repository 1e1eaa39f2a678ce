/**
 * delete: removes an instance's entry. Refuses what would take jetstream.lappsgrid.org down:
 * the proxy host itself, and the proxy's target while the site is online.
 */
import { normaliseInstanceName } from "../../config";
import { removeEntry } from "../stack-edit";
import {
  currentConfig,
  findInstanceKey,
  INSTANCES_PATH,
  PROXY_PATH,
  projectConfig,
  type StackEdit,
  type StackText,
  VerbRefusal,
} from "./stack-text";

export function deleteInstance(file: StackText, name: string): StackEdit {
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
  if (isTarget && proxy?.mode === "online") {
    throw new VerbRefusal(
      `refusing to delete ${label}: it is the proxy target of ${proxy.domain} while the proxy is online; first run \`jetstream offline --stack ${file.stack}\` or \`jetstream proxy OTHER --stack ${file.stack}\``,
    );
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

/**
 * launch: a new entry under `instances`, keyed by the normalised name (`lappsgrid-NAME`), with
 * only what the operator chose plus the size and image, written out so a reviewer sees them.
 */
import {
  DEFAULT_IMAGE,
  DEFAULT_SIZE,
  INSTANCE_NAME_ALLOWED,
  isInstanceName,
  normaliseInstanceName,
} from "../../config";
import { addEntry, type EntryValue } from "../stack-file/edit";
import {
  INSTANCES_PATH,
  rawInstances,
  type StackEdit,
  type StackText,
  VerbRefusal,
} from "../stack-file/text";

export interface LaunchRequest {
  name: string;
  size?: string;
  image?: string;
  /** `assign` or an address allocated earlier. */
  ip?: string;
}

export function launchInstance(file: StackText, request: LaunchRequest): StackEdit {
  if (!isInstanceName(request.name)) {
    // `launch $NAME` with NAME unset arrives as "": it would make a server called lappsgrid-.
    const shown =
      request.name === "" ? "an empty name (an unset shell variable?)" : JSON.stringify(request.name);
    throw new VerbRefusal(`launch NAME: ${shown} is not an instance name; ${INSTANCE_NAME_ALLOWED}`);
  }
  const key = normaliseInstanceName(request.name);
  const existing = Object.keys(rawInstances(file)).find((k) => normaliseInstanceName(k) === key);
  if (existing !== undefined) {
    throw new VerbRefusal(
      `instance ${key} already exists in ${file.fileName}; pick another name, or use suspend/resume/stop/start on it`,
    );
  }
  const entry: Record<string, EntryValue> = {
    size: request.size ?? DEFAULT_SIZE,
    image: request.image ?? DEFAULT_IMAGE,
  };
  if (request.ip !== undefined) entry.ip = request.ip;
  const details = Object.entries(entry)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
  return { text: addEntry(file.text, INSTANCES_PATH, key, entry), summary: `${key}: launched (${details})` };
}

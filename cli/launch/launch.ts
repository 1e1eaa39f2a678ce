/**
 * launch: a new entry under `instances`, keyed by the normalised name (`lappsgrid-NAME`), with
 * only what the operator chose plus the size and image, written out so a reviewer sees them.
 */
import {
  badInstanceName,
  DEFAULT_IMAGE,
  DEFAULT_SIZE,
  INSTANCE_NAME_ALLOWED,
  isInstanceName,
  normaliseInstanceName,
  SIZE_NAMES,
} from "../../config";
import { addEntry, type EntryValue } from "../stack-file/edit";
import {
  currentConfig,
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

const FLOATING_IP_ALLOWED = "allowed: assign, or a public address allocated earlier in this cloud";

/**
 * `--ip "$IP"` with IP unset arrives as "": refused as the option the operator typed, not as the
 * key it would become in the file.
 */
function refuseEmptyOptions(file: StackText, request: LaunchRequest): void {
  const allowed: [string, string | undefined, () => string][] = [
    ["--ip", request.ip, () => FLOATING_IP_ALLOWED],
    ["--size", request.size, () => `allowed: ${SIZE_NAMES.join(", ")}`],
    [
      "--image",
      request.image,
      () =>
        `allowed: an image alias of this stack (${Object.keys(currentConfig(file).images).sort().join(", ")})`,
    ],
  ];
  for (const [option, value, what] of allowed) {
    if (value === "")
      throw new VerbRefusal(`launch ${option}: an empty value (an unset shell variable?); ${what()}`);
  }
}

export function launchInstance(file: StackText, request: LaunchRequest): StackEdit {
  if (!isInstanceName(request.name)) {
    // `launch $NAME` with NAME unset arrives as "": it would make a server called lappsgrid-.
    const shown =
      request.name === ""
        ? "an empty name (an unset shell variable?) is not an instance name"
        : badInstanceName(request.name);
    throw new VerbRefusal(`launch NAME: ${shown}; ${INSTANCE_NAME_ALLOWED}`);
  }
  refuseEmptyOptions(file, request);
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

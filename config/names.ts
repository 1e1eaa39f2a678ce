/** Instance names as the operator writes them and as the cloud gets them (`lappsgrid-NAME`). */
import { INSTANCE_PREFIX } from "./defaults";

/** `galaxy` and `lappsgrid-galaxy` are the same instance, as in the old script. */
export function normaliseInstanceName(name: string): string {
  return name.startsWith(INSTANCE_PREFIX) ? name : `${INSTANCE_PREFIX}${name}`;
}

/** The server name after the prefix: at least one character, no "-" at either end. */
const INSTANCE_NAME = new RegExp(`^${INSTANCE_PREFIX}[a-z0-9]([a-z0-9-]*[a-z0-9])?$`);
/** A host name label: cloud-init sets the server's host name from it. */
const INSTANCE_NAME_MAX = 63;

export const INSTANCE_NAME_ALLOWED = `allowed: lower-case letters, digits and "-", starting and ending with a letter or digit, at most ${INSTANCE_NAME_MAX} characters with the ${INSTANCE_PREFIX} prefix`;

/** `name` as a refusal shows it: how long it is when only its length is wrong. */
export function badInstanceName(name: string): string {
  const full = normaliseInstanceName(name);
  return INSTANCE_NAME.test(full)
    ? `${JSON.stringify(name)} is ${full.length} characters long with the ${INSTANCE_PREFIX} prefix, not an instance name`
    : `${JSON.stringify(name)} is not an instance name`;
}

/** Whether `name` (short or prefixed) names a server the cloud and the verbs agree on. */
export function isInstanceName(name: string): boolean {
  const full = normaliseInstanceName(name);
  return INSTANCE_NAME.test(full) && full.length <= INSTANCE_NAME_MAX;
}

/**
 * How an instance changed between two versions of the stack file, in the words the verbs use
 * for their own edits (`worker: state shelved -> active`), for messages naming a change the
 * operator made earlier: the resource's inputs (`powerState`) are the program's words, not theirs.
 */
import type { InstanceConfig, PublicIp } from "../../config/types";

function shownIp(ip: PublicIp): string {
  return ip.kind === "adopt" ? ip.address : ip.kind;
}

/** The settings an operator writes, as written. */
function settings(instance: InstanceConfig): Record<string, string> {
  return {
    size: instance.size,
    image: instance.imageAlias,
    ip: shownIp(instance.ip),
    state: instance.state,
    role: instance.role,
    acceptRebuild: String(instance.acceptRebuild),
    userData: instance.userData === undefined ? "(none)" : "(set)",
  };
}

/** `worker: size medium -> large, state active -> shelved`; undefined when no setting differs. */
export function instanceChange(from: InstanceConfig, to: InstanceConfig): string | undefined {
  const before = settings(from);
  const after = settings(to);
  const changes = Object.keys(after)
    .filter((setting) => before[setting] !== after[setting])
    .map((setting) =>
      setting === "userData" ? "userData changed" : `${setting} ${before[setting]} -> ${after[setting]}`,
    );
  return changes.length === 0 ? undefined : `${to.key}: ${changes.join(", ")}`;
}

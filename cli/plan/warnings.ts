/**
 * What `plan` says on stderr about a stack that evaluates but shows something wrong, without
 * failing: a plan is also run in CI, where a date going by must not turn a valid stack red.
 */
import { readStackFile } from "../../config";
import { offlineUntilPassedProblem } from "../../config/proxy-settings";

/** A passed `proxy.offlineUntil` (the offline page would announce a return already missed), or undefined. */
export function offlineUntilWarning(projectDir: string, stack: string, now: Date): string | undefined {
  const proxy = readStackFile(projectDir, stack).project.proxy as { offlineUntil?: unknown } | undefined;
  const until = proxy?.offlineUntil;
  return typeof until === "string" ? offlineUntilPassedProblem(until, now) : undefined;
}

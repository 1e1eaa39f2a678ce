/** The apply script as text, for the bootstrap user data and for tests that run it. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const APPLY_SCRIPT_FILE = join(__dirname, "apply-script.sh");

export function applyScript(): string {
  return readFileSync(APPLY_SCRIPT_FILE, "utf8");
}

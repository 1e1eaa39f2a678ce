/**
 * Writing a stack file (or an inventory) the verbs edited: in one step, through a symlink,
 * never over a file the operator made read-only or changed since the verb read it.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * A file the operator made read-only is a decision: refuse to write it, never replace it.
 * `name` is the file as the operator reaches it from the project (`inventory/iu.yaml`).
 */
export function refuseReadOnly(path: string, name = basename(path)): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o200) === 0) {
    throw new Error(
      `${name} is read-only (mode ${mode.toString(8)}); left unchanged; make it writable first (chmod u+w ${name}) if this edit is meant`,
    );
  }
}

/**
 * Replaces the file in one step: a reader (or a crash) sees the old file or the new one, never
 * half of each. A symlinked stack file keeps its link: the link's target is replaced. The
 * temporary file sits beside that target, so the rename stays on one disk.
 */
export function writeFileAtomically(path: string, text: string, name = basename(path)): void {
  refuseReadOnly(path, name);
  const real = realpathSync(path);
  const temporary = join(dirname(real), `.${basename(real)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, text, { flag: "wx" });
    chmodSync(temporary, statSync(real).mode);
    renameSync(temporary, real);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed or never written.
    }
    throw error;
  }
}

/**
 * Replaces the file with `text` unless it no longer holds `before`, the text the edit was made
 * from: several people edit the same tree, and a change saved since the read is never lost.
 */
export function replaceUnlessChanged(path: string, before: string, text: string): void {
  if (readFileSync(path, "utf8") !== before) {
    throw new Error(`${basename(path)} changed while this verb ran; run it again`);
  }
  writeFileAtomically(path, text);
}

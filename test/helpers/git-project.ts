/** A project folder in a git repository of its own: HEAD holds one stack text, the file another. */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROJECT_DIR = join(__dirname, "..", "..");

/** Runs git in `dir` as a test user; throws on a non-zero exit. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.org", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
}

/**
 * Pulumi.yaml and `Pulumi.<stack>.yaml` holding `committed`, committed as HEAD; the stack file
 * then reads `current`: a change not committed yet.
 */
export function projectWithUncommittedChange(stack: string, committed: string, current: string): string {
  const dir = mkdtempSync(join(tmpdir(), "jetstream-git-project-"));
  const file = `Pulumi.${stack}.yaml`;
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, file), committed);
  git(dir, "init", "-q");
  git(dir, "add", "Pulumi.yaml", file);
  git(dir, "commit", "-q", "-m", "applied");
  writeFileSync(join(dir, file), current);
  return dir;
}

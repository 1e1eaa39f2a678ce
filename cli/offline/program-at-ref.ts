/**
 * The program as it was at a git ref, for a diff that must show what a code change does too:
 * a pull request that adds a replace-forcing input to every server changes no stack file.
 * Checked out with `git worktree` next to the repository, sharing this checkout's node_modules.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

/** The files that make the program; a change anywhere else cannot change a plan. */
const PROGRAM_PATHS = ["index.ts", "components", "config", "package-lock.json"];
const PACKAGE_ROOT = join(__dirname, "..", "..");

/** Runs git in `cwd` and gives its output as printed; throws on a non-zero exit (`status` says which). */
export function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function topLevel(dir: string): string | undefined {
  try {
    return git(dir, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    return undefined;
  }
}

/**
 * Runs `use` with the folder of the program at `ref`, or with undefined when today's program
 * is the program at `ref` too: unchanged since, or not versioned with these stack files.
 * `packageRoot` is the program's own checkout (this package; another one in tests).
 */
export async function withProgramAt<T>(
  projectDir: string,
  ref: string,
  use: (programDir: string | undefined) => Promise<T>,
  packageRoot = PACKAGE_ROOT,
): Promise<T> {
  const repository = topLevel(packageRoot);
  if (repository === undefined || topLevel(projectDir) !== repository) return use(undefined);
  const packagePath = relative(repository, packageRoot) || ".";
  const paths = PROGRAM_PATHS.map((path) => join(packagePath, path));
  try {
    git(repository, ["diff", "--quiet", ref, "--", ...paths]);
    return await use(undefined);
  } catch (error) {
    // Exit status 1 means "differs"; anything else (a bad ref) is the caller's to report.
    if ((error as { status?: number }).status !== 1) return use(undefined);
  }
  const scratch = mkdtempSync(join(tmpdir(), "jetstream-base-"));
  const worktree = join(scratch, "program");
  git(repository, ["worktree", "add", "--detach", "--quiet", worktree, ref]);
  try {
    const programDir = join(worktree, packagePath);
    if (!existsSync(join(programDir, "index.ts"))) {
      throw new Error(`--base: the program (index.ts) did not exist at ${ref}`);
    }
    symlinkSync(join(packageRoot, "node_modules"), join(programDir, "node_modules"), "dir");
    return await use(programDir);
  } finally {
    git(repository, ["worktree", "remove", "--force", worktree]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

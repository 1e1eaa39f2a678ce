import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateStack } from "../../cli/offline/evaluate-stack";
import type { Evaluation } from "../../cli/offline/evaluation";
import { withProgramAt } from "../../cli/offline/program-at-ref";
import { PROJECT_DIR } from "../helpers/program";

function git(dir: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.org", ...args], {
    cwd: dir,
    stdio: "ignore",
  });
}

/** A repository holding a copy of the program and the IU stack, committed once. */
function programRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "program-at-ref-"));
  for (const path of [
    "index.ts",
    "components",
    "config",
    "Pulumi.yaml",
    "Pulumi.iu.yaml",
    "package.json",
    "package-lock.json",
  ]) {
    cpSync(join(PROJECT_DIR, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, ".gitignore"), "node_modules\n");
  git(dir, "init", "--quiet");
  git(dir, "add", ".");
  git(dir, "commit", "--quiet", "-m", "base");
  return dir;
}

const serverOf = (evaluation: Evaluation) =>
  evaluation.resources.find((r) => r.name === "lappsgrid-proxy-server")?.inputs ?? {};

describe("the program at a git ref", () => {
  test("a code change since the ref is evaluated with the code of the ref on the base side", async () => {
    const repository = programRepository();
    const instance = join(repository, "components", "instance.ts");
    writeFileSync(
      instance,
      readFileSync(instance, "utf8").replace(
        "stopBeforeDestroy: true,",
        'stopBeforeDestroy: true,\n        availabilityZone: "nova",',
      ),
    );
    const [before, after] = await withProgramAt(
      repository,
      "HEAD",
      (programDir) => {
        expect(programDir).toMatch(/jetstream-base-.*\/program$/);
        return Promise.all([
          evaluateStack({ projectDir: repository, stack: "iu", programDir }),
          evaluateStack({ projectDir: repository, stack: "iu", programDir: repository }),
        ]);
      },
      repository,
    );
    expect(serverOf(before).availabilityZone).toBeUndefined();
    expect(serverOf(after).availabilityZone).toBe("nova");
    // The scratch worktree is gone again.
    expect(
      execFileSync("git", ["worktree", "list"], { cwd: repository, encoding: "utf8" }).trim().split("\n"),
    ).toHaveLength(1);
    // Two evaluations and a git worktree: a few seconds alone, much more while the suite runs.
  }, 180000);

  test("with the program unchanged since the ref, today's program serves both sides", async () => {
    const repository = programRepository();
    writeFileSync(
      join(repository, "Pulumi.iu.yaml"),
      `${readFileSync(join(repository, "Pulumi.iu.yaml"), "utf8")}\n`,
    );
    await withProgramAt(
      repository,
      "HEAD",
      async (programDir) => expect(programDir).toBeUndefined(),
      repository,
    );
  });

  test("stack files outside the program's repository use today's program", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "not-a-repo-"));
    await withProgramAt(elsewhere, "HEAD", async (programDir) => expect(programDir).toBeUndefined());
  });
});

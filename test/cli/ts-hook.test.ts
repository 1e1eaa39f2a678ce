/** bin/ts-hook.js: the project's TypeScript runs in place, and an edit is seen on the next run. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const HOOK = join(__dirname, "..", "..", "bin", "ts-hook.js");

function runTs(dir: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ["--require", HOOK, join(dir, "main.ts")], { encoding: "utf8" });
}

test("a .ts entry with extensionless imports, parameter properties and class fields runs, and an edit shows on the next run", () => {
  const dir = mkdtempSync(join(tmpdir(), "ts-hook-"));
  writeFileSync(
    join(dir, "greeting.ts"),
    "export class Greeting {\n  readonly punctuation: string = '!';\n  constructor(readonly name: string) {}\n  text(): string { return 'hello ' + this.name + this.punctuation; }\n}\n",
  );
  writeFileSync(
    join(dir, "main.ts"),
    'import { basename } from "node:path";\nimport { Greeting } from "./greeting";\nconst who: string = basename("/x/world");\nconsole.log(new Greeting(who).text());\n',
  );
  expect(runTs(dir)).toMatchObject({ status: 0, stdout: "hello world!\n", stderr: "" });
  writeFileSync(
    join(dir, "greeting.ts"),
    "export class Greeting {\n  constructor(readonly name: string) {}\n  text(): string { return 'bye ' + this.name; }\n}\n",
  );
  expect(runTs(dir)).toMatchObject({ status: 0, stdout: "bye world\n", stderr: "" });
});

test("a stack trace points into the .ts source, not the transpiled output", () => {
  const dir = mkdtempSync(join(tmpdir(), "ts-hook-"));
  writeFileSync(join(dir, "main.ts"), "const n: number = 1;\n\n\nthrow new Error('line four ' + n);\n");
  const result = runTs(dir);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`${join(dir, "main.ts")}:4`);
});

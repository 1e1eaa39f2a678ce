/** Which stack a verb works on: `--stack`, else `$PULUMI_STACK`, else the only stack file. */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { selectStack } from "../../../cli/stack-file/select";
import { makeTempDir } from "../../../harness/nginx";

let dirs: string[] = [];
const saved = process.env.PULUMI_STACK;

/** A project directory holding Pulumi.yaml and the given files. */
function project(...files: string[]): string {
  const dir = makeTempDir("stack-select");
  dirs.push(dir);
  writeFileSync(join(dir, "Pulumi.yaml"), "name: lappsgrid-jetstream\n");
  for (const file of files) writeFileSync(join(dir, file), "config: {}\n");
  return dir;
}

function thrown(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
}

beforeEach(() => {
  delete process.env.PULUMI_STACK;
});
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
afterAll(() => {
  if (saved === undefined) delete process.env.PULUMI_STACK;
  else process.env.PULUMI_STACK = saved;
});

test("--stack wins over $PULUMI_STACK", () => {
  const dir = project("Pulumi.iu.yaml", "Pulumi.tacc.yaml");
  process.env.PULUMI_STACK = "tacc";
  expect(selectStack({ dir, stack: "iu" })).toEqual({ projectDir: dir, stack: "iu" });
});

test("$PULUMI_STACK is used without --stack; an empty one is as good as none", () => {
  const dir = project("Pulumi.iu.yaml", "Pulumi.tacc.yaml");
  process.env.PULUMI_STACK = "tacc";
  expect(selectStack({ dir })).toEqual({ projectDir: dir, stack: "tacc" });
  process.env.PULUMI_STACK = "";
  expect(thrown(() => selectStack({ dir }))).toBe(
    "--stack: required when the project has several stacks; allowed: iu, tacc",
  );
});

test("the only stack file is the stack when nothing names one", () => {
  const dir = project("Pulumi.lab.yaml");
  expect(selectStack({ dir })).toEqual({ projectDir: dir, stack: "lab" });
});

test("a directory without Pulumi.yaml is not a project", () => {
  const dir = makeTempDir("stack-select");
  dirs.push(dir);
  expect(thrown(() => selectStack({ dir }))).toBe(`--dir: ${dir} is not a Pulumi project (no Pulumi.yaml)`);
});

test("an unknown stack is named with the option or variable it came from, and the stacks there are", () => {
  const dir = project("Pulumi.iu.yaml", "Pulumi.tacc.yaml");
  expect(thrown(() => selectStack({ dir, stack: "lab" }))).toBe(
    `--stack: no stack "lab" in ${dir}; allowed: iu, tacc`,
  );
  process.env.PULUMI_STACK = "lab";
  expect(thrown(() => selectStack({ dir }))).toBe(
    `$PULUMI_STACK: no stack "lab" in ${dir}; allowed: iu, tacc`,
  );
  const empty = project();
  expect(thrown(() => selectStack({ dir: empty, stack: "lab" }))).toBe(
    `--stack: no stack "lab" in ${empty}; allowed: none (no Pulumi.<stack>.yaml)`,
  );
});

test("a .yml stack file is named with the rename Pulumi needs", () => {
  const dir = project("Pulumi.iu.yml");
  expect(thrown(() => selectStack({ dir, stack: "iu" }))).toBe(
    "--stack: iu's stack file is Pulumi.iu.yml; Pulumi reads Pulumi.iu.yaml: rename it (git mv Pulumi.iu.yml Pulumi.iu.yaml)",
  );
});

test("a directory named like a stack file is refused", () => {
  const dir = project("Pulumi.iu.yaml");
  mkdirSync(join(dir, "Pulumi.lab.yaml"));
  expect(thrown(() => selectStack({ dir, stack: "lab" }))).toBe(
    `--stack: ${join(dir, "Pulumi.lab.yaml")} is a directory, not a stack file`,
  );
});

describe("odd paths are named for what they are", () => {
  test("a stack file that is a link to nothing names the link and where it points", () => {
    const dir = project("Pulumi.tacc.yaml");
    symlinkSync("nowhere.yaml", join(dir, "Pulumi.iu.yaml"));
    expect(thrown(() => selectStack({ dir, stack: "iu" }))).toBe(
      `--stack: ${join(dir, "Pulumi.iu.yaml")} is a link to nowhere.yaml, which does not exist; allowed: a stack file (Pulumi.iu.yaml) that exists`,
    );
  });

  test("a stack file that is a device, not a regular file, is not called a directory", () => {
    const dir = project("Pulumi.tacc.yaml");
    symlinkSync("/dev/null", join(dir, "Pulumi.iu.yaml"));
    expect(thrown(() => selectStack({ dir, stack: "iu" }))).toBe(
      `--stack: ${join(dir, "Pulumi.iu.yaml")} is not a regular file (a device or socket); allowed: a stack file`,
    );
  });

  test("a stack file that is a directory is still called one", () => {
    const dir = project("Pulumi.tacc.yaml");
    mkdirSync(join(dir, "Pulumi.iu.yaml"));
    expect(thrown(() => selectStack({ dir, stack: "iu" }))).toBe(
      `--stack: ${join(dir, "Pulumi.iu.yaml")} is a directory, not a stack file`,
    );
  });

  test("--dir naming a file, not a folder, says so", () => {
    const dir = project("Pulumi.iu.yaml");
    expect(thrown(() => selectStack({ dir: join(dir, "Pulumi.yaml"), stack: "iu" }))).toBe(
      `--dir: ${join(dir, "Pulumi.yaml")} is a file; allowed: the project folder (where Pulumi.yaml is), like ${dir}`,
    );
  });
});

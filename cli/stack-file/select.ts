/** Which stack a verb works on: `--stack`, else `$PULUMI_STACK`, else the only stack file. */
import { existsSync, lstatSync, readlinkSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { listStacks, stackFilePath } from "../../config";
import type { StackOptions } from "./options";

/**
 * The project folder as a message names it: the option the operator gave, or, without one,
 * what it is (blaming an option nobody typed sends them looking for it).
 */
export function projectFolder(options: StackOptions, projectDir: string): string {
  return options.dir === undefined ? `the current directory ${projectDir}` : `--dir: ${projectDir}`;
}

export function selectStack(options: StackOptions): { projectDir: string; stack: string } {
  const projectDir = resolve(options.dir ?? process.cwd());
  if (existsSync(projectDir) && !statSync(projectDir).isDirectory()) {
    throw new Error(
      `--dir: ${projectDir} is a file; allowed: the project folder (where Pulumi.yaml is), like ${dirname(projectDir)}`,
    );
  }
  if (!existsSync(resolve(projectDir, "Pulumi.yaml"))) {
    const fix = options.dir === undefined ? "; allowed: run it in the project folder, or give --dir" : "";
    throw new Error(`${projectFolder(options, projectDir)} is not a Pulumi project (no Pulumi.yaml)${fix}`);
  }
  const stacks = listStacks(projectDir);
  // An empty PULUMI_STACK is as good as none.
  const fromEnvironment = process.env.PULUMI_STACK === "" ? undefined : process.env.PULUMI_STACK;
  const stack = options.stack ?? fromEnvironment;
  // The operator fixes what they wrote: the option, or the variable set long ago in a shell.
  const source = options.stack === undefined ? "$PULUMI_STACK" : "--stack";
  if (stack === undefined) {
    if (stacks.length === 1) return { projectDir, stack: stacks[0] };
    throw new Error(`--stack: required when the project has several stacks; allowed: ${stacks.join(", ")}`);
  }
  const path = stackFilePath(projectDir, stack);
  const link = lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ? readlinkSync(path) : undefined;
  if (link !== undefined && !existsSync(path)) {
    throw new Error(
      `${source}: ${path} is a link to ${link}, which does not exist; allowed: a stack file (Pulumi.${stack}.yaml) that exists`,
    );
  }
  if (!existsSync(path)) {
    if (existsSync(resolve(projectDir, `Pulumi.${stack}.yml`))) {
      throw new Error(
        `${source}: ${stack}'s stack file is Pulumi.${stack}.yml; Pulumi reads Pulumi.${stack}.yaml: rename it (git mv Pulumi.${stack}.yml Pulumi.${stack}.yaml)`,
      );
    }
    throw new Error(
      `${source}: no stack "${stack}" in ${projectDir}; allowed: ${stacks.join(", ") || "none (no Pulumi.<stack>.yaml)"}`,
    );
  }
  const kind = statSync(path);
  if (kind.isDirectory()) throw new Error(`${source}: ${path} is a directory, not a stack file`);
  if (!kind.isFile()) {
    throw new Error(`${source}: ${path} is not a regular file (a device or socket); allowed: a stack file`);
  }
  return { projectDir, stack };
}

/**
 * `--stack` and `--dir`, the options every verb that works on a stack takes. Apart from the
 * edit flow so that registering a verb loads nothing but commander.
 */
import type { Command } from "commander";

export interface StackOptions {
  stack?: string;
  dir?: string;
}

/** `--stack` and `--dir`, worded the same on every verb. */
export function addStackOptions(command: Command): Command {
  return (
    command
      .option("--stack <name>", "stack (Pulumi.<name>.yaml); default $PULUMI_STACK, or the only stack file")
      // No default value: a message names --dir only when the operator gave it.
      .option("--dir <path>", "project folder (where Pulumi.yaml is); default the current folder")
  );
}

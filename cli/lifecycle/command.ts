/** `jetstream suspend|resume|stop|start NAME`: one instance's power state. */
import type { Command } from "commander";
import { refuseEmptyName } from "../name-argument";
import type { EditDeps } from "../stack-file/edit-flow";
import { addStackOptions, type StackOptions } from "../stack-file/options";
import type { LifecycleVerb } from "./set-state";

const DESCRIPTIONS: Record<LifecycleVerb, string> = {
  suspend:
    "Shelve an instance (state: shelved). Suspend shelves the server: memory is not kept (it boots " +
    "again on resume), its disk and addresses stay, and its SU cost drops to zero.",
  resume: "Bring a shelved (suspended) instance back (state: active): it boots again.",
  stop: "Stop an instance (state: stopped): powered off, still billed at half its SU rate.",
  start: "Start a stopped instance (state: active).",
};

const SUMMARIES: Record<LifecycleVerb, string> = {
  suspend: "shelve an instance: memory not kept, SU cost drops to zero",
  resume: "bring a suspended (shelved) instance back",
  stop: "power an instance off (half its SU rate)",
  start: "power a stopped instance on",
};

function registerLifecycle(program: Command, verb: LifecycleVerb, deps?: EditDeps): void {
  addStackOptions(
    program
      .command(verb)
      .summary(SUMMARIES[verb])
      .description(DESCRIPTIONS[verb])
      .argument("<name>", "instance, with or without the lappsgrid- prefix"),
  ).action((name: string, options: StackOptions) => {
    refuseEmptyName(verb, name);
    const { runStackEdit } = require("../stack-file/edit-flow") as typeof import("../stack-file/edit-flow");
    const { otherStacks } =
      require("../stack-file/other-stacks") as typeof import("../stack-file/other-stacks");
    const { LIFECYCLE_STATE, setInstanceState } = require("./set-state") as typeof import("./set-state");
    const { otherStackSwitchWarnings } =
      require("../stack-file/other-stack-switch") as typeof import("../stack-file/other-stack-switch");
    return runStackEdit(
      options,
      (file, projectDir) => {
        const others = otherStacks(projectDir, file.stack);
        const edit = setInstanceState(file, name, LIFECYCLE_STATE[verb], others);
        if (edit.text === file.text || LIFECYCLE_STATE[verb] === "active") return edit;
        const order = otherStackSwitchWarnings({ projectDir, file, name, outcome: "down", others });
        return { ...edit, warnings: [...(edit.warnings ?? []), ...order] };
      },
      deps,
    );
  });
}

export function registerSuspend(program: Command, deps?: EditDeps): void {
  registerLifecycle(program, "suspend", deps);
}

export function registerResume(program: Command, deps?: EditDeps): void {
  registerLifecycle(program, "resume", deps);
}

export function registerStop(program: Command, deps?: EditDeps): void {
  registerLifecycle(program, "stop", deps);
}

export function registerStart(program: Command, deps?: EditDeps): void {
  registerLifecycle(program, "start", deps);
}

/** `jetstream delete NAME`: remove an instance from the stack file. */
import type { Command } from "commander";
import { refuseEmptyName } from "../name-argument";
import type { EditDeps } from "../stack-file/edit-flow";
import { addStackOptions, type StackOptions } from "../stack-file/options";

export function registerDelete(program: Command, deps?: EditDeps): void {
  addStackOptions(
    program
      .command("delete")
      .summary("remove an instance from the stack file (never the proxy or its online target)")
      .description(
        "Remove an instance from the stack file; `pulumi up` deletes the server, its port and a " +
          "floating IP it allocated (an adopted address stays allocated). Refuses the proxy host, " +
          "and the proxy's target while the proxy is online (`jetstream offline` or `jetstream proxy OTHER` first).",
      )
      .argument("<name>", "instance, with or without the lappsgrid- prefix"),
  ).action((name: string, options: StackOptions) => {
    refuseEmptyName("delete", name);
    const { runStackEdit } = require("../stack-file/edit-flow") as typeof import("../stack-file/edit-flow");
    const { otherStacks } =
      require("../stack-file/other-stacks") as typeof import("../stack-file/other-stacks");
    const { deleteInstance } = require("./delete") as typeof import("./delete");
    const { otherStackSwitchWarnings } =
      require("../stack-file/other-stack-switch") as typeof import("../stack-file/other-stack-switch");
    return runStackEdit(
      options,
      (file, projectDir) => {
        const others = otherStacks(projectDir, file.stack);
        const edit = deleteInstance(file, name, others);
        const order = otherStackSwitchWarnings({ projectDir, file, name, outcome: "gone", others });
        return { ...edit, warnings: [...(edit.warnings ?? []), ...order] };
      },
      deps,
    );
  });
}

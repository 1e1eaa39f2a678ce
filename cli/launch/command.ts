/** `jetstream launch [-t|-s|-m|-l|-x | --size NAME] [-i NAME] [--ip assign|ADDRESS] NAME`. */
import type { Command } from "commander";
import { DEFAULT_IMAGE, DEFAULT_SIZE, SIZE_NAMES } from "../../config/defaults";
import type { EditDeps } from "../stack-file/edit-flow";
import { addStackOptions, type StackOptions } from "../stack-file/options";

interface LaunchOptions extends StackOptions {
  tiny?: boolean;
  small?: boolean;
  medium?: boolean;
  large?: boolean;
  xlarge?: boolean;
  size?: string;
  image?: string;
  ip?: string;
}

/** The old script's one-letter size flags, or --size: exactly one of them, or none. */
function chosenSize(options: LaunchOptions, command: Command): string | undefined {
  const flags = SIZE_NAMES.filter((size) => options[size]);
  const chosen = [...flags, ...(options.size === undefined ? [] : [options.size])];
  if (chosen.length > 1) {
    // As the operator wrote them: `-t and --size tiny`, not `tiny and tiny`.
    const written = [
      ...flags.map(
        (size) => command.options.find((option) => option.attributeName() === size)?.short ?? size,
      ),
      ...(options.size === undefined ? [] : [`--size ${options.size}`]),
    ];
    command.error(`give one size, not ${written.join(" and ")}; allowed: -t|-s|-m|-l|-x or --size NAME`);
  }
  return chosen[0];
}

export function registerLaunch(program: Command, deps?: EditDeps): void {
  const command = program
    .command("launch")
    .summary("add an instance (size, image, public address) to the stack file")
    .description(
      "Add an instance to the stack file, named lappsgrid-NAME (the prefix is added unless present). " +
        `Default size ${DEFAULT_SIZE}, default image ${DEFAULT_IMAGE}; \`pulumi up\` boots it.`,
    )
    .argument("<name>", "instance name, with or without the lappsgrid- prefix")
    .option("-t, --tiny", "size tiny")
    .option("-s, --small", "size small")
    .option("-m, --medium", "size medium (the default)")
    .option("-l, --large", "size large")
    .option("-x, --xlarge", "size xlarge")
    .option("--size <name>", `size by name; allowed: ${SIZE_NAMES.join(", ")}`)
    .option("-i, --image <name>", "image alias (ubuntu, centos, or one the stack defines under images)")
    .option(
      "--ip <assign|address>",
      "assign: allocate a floating IP; an address: attach one allocated earlier",
    );
  addStackOptions(command).action((name: string, options: LaunchOptions) => {
    const size = chosenSize(options, command);
    const { runStackEdit } = require("../stack-file/edit-flow") as typeof import("../stack-file/edit-flow");
    const { launchInstance } = require("./launch") as typeof import("./launch");
    return runStackEdit(
      options,
      (file) => launchInstance(file, { name, size, image: options.image, ip: options.ip }),
      deps,
    );
  });
}

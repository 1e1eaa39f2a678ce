/** `jetstream openrc import FILE [--stack S]` (cli/openrc/import.ts does the import). */
import type { Command } from "commander";
import { addStackOptions, type StackOptions } from "../stack-file/options";

export function registerOpenrc(program: Command): void {
  const openrc = program
    .command("openrc")
    .summary("read OpenStack openrc files into a stack's provider settings")
    .description("Read OpenStack openrc files into a stack's provider settings (never its secrets)");
  const command = openrc
    .command("import")
    .description(
      "Write the non-secret provider settings of an openrc file (auth URL, region, project, domains) " +
        "into Pulumi.<stack>.yaml under openstack:*, and print how to store the password or " +
        "application credential with `pulumi config set --secret` or as CI secrets.",
    )
    .argument(
      "<file>",
      "openrc file from Horizon or the Jetstream2 docs (password or application credential)",
    );
  addStackOptions(command).action((file: string, options: StackOptions) => {
    if (file === "") {
      // `openrc import "$OPENRC"` with OPENRC unset: the argument is to blame, not a file called "".
      throw new Error(
        "openrc import FILE: an empty value (an unset shell variable?); allowed: the path of an openrc file from Horizon or the Jetstream2 docs",
      );
    }
    const { selectStack } = require("../stack-file/select") as typeof import("../stack-file/select");
    const { importOpenrc } = require("./import") as typeof import("./import");
    const { projectDir, stack } = selectStack(options);
    const report = importOpenrc(file, stack, projectDir, (warning) => console.error(warning));
    for (const line of report) console.log(line);
  });
}

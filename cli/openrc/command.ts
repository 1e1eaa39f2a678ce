/** `jetstream openrc import FILE --stack S` (cli/openrc/import.ts does the import). */
import type { Command } from "commander";

export function registerOpenrc(program: Command): void {
  const openrc = program
    .command("openrc")
    .summary("read OpenStack openrc files into a stack's provider settings")
    .description("Read OpenStack openrc files into a stack's provider settings (never its secrets)");
  openrc
    .command("import")
    .description(
      "Write the non-secret provider settings of an openrc file (auth URL, region, project, domains) " +
        "into Pulumi.<stack>.yaml under openstack:*, and print how to store the password or " +
        "application credential with `pulumi config set --secret` or as CI secrets.",
    )
    .argument(
      "<file>",
      "openrc file from Horizon or the Jetstream2 docs (password or application credential)",
    )
    .requiredOption("--stack <name>", "stack whose Pulumi.<name>.yaml receives the settings (iu, tacc)")
    .option("--dir <path>", "project folder (where Pulumi.yaml is)", ".")
    .action((file: string, options: { stack: string; dir: string }) => {
      const { importOpenrc } = require("./import") as typeof import("./import");
      const report = importOpenrc(file, options.stack, options.dir, (warning) => console.error(warning));
      for (const line of report) console.log(line);
    });
}

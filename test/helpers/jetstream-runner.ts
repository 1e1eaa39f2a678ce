/**
 * The `jetstream` CLI as bin/jetstream.js builds it (cli/main.ts), run in a child process by
 * test/helpers/cli.ts: commander is an ES module that jest's VM cannot require.
 *   JETSTREAM_TEST_NO_RESOURCE_DIFF=1  edits skip the offline evaluation (tests of the file edit)
 *   JETSTREAM_TEST_EVALUATIONS=DIR     edits run the real evaluation, shared through DIR
 *                                      (shared-evaluations.ts)
 *   --help-json                        prints every command's --help as JSON, keyed "openrc import"
 */
import type { Command } from "commander";
import { buildProgram, main } from "../../cli/main";
import type { EditDeps } from "../../cli/stack-file/edit-flow";
import { sharedEvaluator } from "./shared-evaluations";

function helpOfEveryCommand(): string {
  const help: Record<string, string> = {};
  const walk = (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      help[[...path, sub.name()].join(" ")] = sub.helpInformation();
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(buildProgram(), []);
  return JSON.stringify(help);
}

if (process.argv[2] === "--help-json") {
  console.log(helpOfEveryCommand());
} else {
  const shared = process.env.JETSTREAM_TEST_EVALUATIONS ?? "";
  const deps: EditDeps =
    process.env.JETSTREAM_TEST_NO_RESOURCE_DIFF === "1"
      ? { evaluate: null }
      : shared === ""
        ? {}
        : { evaluate: sharedEvaluator(shared) };
  main(process.argv, deps).then((code) => {
    process.exitCode = code;
  });
}

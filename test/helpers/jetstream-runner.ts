/**
 * The `jetstream` CLI as bin/jetstream.js builds it (cli/main.ts), run outside jest by
 * test/helpers/cli.ts (commander is an ES module that jest's VM cannot require): as a process of
 * its own, or once per request in cli-server.ts, which takes the same settings from each
 * request's environment.
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

/** The edit dependencies a test run asks for through its environment (see the header). */
export function editDepsFrom(env: NodeJS.ProcessEnv): EditDeps {
  const shared = env.JETSTREAM_TEST_EVALUATIONS ?? "";
  if (env.JETSTREAM_TEST_NO_RESOURCE_DIFF === "1") return { evaluate: null };
  return shared === "" ? {} : { evaluate: sharedEvaluator(shared) };
}

// Run as a program (bin/run-ts.js puts this file in argv[1]), not when the CLI server imports it.
if (process.argv[1] === __filename) {
  if (process.argv[2] === "--help-json") {
    console.log(helpOfEveryCommand());
  } else {
    main(process.argv, editDepsFrom(process.env)).then((code) => {
      process.exitCode = code;
    });
  }
}

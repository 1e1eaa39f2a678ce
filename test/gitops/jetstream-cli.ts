/**
 * Runs `jetstream` with every verb in cli/commands registered, as bin/jetstream.js does once
 * cli/main.ts registers them all. A subprocess: commander is an ES module that jest's VM cannot
 * require. Usage: node bin/run-ts.js test/gitops/jetstream-cli.ts openrc import FILE --stack S
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";

type Register = (program: Command) => void;

async function run(): Promise<number> {
  // Its own program, not cli/main.ts's, so these tests do not wait for main.ts to list a verb.
  const program = new Command("jetstream").showHelpAfterError().exitOverride();
  const commands = join(__dirname, "..", "..", "cli", "commands");
  for (const file of readdirSync(commands)
    .filter((name) => name.endsWith(".ts"))
    .sort()) {
    // require, not import(): tsx's hook serves require, and the verbs load in file order.
    const module = require(join(commands, file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (name.startsWith("register") && typeof value === "function") (value as Register)(program);
    }
  }
  if (process.argv[2] === "--help-json") {
    // Every verb's --help at once ("openrc import" for subcommands), for the guide's test.
    const help: Record<string, string> = {};
    const walk = (command: Command, path: string[]) => {
      for (const sub of command.commands) {
        help[[...path, sub.name()].join(" ")] = sub.helpInformation();
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(program, []);
    console.log(JSON.stringify(help));
    return 0;
  }
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    console.error(`jetstream: ${(error as Error).message}`);
    return 1;
  }
}

run().then((code) => {
  process.exitCode = code;
});

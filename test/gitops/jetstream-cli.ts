/**
 * Runs `jetstream` with this verbs registered, as bin/jetstream.js would once cli/main.ts
 * registers them. A subprocess: commander is an ES module that jest's VM cannot require.
 * Usage: node bin/run-ts.js test/gitops/jetstream-cli.ts openrc import FILE --stack S
 */
import { Command, CommanderError } from "commander";
import { registerDrift } from "../../cli/commands/drift";
import { registerOpenrc } from "../../cli/commands/openrc";

async function run(): Promise<number> {
  // Its own program, not cli/main.ts's: these tests must not depend on the other verbs' files.
  const program = new Command("jetstream").showHelpAfterError().exitOverride();
  registerOpenrc(program);
  registerDrift(program);
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

/**
 * `jetstream` with this verbs registered, as bin/jetstream.js runs them once cli/main.ts
 * registers them. A subprocess of the tests: commander is an ES module jest's VM cannot require.
 * JETSTREAM_TEST_NO_RESOURCE_DIFF=1 skips the offline evaluation after an edit (file-edit tests).
 * Usage: node bin/run-ts.js test/cli/jetstream-verbs.ts suspend galaxy --stack iu --dir D
 */
import { Command, CommanderError } from "commander";
import { registerDelete } from "../../cli/commands/delete";
import { registerDiff } from "../../cli/commands/diff";
import {
  registerResume,
  registerStart,
  registerStop,
  registerSuspend,
} from "../../cli/commands/instance-lifecycle";
import { registerLaunch } from "../../cli/commands/launch";
import { registerList } from "../../cli/commands/list";
import { registerPreview, registerUp } from "../../cli/commands/preview-up";
import { registerOffline, registerOnline, registerProxy } from "../../cli/commands/proxy-switch";
import type { EditDeps } from "../../cli/verbs/edit-flow";

async function run(): Promise<number> {
  const program = new Command("jetstream").showHelpAfterError().exitOverride();
  const deps: EditDeps = process.env.JETSTREAM_TEST_NO_RESOURCE_DIFF === "1" ? { evaluate: null } : {};
  for (const register of [
    registerSuspend,
    registerResume,
    registerStop,
    registerStart,
    registerLaunch,
    registerDelete,
    registerProxy,
    registerOnline,
    registerOffline,
    registerDiff,
  ]) {
    register(program, deps);
  }
  registerList(program);
  registerPreview(program);
  registerUp(program);
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

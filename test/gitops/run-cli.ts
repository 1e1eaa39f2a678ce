/** The gitops tests' way to run `jetstream`: the shared runner, edits with their resource diff. */
import { type CliResult, runJetstream } from "../helpers/cli";

export type CliRun = CliResult;

export function runGitopsCli(args: string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  return runJetstream(args, { env: { ...env, PULUMI_STACK: "" } });
}

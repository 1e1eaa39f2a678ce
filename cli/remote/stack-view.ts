/**
 * What `ssh`, `visit` and `forget` read: the stack file (images, proxy host, subnet) and, unless
 * `--address` gives the instance's address, the stack's live outputs through the Automation API.
 */
import { readFileSync } from "node:fs";
import { type StackConfig, stackFilePath } from "../../config";
import { PulumiCliMissing, selectEngineStack } from "../engine/pulumi-cli";
import { selectStack } from "../stack-file/select";
import { currentConfig, stackText } from "../stack-file/text";
import { type LiveInstance, liveInstances, RemoteAccessError } from "./route";

export interface StackView {
  projectDir: string;
  stack: string;
  config: StackConfig;
}

/** Reads the stack's outputs; tests pass their own. */
export type OutputsReader = (
  projectDir: string,
  stack: string,
  verb: string,
) => Promise<Record<string, unknown>>;

export const readLiveOutputs: OutputsReader = async (projectDir, stack, verb) => {
  try {
    const engineStack = await selectEngineStack(projectDir, stack, verb);
    const outputs = await engineStack.outputs();
    return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value as unknown]));
  } catch (error) {
    if (error instanceof PulumiCliMissing) {
      throw new RemoteAccessError(`${error.message} Or give the address by hand with --address HOST[:PORT].`);
    }
    throw error;
  }
};

export function readStackView(options: { stack?: string; dir?: string }): StackView {
  const { projectDir, stack } = selectStack(options);
  const file = stackText(stack, readFileSync(stackFilePath(projectDir, stack), "utf8"));
  return { projectDir, stack, config: currentConfig(file) };
}

/** The live `instances` output, read only when something needs it. */
export async function liveOf(
  view: StackView,
  readOutputs: OutputsReader,
  verb: string,
): Promise<Record<string, LiveInstance>> {
  return liveInstances(await readOutputs(view.projectDir, view.stack, verb));
}

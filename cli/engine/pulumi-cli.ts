/**
 * The hand-over to the real engine. `plan`, `diff` and every stack-file verb work without the
 * Pulumi CLI; `drift`, `preview`, `up` and `list --live` need it, and say so plainly when it is
 * missing instead of failing deep inside the Automation API with a spawn error.
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import type * as Automation from "@pulumi/pulumi/automation";
import type { PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/**
 * The Automation API, loaded on first use: it pulls in gRPC and the whole SDK, which the offline
 * verbs never need. `require`, not `import()`: under tsx a dynamic import is a native ES import,
 * which cannot resolve the package's `automation` folder.
 */
function automation(): typeof Automation {
  return require("@pulumi/pulumi/automation") as typeof Automation;
}

export const PULUMI_INSTALL_HINT =
  "install it with `curl -fsSL https://get.pulumi.com | sh` (or `brew install pulumi/tap/pulumi`; " +
  "see https://www.pulumi.com/docs/install/), then `pulumi login` (see README.md, State). " +
  "`jetstream plan` and `jetstream diff` work offline without it.";

/** Thrown when no `pulumi` executable is on PATH; its message is the whole story, no stack trace. */
export class PulumiCliMissing extends Error {
  constructor(verb: string) {
    super(`Pulumi CLI missing: \`jetstream ${verb}\` runs the real engine; ${PULUMI_INSTALL_HINT}`);
    this.name = "PulumiCliMissing";
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The `pulumi` executable on PATH (or under PULUMI_HOME/bin, where the installer puts it). */
export function findPulumiCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = (env.PATH ?? "").split(delimiter).filter(Boolean);
  if (env.PULUMI_HOME) candidates.push(join(env.PULUMI_HOME, "bin"));
  for (const directory of candidates) {
    const path = join(directory, "pulumi");
    if (isExecutable(path)) return path;
  }
  return undefined;
}

/** The Pulumi CLI, version-checked by the Automation API; `verb` names what needed it. */
async function requirePulumiCli(verb: string): Promise<PulumiCommand> {
  const path = findPulumiCli();
  if (path === undefined) throw new PulumiCliMissing(verb);
  const { PulumiCommand } = automation();
  // `root` is the folder above `bin/pulumi`, the layout the installer and PulumiCommand share.
  return PulumiCommand.get({ root: resolve(path, "..", "..") });
}

/**
 * The stack `stack` of the project in `projectDir`, as `pulumi --stack S` in that folder sees
 * it: same Pulumi.yaml, same backend login, same stack file.
 */
export async function selectEngineStack(projectDir: string, stack: string, verb = "preview"): Promise<Stack> {
  const workDir = resolve(projectDir);
  if (!existsSync(join(workDir, "Pulumi.yaml"))) {
    throw new Error(`--dir: ${workDir} is not a Pulumi project (no Pulumi.yaml)`);
  }
  const pulumiCommand = await requirePulumiCli(verb);
  const { LocalWorkspace } = automation();
  try {
    return await LocalWorkspace.selectStack({ stackName: stack, workDir }, { pulumiCommand });
  } catch (error) {
    throw new Error(stackSelectionProblem(stack, (error as Error).message));
  }
}

/**
 * The Automation API's error carries the whole command result (code, stdout, stderr); the
 * operator needs pulumi's own `error:` line and the usual fix.
 */
export function stackSelectionProblem(stack: string, message: string): string {
  const reason = /error: (.+)/.exec(message)?.[1]?.trim() ?? message.split("\n")[0];
  return (
    `pulumi cannot select stack "${stack}": ${reason}; log in to the team's state backend ` +
    `(\`pulumi login\`) or create the stack (\`pulumi stack init ${stack}\`): see README.md, State`
  );
}

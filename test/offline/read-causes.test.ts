/**
 * What the offline evaluation cannot read is named for what it is: an invalid other stack is not
 * a stack that exports nothing, and an unreadable Pulumi.yaml is not a project without defaults.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateStack } from "../../cli/offline/evaluate-stack";
import { copyProject } from "../cli/support";
import { builtGalaxyStackText } from "../helpers/program";

/** In a worker, as the verbs evaluate: a program failing inside an `apply` fails after it returns. */
function evaluateLab(projectDir: string, stackFileText: string) {
  return evaluateStack({ projectDir, stack: "lab", stackFileText, inventory: "presumed" });
}

test("a proxy target in a stack whose file is not valid says that file is not valid, not that the stack exports no instance", async () => {
  const dir = copyProject();
  writeFileSync(
    join(dir, "Pulumi.tacc.yaml"),
    "config:\n  lappsgrid-jetstream:instances:\n    lappsgrid-worker: { size: huge }\n",
  );
  const text = builtGalaxyStackText().replace("target: lappsgrid-galaxy", "target: tacc/lappsgrid-worker");
  await expect(evaluateLab(dir, text)).rejects.toThrow(
    'proxy.target: Pulumi.tacc.yaml is not valid as it is (instances.lappsgrid-worker.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge), so stack tacc\'s instances cannot be looked up; fix it first (`jetstream plan --stack tacc`)',
  );
});

test("a Pulumi.yaml that is a directory is named, not read as a project without defaults", async () => {
  const dir = copyProject();
  rmSync(join(dir, "Pulumi.yaml"));
  mkdirSync(join(dir, "Pulumi.yaml"));
  await expect(evaluateLab(dir, builtGalaxyStackText())).rejects.toThrow(
    `Pulumi.yaml: ${join(dir, "Pulumi.yaml")} is a directory, not the project file; allowed: the project's Pulumi.yaml`,
  );
});

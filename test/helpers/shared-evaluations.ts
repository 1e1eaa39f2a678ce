/**
 * The real offline evaluation, shared between the verb tests of one test file: a result is kept
 * on disk under a hash of everything an evaluation reads (the stack, its file's text, and every
 * Pulumi*.yaml of the project folder: defaults and other stacks' files, and its inventory), so the same stack file
 * is evaluated once. The evaluation is deterministic (mock IDs derive from names), so a kept
 * result is the result a new run would give. Failures are not kept: each is evaluated again.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateStack } from "../../cli/offline/evaluate-stack";
import type { Evaluation } from "../../cli/offline/evaluation";
import type { Evaluator } from "../../cli/stack-file/edit-flow";

function inputsKey(projectDir: string, stack: string, stackFileText: string | undefined): string {
  const hash = createHash("sha256").update(JSON.stringify({ stack, stackFileText }));
  for (const file of readdirSync(projectDir)
    .filter((name) => /^Pulumi(\..+)?\.yaml$/.test(name))
    .sort()) {
    hash.update(`\0${file}\0`).update(readFileSync(join(projectDir, file)));
  }
  // The offline cloud answers from the project's inventory: a test that changes it changes the result.
  const inventoryDir = join(projectDir, "inventory");
  if (existsSync(inventoryDir)) {
    for (const file of readdirSync(inventoryDir).sort()) {
      hash.update(`\0inventory/${file}\0`).update(readFileSync(join(inventoryDir, file)));
    }
  }
  return hash.digest("hex");
}

export function sharedEvaluator(cacheDir: string): Evaluator {
  return async (options) => {
    const kept = join(
      cacheDir,
      `${inputsKey(options.projectDir, options.stack, options.stackFileText)}.json`,
    );
    if (existsSync(kept)) return JSON.parse(readFileSync(kept, "utf8")) as Evaluation;
    const evaluation = await evaluateStack(options);
    writeFileSync(kept, JSON.stringify(evaluation));
    return evaluation;
  };
}

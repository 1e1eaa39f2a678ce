/** Runs the real program for a stack under mocks, inside jest's module registry. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateInProcess } from "../../cli/offline/evaluate";
import type { Evaluation, PlannedResource } from "../../cli/offline/evaluation";

export const PROJECT_DIR = join(__dirname, "..", "..");

export function shippedStackText(stack: string): string {
  return readFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
}

/** Evaluates `index.ts` with the given stack file text (default: the shipped file). */
export function evaluateProgram(stack: string, stackFileText?: string): Promise<Evaluation> {
  return evaluateInProcess({
    projectDir: PROJECT_DIR,
    stack,
    stackFileText: stackFileText ?? shippedStackText(stack),
    loadProgram: () => {
      let program: unknown;
      jest.isolateModules(() => {
        program = require(join(PROJECT_DIR, "index.ts"));
      });
      return program;
    },
  });
}

/** The one resource with this name; fails loudly when absent or ambiguous. */
export function resourceNamed(evaluation: Evaluation, name: string): PlannedResource {
  const found = evaluation.resources.filter((r) => r.name === name && r.custom);
  if (found.length !== 1) {
    throw new Error(
      `expected one resource named ${name}, found ${found.length}: ${evaluation.resources.map((r) => r.name).join(", ")}`,
    );
  }
  return found[0];
}

/** A minimal stack file with the given `lappsgrid-jetstream:` values (as YAML text lines). */
export function stackText(lines: string): string {
  return `config:\n${lines}`;
}

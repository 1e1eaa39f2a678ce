/** Runs the real program for a stack under mocks, inside jest's module registry. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateInProcess } from "../../cli/offline/evaluate";
import type { Evaluation, PlannedResource } from "../../cli/offline/evaluation";
import { type Inventory, parseInventory } from "../../cli/offline/inventory";

export const PROJECT_DIR = join(__dirname, "..", "..");

export function shippedStackText(stack: string): string {
  return readFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
}

/**
 * The IU stack with a proxy and a Galaxy the stack built itself (test/fixtures/stacks/README.md);
 * evaluate it as stack "lab" (no inventory): IU's inventory holds a hand-made Galaxy of that name.
 */
export function builtGalaxyStackText(): string {
  return readFileSync(join(PROJECT_DIR, "test", "fixtures", "stacks", "Pulumi.iu.yaml"), "utf8");
}

/** inventory/iu.yaml with its Galaxy carrying the stack's metadata: the one the stack built. */
export function builtGalaxyInventory(): Inventory {
  const text = readFileSync(join(PROJECT_DIR, "inventory", "iu.yaml"), "utf8").replace(
    "    imageId: 00000000-0000-4000-8000-000000000105\n",
    "    imageId: 00000000-0000-4000-8000-000000000105\n    metadata: { lappsgrid-role: service, lappsgrid-size: large }\n",
  );
  return parseInventory(text, "inventory/iu.yaml (Galaxy built by the stack)");
}

/**
 * Evaluates `index.ts` with the given stack file text (default: the shipped file), against the
 * given inventory (default: the project's `inventory/<stack>.yaml`).
 */
export function evaluateProgram(
  stack: string,
  stackFileText?: string,
  inventory?: Inventory,
): Promise<Evaluation> {
  return evaluateInProcess({
    projectDir: PROJECT_DIR,
    stack,
    inventory,
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

/**
 * What `jetstream plan` prints on stderr for a stack serving jetstream.lappsgrid.org over HTTPS
 * with no ACME contact, as the shipped IU stack does until the team's address is set.
 */
export const NO_ACME_CONTACT_WARNING =
  "warning: proxy.tls: certificates for jetstream.lappsgrid.org come from Let's Encrypt with an account that has no contact e-mail (certbot --register-unsafely-without-email), so nobody hears of a certificate about to expire or of account problems; set proxy.tls.acme.email to the team's address, like \"ops@lappsgrid.org\"\n";

/** Validation problems of a stack's values, for tests of what config rejects. */
import { StackConfigError, validateStackConfig } from "../../config";

/** The problems `validateStackConfig` reports; fails the test when the values are accepted. */
export function problemsOf(values: Record<string, unknown>): string[] {
  try {
    validateStackConfig(values, "iu");
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

/** The problems `validateStackConfig` reports for a stack without inventory; none when accepted. */
export function problemsIn(values: Record<string, unknown>, stack = "lab"): string[] {
  try {
    validateStackConfig(values, stack);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  return [];
}

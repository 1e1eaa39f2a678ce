/** The ways a resource diff prints; apart from the printers so `diff --help` loads nothing else. */
export type DiffFormat = "text" | "markdown" | "json";
export const DIFF_FORMATS: readonly DiffFormat[] = ["text", "markdown", "json"];

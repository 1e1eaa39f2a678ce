/**
 * What `jetstream` prints when a verb fails. Verbs raise errors whose message is the whole
 * story for the operator (one line: key, value, what is allowed). A TypeError and its kin are
 * the code's fault, not the input's: the message alone would hide where, so the stack goes too.
 */
const PROGRAMMING_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

const BUG = "jetstream: internal error (a bug; please report it with this output):";

/** A fault of the code, not of the input: never to be caught as "the file is not valid". */
export function isProgrammingError(error: unknown): boolean {
  return error instanceof Error && PROGRAMMING_ERRORS.some((kind) => error.constructor === kind);
}

export function errorReport(error: unknown): string {
  if (!(error instanceof Error)) return `${BUG}\n${JSON.stringify(error) ?? String(error)}`;
  if (isProgrammingError(error)) {
    return `${BUG}\n${error.stack ?? `${error.name}: ${error.message}`}`;
  }
  return `jetstream: ${error.message}`;
}

/**
 * Why another file could not be used, for a message about this one: its first problem, and how
 * many more there are. A guard that says only "not valid" sends the operator off to find out.
 */
export function firstProblem(error: Error, fileName: string): string {
  const [first, ...more] = error.message.split("\n").filter((line) => line.trim() !== "");
  const problem = (first ?? error.name).replace(`${fileName}: `, "").trim();
  return more.length === 0 ? problem : `${problem}; and ${more.length} more`;
}

/** What `jetstream` prints when a verb fails: the operator's message, or all a maintainer needs for a bug. */
import { errorReport } from "../../cli/error-report";

describe("errorReport", () => {
  test("an error a verb raises on purpose prints as its one-line message", () => {
    expect(errorReport(new Error('--stack: no stack "x" in /p; allowed: iu, tacc'))).toBe(
      'jetstream: --stack: no stack "x" in /p; allowed: iu, tacc',
    );
  });

  test("a programming error (TypeError) prints its name and stack, not only its message", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'name')");
    bug.stack =
      "TypeError: Cannot read properties of undefined (reading 'name')\n    at runStackEdit (/p/cli/stack-file/edit-flow.ts:160:20)";
    expect(errorReport(bug)).toBe(
      "jetstream: internal error (a bug; please report it with this output):\n" +
        "TypeError: Cannot read properties of undefined (reading 'name')\n" +
        "    at runStackEdit (/p/cli/stack-file/edit-flow.ts:160:20)",
    );
  });

  test.each([
    ["ReferenceError", new ReferenceError("x is not defined")],
    ["RangeError", new RangeError("Maximum call stack size exceeded")],
  ])("a %s is a programming error too", (name, bug) => {
    bug.stack = `${name}: ${bug.message}\n    at f (/p/cli/main.ts:1:1)`;
    expect(errorReport(bug)).toContain(`\n${name}: ${bug.message}\n    at f (/p/cli/main.ts:1:1)`);
  });

  test("a thrown value that is not an Error is shown as it is", () => {
    expect(errorReport("plain text")).toBe(
      'jetstream: internal error (a bug; please report it with this output):\n"plain text"',
    );
  });
});

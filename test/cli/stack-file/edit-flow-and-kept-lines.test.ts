/**
 * Two shapes an edit must not splice into: a stack file written as one flow map (refused, naming
 * where), and a kept block scalar (`|+`), whose blank lines belong to the file around it.
 */
import { addEntry, NotEditable, setScalar } from "../../../cli/stack-file/edit";

const INSTANCES = ["config", "lappsgrid-jetstream:instances"];
const FLOW =
  "written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again";

function refusal(edit: () => string): string {
  try {
    edit();
  } catch (error) {
    expect(error).toBeInstanceOf(NotEditable);
    return (error as Error).message;
  }
  throw new Error("expected the edit to be refused");
}

test("a whole file written as one flow map is refused at the top level", () => {
  const text = "{config: {lappsgrid-jetstream:cloud: TACC}}\n";
  expect(refusal(() => addEntry(text, INSTANCES, "lappsgrid-web", { size: "small" }))).toBe(
    `(top level): ${FLOW}`,
  );
});

test("a config: written as a flow map is refused as config", () => {
  const text = "config: {lappsgrid-jetstream:cloud: TACC}\n";
  expect(refusal(() => addEntry(text, INSTANCES, "lappsgrid-web", { size: "small" }))).toBe(
    `config: ${FLOW}`,
  );
});

test("a kept block scalar (|+): its trailing lines, blank or blanks only, stay in the file", () => {
  const text =
    "config:\n  lappsgrid-jetstream:proxy:\n    offlineMessage: |+\n      Back soon.\n      \n\n    port: 8080\n";
  expect(setScalar(text, ["config", "lappsgrid-jetstream:proxy", "offlineMessage"], "Back on Monday.")).toBe(
    "config:\n  lappsgrid-jetstream:proxy:\n    offlineMessage: Back on Monday.\n      \n\n    port: 8080\n",
  );
});

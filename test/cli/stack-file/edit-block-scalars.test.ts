/**
 * A value written as a YAML block scalar (`>-` or `|`, as a long offline message or a target
 * written by hand may be) is one value: an edit replaces it and keeps the line break and blank
 * lines after it, so the next key stays on its own line.
 */
import { setScalar } from "../../../cli/stack-file/edit";

const PROXY = ["config", "lappsgrid-jetstream:proxy"];

describe("setScalar over a block scalar", () => {
  test("a folded target followed by another key", () => {
    const text =
      "config:\n  lappsgrid-jetstream:proxy:\n    target: >-\n      lappsgrid-galaxy\n    port: 8080\n";
    expect(setScalar(text, [...PROXY, "target"], "10.0.0.99")).toBe(
      "config:\n  lappsgrid-jetstream:proxy:\n    target: 10.0.0.99\n    port: 8080\n",
    );
  });

  test("a literal message followed by a blank line and another key: the blank line stays", () => {
    const text =
      "config:\n  lappsgrid-jetstream:proxy:\n    offlineMessage: |\n      Back soon.\n      Write to us.\n\n    port: 8080\n";
    expect(setScalar(text, [...PROXY, "offlineMessage"], "Back on Monday.")).toBe(
      "config:\n  lappsgrid-jetstream:proxy:\n    offlineMessage: Back on Monday.\n\n    port: 8080\n",
    );
  });

  test("a folded value followed by a comment line: the comment stays on its line", () => {
    const text =
      "config:\n  lappsgrid-jetstream:proxy:\n    target: >\n      lappsgrid-galaxy\n    # Galaxy's port\n    port: 8080\n";
    expect(setScalar(text, [...PROXY, "target"], "lappsgrid-web")).toBe(
      "config:\n  lappsgrid-jetstream:proxy:\n    target: lappsgrid-web\n    # Galaxy's port\n    port: 8080\n",
    );
  });

  test("a folded value on the file's last line, without a final newline", () => {
    const text = "config:\n  lappsgrid-jetstream:proxy:\n    target: >-\n      lappsgrid-galaxy";
    expect(setScalar(text, [...PROXY, "target"], "lappsgrid-web")).toBe(
      "config:\n  lappsgrid-jetstream:proxy:\n    target: lappsgrid-web",
    );
  });
});

/**
 * Numbers named as the file writes them: the reader records each number whose text differs from
 * how a message shows it, by key path, and refusals put the file's text back.
 */
import { parseDocument } from "yaml";
import {
  keepNumbersAsWritten,
  numbersAsWrittenIn,
  recordNumbers,
  showNumbersAsWritten,
  withNumbersAsWritten,
} from "../../config/numbers-as-written";

const nodeOf = (text: string) => parseDocument(text).contents;

describe("the numbers recorded, by key path", () => {
  test("at the top, in nested maps and in lists; a number written as a message shows it is left out", () => {
    const node = nodeOf("a: 1e3\nb:\n  c: 0x10\n  d: 7\nports: [22, +80, 1E+400]\n");
    expect([...numbersAsWrittenIn(node)]).toEqual([
      ["a", { shown: "1000", source: "1e3" }],
      ["b.c", { shown: "16", source: "0x10" }],
      ["ports.1", { shown: "80", source: "+80" }],
      ["ports.2", { shown: ".inf", source: "1E+400" }],
    ]);
  });

  test("under a setting's name when given one", () => {
    expect([...numbersAsWrittenIn(nodeOf("routers: 1e400\n"), "quotas")]).toEqual([
      ["quotas.routers", { shown: ".inf", source: "1e400" }],
    ]);
  });

  test("a number alone at a setting", () => {
    expect([...numbersAsWrittenIn(nodeOf("0x0A00000C\n"), "target")]).toEqual([
      ["target", { shown: "167772172", source: "0x0A00000C" }],
    ]);
  });
});

describe("refusals with the numbers put back", () => {
  const numbers = numbersAsWrittenIn(nodeOf("size: 1e400\nport: 0x1F90\n"), "proxy");

  test("only the line of the path, and only the number in it", () => {
    expect(
      showNumbersAsWritten(numbers, [
        "proxy.size: .inf is not a size; allowed: tiny, small",
        "proxy.port: 8080 is not a port (8080 is taken)",
        "size: .inf is not a size",
        "a line without a key path",
      ]),
    ).toEqual([
      "proxy.size: 1e400 is not a size; allowed: tiny, small",
      "proxy.port: 0x1F90 is not a port (8080 is taken)",
      "size: .inf is not a size",
      "a line without a key path",
    ]);
  });

  test("recorded per project values, kept for a copy with defaults added, absent for any other", () => {
    const project = {};
    const copy = {};
    recordNumbers(project, "cloud", nodeOf("1e400\n"));
    recordNumbers(project, "sizes", nodeOf("tiny: { vcpus: 0x1 }\n"));
    recordNumbers(project, "proxy", nodeOf("port: 8080\n"));
    keepNumbersAsWritten(project, copy);
    const problems = ["cloud: expected text, got number .inf", "sizes.tiny.vcpus: 1 is not allowed"];
    const asWritten = ["cloud: expected text, got number 1e400", "sizes.tiny.vcpus: 0x1 is not allowed"];
    expect(withNumbersAsWritten(project, problems)).toEqual(asWritten);
    expect(withNumbersAsWritten(copy, problems)).toEqual(asWritten);
    expect(withNumbersAsWritten({}, problems)).toEqual(problems);
  });
});

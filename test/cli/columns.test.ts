/** The plain-text tables `jetstream list` and the benchmarks print. */
import { alignColumns } from "../../cli/columns";

test("each column is as wide as its widest cell, two spaces apart, and no line ends in spaces", () => {
  expect(
    alignColumns([
      ["NAME", "STATE"],
      ["lappsgrid-galaxy", "active"],
      ["proxy", ""],
    ]),
  ).toEqual(["NAME              STATE", "lappsgrid-galaxy  active", "proxy"]);
});

test("right-aligned columns and a rule under the header, as the benchmarks print numbers", () => {
  expect(
    alignColumns(
      [
        ["way", "requests", "max ms"],
        ["reload", "1200", "7"],
        ["rename", "980", "12"],
      ],
      { align: (column) => (column === 0 ? "left" : "right"), underlineHeader: true },
    ),
  ).toEqual([
    "way     requests  max ms",
    "------  --------  ------",
    "reload      1200       7",
    "rename       980      12",
  ]);
});

test("a header alone is one line", () => {
  expect(alignColumns([["NAME", "SIZE"]])).toEqual(["NAME  SIZE"]);
});

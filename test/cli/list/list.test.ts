/** `list` rows from the stack file and from a stack's live outputs. */
import { formatInstanceList, listFromOutputs, listFromStackFile } from "../../../cli/list/list";
import { stackText } from "../../../cli/stack-file/text";
import { shipped } from "../support";

describe("list", () => {
  test("from the stack file: SU per hour is vCPUs times the state's rate", () => {
    const list = listFromStackFile(stackText("iu", shipped("Pulumi.iu.yaml")));
    expect(list.instances.map((row) => [row.name, row.publicAddress, row.suPerHour])).toEqual([
      ["lappsgrid-galaxy", "assign", 16],
      ["lappsgrid-proxy", "149.165.157.82", 1],
    ]);
    expect(list.suPerHour).toBe(17);
  });

  test("--live rows come from the stack's instances output, with the image from the stack file", () => {
    const outputs = {
      instances: {
        "lappsgrid-galaxy": {
          name: "lappsgrid-galaxy",
          size: "large",
          state: "stopped",
          publicIp: "149.165.1.2",
          suPerHour: 8,
        },
        "lappsgrid-old": { name: "lappsgrid-old", size: "tiny", state: "active", suPerHour: 1 },
      },
    };
    const list = listFromOutputs("iu", outputs, stackText("iu", shipped("Pulumi.iu.yaml")));
    expect(formatInstanceList(list)).toBe(
      [
        "Stack iu (live outputs):",
        "NAME              SIZE   IMAGE   STATE    PUBLIC ADDRESS  SU/HOUR",
        "lappsgrid-galaxy  large  docker  stopped  149.165.1.2     8",
        "lappsgrid-old     tiny   ?       active   none            1",
        "Total: 9 SU/hour, 216 SU/day",
        "",
      ].join("\n"),
    );
  });
});

/**
 * delete after a change to the stack file that HEAD does not hold yet: `pulumi up` applies both
 * at once, so deleting the server the applied site forwards to, while the uncommitted change
 * points the site elsewhere, is refused (test/cli/lifecycle/unapplied-change.test.ts has the rest).
 */
import { deleteInstance } from "../../../cli/delete/delete";
import { runStackEdit } from "../../../cli/stack-file/edit-flow";
import { projectWithUncommittedChange } from "../../helpers/git-project";
import { labSite } from "../../helpers/lab-stack";
import { read } from "../support";

function site(target: string): string {
  return labSite(["    mode: online", `    target: ${target}`]);
}

test("delete of the applied site's target after an uncommitted switch to another target is refused", async () => {
  const dir = projectWithUncommittedChange("lab", site("galaxy"), site("web"));
  await expect(
    runStackEdit({ stack: "lab", dir }, (file) => deleteInstance(file, "galaxy", []), {
      evaluate: null,
      write: () => undefined,
      warn: () => undefined,
    }),
  ).rejects.toThrow(
    [
      "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (galaxy: deleted) together with the change since HEAD, not committed yet (proxy.target galaxy -> web), and nothing in one `pulumi up` orders the two:",
      "  error: instances.galaxy: deleted while the site switches away from it: nothing orders the deletion after the switch, so lab.example.org may forward to a server that is gone",
      "  fix: apply the change since HEAD first (`pulumi up --stack lab`, or merge it and let the pipeline apply it), then run this verb again",
    ].join("\n"),
  );
  expect(read(dir, "Pulumi.lab.yaml")).toBe(site("web"));
});

test("delete of an instance the applied site never forwarded to goes ahead", async () => {
  const dir = projectWithUncommittedChange(
    "lab",
    site("galaxy"),
    site("galaxy").replace("size: small", "size: medium"),
  );
  await runStackEdit({ stack: "lab", dir }, (file) => deleteInstance(file, "web", []), {
    evaluate: null,
    write: () => undefined,
    warn: () => undefined,
  });
  expect(read(dir, "Pulumi.lab.yaml")).toBe(site("galaxy").replace("    web:\n      size: small\n", ""));
});

/** A `<stack>/<instance>` proxy target whose stack file cannot be looked at: the reason is the real one. */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { copyProject, read, runVerb, shipped } from "../support";

test("proxy names the read error when another stack's file cannot be read, instead of calling it not valid", () => {
  const dir = copyProject();
  rmSync(join(dir, "Pulumi.tacc.yaml"));
  mkdirSync(join(dir, "Pulumi.tacc.yaml"));
  expect(runVerb(["proxy", "tacc/worker", "--stack", "iu", "--dir", dir])).toEqual({
    code: 1,
    stdout: "",
    stderr:
      "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n" +
      "  proxy.target: Pulumi.tacc.yaml cannot be read (EISDIR: illegal operation on a directory, read), so tacc/lappsgrid-worker cannot be looked up; allowed: a readable stack file\n",
  });
  expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
});

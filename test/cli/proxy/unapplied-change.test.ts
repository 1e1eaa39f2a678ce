/**
 * The site switched to an instance whose resume is not committed yet: `pulumi up` applies both
 * at once, and that pair is ordered (the proxy command waits for its target's server, then for
 * its health gate), so it goes ahead. Switching away from a server that goes down is not
 * ordered: test/cli/lifecycle/unapplied-change.test.ts.
 */
import { setProxyMode, switchProxy } from "../../../cli/proxy/switch";
import { runStackEdit } from "../../../cli/stack-file/edit-flow";
import type { StackEdit, StackText } from "../../../cli/stack-file/text";
import { projectWithUncommittedChange } from "../../helpers/git-project";
import { labSite } from "../../helpers/lab-stack";
import { read } from "../support";

function site(galaxyState: string, proxy: string[]): string {
  return labSite(proxy, [`      state: ${galaxyState}`]);
}

async function edit(dir: string, verb: (file: StackText) => StackEdit): Promise<void> {
  await runStackEdit({ stack: "lab", dir }, verb, {
    evaluate: null,
    write: () => undefined,
    warn: () => undefined,
  });
}

test("proxy to an instance whose resume is not committed yet goes ahead: the switch waits for its server", async () => {
  const online = ["    mode: online", "    target: web"];
  const dir = projectWithUncommittedChange("lab", site("shelved", online), site("active", online));
  await edit(dir, (file) => switchProxy(file, "galaxy"));
  expect(read(dir, "Pulumi.lab.yaml")).toBe(
    site("active", ["    mode: online", "    target: lappsgrid-galaxy"]),
  );
});

test("proxy to an instance launched in the uncommitted change goes ahead: the switch waits for its server and its health gate", async () => {
  const online = ["    mode: online", "    target: web"];
  const withoutGalaxy = site("active", online).replace(
    "    galaxy:\n      size: large\n      state: active\n",
    "",
  );
  expect(withoutGalaxy).not.toContain("galaxy");
  const dir = projectWithUncommittedChange("lab", withoutGalaxy, site("active", online));
  await edit(dir, (file) => switchProxy(file, "galaxy"));
  expect(read(dir, "Pulumi.lab.yaml")).toBe(
    site("active", ["    mode: online", "    target: lappsgrid-galaxy"]),
  );
});

test("online after an uncommitted resume of the target goes ahead", async () => {
  const offline = ["    mode: offline", "    target: galaxy"];
  const dir = projectWithUncommittedChange("lab", site("shelved", offline), site("active", offline));
  await edit(dir, (file) => setProxyMode(file, "online"));
  expect(read(dir, "Pulumi.lab.yaml")).toBe(site("active", ["    mode: online", "    target: galaxy"]));
});

/**
 * An edit of a stack file the program already fails for reports the program's own reason, as
 * `jetstream plan` does, never what Pulumi's runtime prints when a failed program exits.
 */
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyProject, PROJECT_DIR, read, runVerb, shipped } from "./support";

jest.setTimeout(240_000);

const IU = "Pulumi.iu.yaml";
const IMPORT =
  "    import:\n      network: 00000000-0000-4000-8000-000000000120\n      subnet: 00000000-0000-4000-8000-000000000121\n      router: 00000000-0000-4000-8000-000000000122\n      routerInterface: 00000000-0000-4000-8000-000000000123\n";
const REASON =
  "network.name: a network named lappsgrid-network already exists in this project (00000000-0000-4000-8000-000000000120); adopt it: add network.import.network: 00000000-0000-4000-8000-000000000120 (with its subnet, router and interface) to the stack file, or choose another network.name";

/** IU's stack without its network's `import:` block: the program refuses to create a network whose name exists. */
function iuWithoutNetworkImport(): { dir: string; text: string } {
  const original = shipped(IU);
  if (!original.includes(IMPORT))
    throw new Error("test setup: the network import block is not in Pulumi.iu.yaml");
  const text = original.replace(IMPORT, "");
  const dir = copyProject();
  cpSync(join(PROJECT_DIR, "inventory"), join(dir, "inventory"), { recursive: true });
  writeFileSync(join(dir, IU), text);
  return { dir, text };
}

test("plan names the network that exists", () => {
  const { dir, text } = iuWithoutNetworkImport();
  expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
    code: 1,
    stdout: "",
    stderr: `jetstream: ${REASON}\n`,
  });
  expect(read(dir, IU)).toBe(text);
});

test.each([[["launch", "x"]], [["offline"]]])("%p gives the reason plan gives", (argv) => {
  const { dir, text } = iuWithoutNetworkImport();
  expect(runVerb([...argv, "--stack", "iu", "--dir", dir], { resourceDiff: true })).toEqual({
    code: 1,
    stdout: "",
    stderr: `jetstream: Pulumi.iu.yaml left unchanged: the program fails for the stack file as it is, and still after this edit; fix it first (\`jetstream plan --stack iu\`):\n  ${REASON}\n`,
  });
  expect(read(dir, IU)).toBe(text);
});

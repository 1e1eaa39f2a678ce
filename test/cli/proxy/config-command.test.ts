/** `proxy-config` picks its stack as every other verb does: --stack, else $PULUMI_STACK, else the only stack file. */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyProject, runVerb } from "../support";

function outDir(): string {
  return join(mkdtempSync(join(tmpdir(), "proxy-config-stack-")), "out");
}

test("proxy-config without --stack renders the stack $PULUMI_STACK names", () => {
  const out = outDir();
  const result = runVerb(["proxy-config", "--dir", copyProject(), "--mode", "offline", "--out", out], {
    env: { PULUMI_STACK: "iu" },
  });
  expect(result).toMatchObject({ code: 0, stderr: "" });
  expect(existsSync(join(out, "site.conf"))).toBe(true);
});

test("proxy-config without --stack renders the only stack file of the project", () => {
  const out = outDir();
  const dir = copyProject(["Pulumi.yaml", "Pulumi.iu.yaml"]);
  const result = runVerb(["proxy-config", "--dir", dir, "--mode", "offline", "--out", out]);
  expect(result).toMatchObject({ code: 0, stderr: "" });
  expect(existsSync(join(out, "offline.html"))).toBe(true);
});

test("proxy-config --stack naming no stack file says which stacks there are", () => {
  const dir = copyProject();
  const result = runVerb([
    "proxy-config",
    "--stack",
    "nope",
    "--dir",
    dir,
    "--mode",
    "offline",
    "--out",
    outDir(),
  ]);
  expect(result).toEqual({
    code: 1,
    stdout: "",
    stderr: `jetstream: --stack: no stack "nope" in ${dir}; allowed: iu, tacc\n`,
  });
});

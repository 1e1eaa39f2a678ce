/** `openrc import` says where a stack CI deploys must keep its credential: the environment only. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGitopsCli } from "./run-cli";

const FIXTURES = join(__dirname, "..", "fixtures", "openrc");

function importInto(stackFile: string) {
  const dir = mkdtempSync(join(tmpdir(), "openrc-ci-"));
  writeFileSync(join(dir, "Pulumi.iu.yaml"), stackFile);
  return runGitopsCli([
    "openrc",
    "import",
    join(FIXTURES, "app-credential.sh"),
    "--stack",
    "iu",
    "--dir",
    dir,
  ]);
}

const baseStackFile = readFileSync(join(FIXTURES, "Pulumi.iu.yaml"), "utf8");

test("openrc import warns that a credential in the stack file wins over CI's", () => {
  const run = importInto(baseStackFile);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(
    "  Warning: for a stack CI deploys, keep the credential in the environment only: stored in the\n" +
      "  stack file it wins over the OS_* secrets CI hands in (the provider reads those only as a\n" +
      "  fallback), and CI refuses to deploy a stack file that holds one.\n",
  );
});

test("openrc import names a credential the stack file already holds, and how to remove it", () => {
  const run = importInto(
    `${baseStackFile}  openstack:applicationCredentialSecret:\n    secure: v1:FAKEciphertextDDDD==\n`,
  );
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(
    "Warning: Pulumi.iu.yaml holds openstack:applicationCredentialSecret, which wins over CI's OS_* secrets; " +
      "remove it with `pulumi config rm openstack:applicationCredentialSecret --stack iu` if CI deploys this stack\n",
  );
});

test("a stack file without a stored credential gets no such line", () => {
  const dir = mkdtempSync(join(tmpdir(), "openrc-ci-"));
  copyFileSync(join(FIXTURES, "Pulumi.iu.yaml"), join(dir, "Pulumi.iu.yaml"));
  const run = runGitopsCli([
    "openrc",
    "import",
    join(FIXTURES, "app-credential.sh"),
    "--stack",
    "iu",
    "--dir",
    dir,
  ]);
  expect(run.stdout).not.toContain("Warning: Pulumi.iu.yaml holds");
});

/** `openrc import` says where a stack CI deploys must keep its credential: the environment only. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGitopsCli } from "./run-cli";

const FIXTURES = join(__dirname, "..", "fixtures", "openrc");

function importInto(stackFile: string) {
  const dir = mkdtempSync(join(tmpdir(), "openrc-ci-"));
  writeFileSync(join(dir, "Pulumi.iu.yaml"), stackFile);
  copyFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
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

test("openrc import says first to keep a CI-deployed stack's credential in the environment, and why", () => {
  const run = importInto(baseStackFile);
  expect(run.status).toBe(0);
  const advice = run.stdout.slice(run.stdout.indexOf("Secrets are not written"));
  expect(advice).toBe(
    [
      "Secrets are not written to the stack file. Store them one of these ways:",
      "  for a stack CI deploys (the usual case), in the environment only: `source` the openrc file",
      '  before `pulumi preview/up`, and in CI as GitHub secrets of the "iu" environment',
      "  (Settings > Environments > iu):",
      "    OS_APPLICATION_CREDENTIAL_ID, OS_APPLICATION_CREDENTIAL_SECRET",
      "  for a stack only you deploy, encrypted in the stack file by the stack's secrets provider",
      "  (each command prompts for the value; never pass it as an argument, shell history keeps it):",
      "    pulumi config set --secret openstack:applicationCredentialId --stack iu",
      "    pulumi config set --secret openstack:applicationCredentialSecret --stack iu",
      "  Warning: stored in the stack file, a credential wins over the OS_* secrets CI hands in (the",
      "  provider reads those only as a fallback), and CI refuses to deploy a stack file that holds one.",
      "",
      "Next: jetstream plan --stack iu, then pulumi preview --stack iu",
      "",
    ].join("\n"),
  );
});

test("openrc import names a credential the stack file already holds, and how to remove it", () => {
  const run = importInto(
    `${baseStackFile}  openstack:applicationCredentialSecret:\n    secure: v1:FAKEciphertextDDDD==\n`,
  );
  expect(run.status).toBe(0);
  // A warning: on stderr, where the verbs print theirs; stdout keeps the report.
  expect(run.stderr).toBe(
    "warning: Pulumi.iu.yaml holds openstack:applicationCredentialSecret, which wins over CI's OS_* secrets; " +
      "remove it with `pulumi config rm openstack:applicationCredentialSecret --stack iu` if CI deploys this stack\n",
  );
  expect(run.stdout).not.toContain("Pulumi.iu.yaml holds");
});

test("a stack file without a stored credential gets no such line", () => {
  const dir = mkdtempSync(join(tmpdir(), "openrc-ci-"));
  copyFileSync(join(FIXTURES, "Pulumi.iu.yaml"), join(dir, "Pulumi.iu.yaml"));
  copyFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const run = runGitopsCli([
    "openrc",
    "import",
    join(FIXTURES, "app-credential.sh"),
    "--stack",
    "iu",
    "--dir",
    dir,
  ]);
  expect(run.stdout + run.stderr).not.toContain("Pulumi.iu.yaml holds");
});

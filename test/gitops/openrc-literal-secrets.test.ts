/** An openrc with the password and a token written in it: neither reaches the stack file or the output. */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGitopsCli } from "./run-cli";

const FIXTURES = join(__dirname, "..", "fixtures", "openrc");
const PASSWORD = "FAKE-literal-p4ss w0rd";
const TOKEN = "FAKE-literal-token-7c1e0d";

test("openrc import of a file holding OS_PASSWORD and OS_TOKEN writes only the non-secret settings and names the secrets, never their values", () => {
  const openrc = join(FIXTURES, "password-literal.sh");
  expect(readFileSync(openrc, "utf8")).toContain(`export OS_PASSWORD='${PASSWORD}'`);
  expect(readFileSync(openrc, "utf8")).toContain(`export OS_TOKEN=${TOKEN}`);
  const dir = mkdtempSync(join(tmpdir(), "openrc-literal-"));
  const path = join(dir, "Pulumi.iu.yaml");
  copyFileSync(join(FIXTURES, "Pulumi.iu.yaml"), path);
  copyFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const before = readFileSync(path, "utf8");

  const run = runGitopsCli(["openrc", "import", openrc, "--stack", "iu", "--dir", dir]);

  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(readFileSync(path, "utf8")).toBe(
    `${before}\n` +
      "  # OpenStack provider settings from `jetstream openrc import` (no secrets: see the operator's guide).\n" +
      "  openstack:authUrl: https://js2.jetstream-cloud.org:5000/v3/\n" +
      "  openstack:region: IU\n" +
      "  openstack:tenantName: CIS000000\n" +
      "  openstack:userName: operator@access-ci.org\n" +
      "  openstack:userDomainName: access\n" +
      "  openstack:projectDomainName: default\n",
  );
  expect(run.stdout).toContain(
    "    pulumi config set --secret openstack:password --stack iu\n" +
      "    pulumi config set --secret openstack:token --stack iu\n",
  );
  expect(run.stdout).toContain("    OS_PASSWORD, OS_TOKEN\n");
  const written = readFileSync(path, "utf8");
  for (const fragment of [PASSWORD, TOKEN, "p4ss", "7c1e0d"]) {
    expect({ fragment, in: "stack file", found: written.includes(fragment) }).toEqual({
      fragment,
      in: "stack file",
      found: false,
    });
    expect({ fragment, in: "output", found: `${run.stdout}${run.stderr}`.includes(fragment) }).toEqual({
      fragment,
      in: "output",
      found: false,
    });
  }
});

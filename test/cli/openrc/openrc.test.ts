import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importOpenrc } from "../../../cli/openrc/import";
import { parseOpenrc } from "../../../cli/openrc/parse";
import { readOpenrc } from "../../../cli/openrc/provider";
import { runGitopsCli } from "../../gitops/run-cli";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "openrc");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const FAKE_SECRETS = ["FAKE-appcred-id-4f1c9e", "FAKE-appcred-secret-9b7d2a", "FAKE-$ecret"];
const JS2 = "https://js2.jetstream-cloud.org:5000/v3/";

describe("openrc files: each form reads to the provider's non-secret settings", () => {
  test.each([
    {
      file: "app-credential.sh",
      form: "application-credential",
      settings: { "openstack:authUrl": JS2, "openstack:region": "IU", "openstack:endpointType": "public" },
      secrets: [
        {
          variable: "OS_APPLICATION_CREDENTIAL_ID",
          configKey: "openstack:applicationCredentialId",
          prompted: false,
        },
        {
          variable: "OS_APPLICATION_CREDENTIAL_SECRET",
          configKey: "openstack:applicationCredentialSecret",
          prompted: false,
        },
      ],
      ignored: ["OS_AUTH_TYPE", "OS_IDENTITY_API_VERSION"],
    },
    {
      file: "password-prompt.sh",
      form: "password",
      settings: {
        "openstack:authUrl": JS2,
        "openstack:region": "TACC",
        "openstack:tenantName": "CIS000000",
        "openstack:tenantId": "0123456789abcdef0123456789abcdef",
        "openstack:userName": "operator@access-ci.org",
        "openstack:userDomainName": "access",
        "openstack:projectDomainId": "default",
        "openstack:endpointType": "public",
      },
      secrets: [{ variable: "OS_PASSWORD", configKey: "openstack:password", prompted: true }],
      ignored: ["OS_IDENTITY_API_VERSION", "OS_PASSWORD_INPUT"],
    },
    {
      file: "password-if-block.sh",
      form: "password",
      settings: {
        "openstack:authUrl": JS2,
        "openstack:tenantName": "CIS000000",
        "openstack:userName": "operator@access-ci.org",
        "openstack:userDomainName": "access",
        "openstack:projectDomainName": "default",
      },
      secrets: [{ variable: "OS_PASSWORD", configKey: "openstack:password", prompted: true }],
      ignored: ["OS_PASSWORD_INPUT"],
    },
    {
      file: "quoting.sh",
      form: "application-credential",
      settings: {
        "openstack:authUrl": JS2,
        "openstack:region": "IU",
        "openstack:userName": "operator@access-ci.org",
        "openstack:userDomainName": "access",
        "openstack:endpointType": "public",
        "openstack:applicationCredentialName": "lappsgrid-ci #1",
      },
      secrets: [
        {
          variable: "OS_APPLICATION_CREDENTIAL_SECRET",
          configKey: "openstack:applicationCredentialSecret",
          prompted: false,
        },
      ],
      ignored: ["OS_CUSTOM_THING", "OS_PROJECT_NAME"],
    },
    {
      file: "app-credential-with-project.sh",
      form: "application-credential",
      settings: { "openstack:authUrl": JS2, "openstack:region": "IU" },
      secrets: [
        {
          variable: "OS_APPLICATION_CREDENTIAL_ID",
          configKey: "openstack:applicationCredentialId",
          prompted: false,
        },
        {
          variable: "OS_APPLICATION_CREDENTIAL_SECRET",
          configKey: "openstack:applicationCredentialSecret",
          prompted: false,
        },
      ],
      ignored: [
        "OS_AUTH_TYPE",
        "OS_PROJECT_DOMAIN_ID",
        "OS_PROJECT_NAME",
        "OS_USERNAME",
        "OS_USER_DOMAIN_NAME",
      ],
    },
  ])("$file is the $form form", ({ file, form, settings, secrets, ignored }) => {
    const result = readOpenrc(fixture(file), file);
    expect(result.form).toBe(form);
    expect(result.settings).toEqual(settings);
    expect(result.secrets).toEqual(secrets);
    expect(result.ignored.map((entry) => entry.variable)).toEqual(ignored);
    // The result is printed: no secret value may be in it.
    for (const secret of FAKE_SECRETS) expect(JSON.stringify(result)).not.toContain(secret);
  });

  test("an application credential never carries a project scope or a user: Keystone refuses them", () => {
    const { ignored } = readOpenrc(fixture("app-credential-with-project.sh"), "openrc.sh");
    expect(ignored.filter((entry) => entry.variable !== "OS_AUTH_TYPE")).toEqual([
      {
        variable: "OS_PROJECT_DOMAIN_ID",
        why: "an application credential is already scoped to its project; Keystone refuses a second scope",
      },
      {
        variable: "OS_PROJECT_NAME",
        why: "an application credential is already scoped to its project; Keystone refuses a second scope",
      },
      { variable: "OS_USERNAME", why: "not used with an application credential ID" },
      { variable: "OS_USER_DOMAIN_NAME", why: "not used with an application credential ID" },
    ]);
  });

  test.each([
    "app-credential.sh",
    "app-credential-with-project.sh",
    "password-prompt.sh",
    "password-if-block.sh",
    "quoting.sh",
  ])("%s: the parser leaves the same OS_* variables as bash sourcing it", (file) => {
    // Real bash, clean environment, a typed password on stdin for the prompt forms.
    const script = `source "$1" >/dev/null; for v in \${!OS_@}; do printf '%s=%s\\0' "$v" "\${!v}"; done`;
    const run = spawnSync("env", ["-i", "bash", "-c", script, "bash", join(FIXTURES, file)], {
      input: "typed-at-the-prompt\n",
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const fromBash = Object.fromEntries(
      run.stdout
        .split("\0")
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
    );
    const parsed = parseOpenrc(fixture(file), file);
    const fromParser = Object.fromEntries(
      [...parsed]
        .filter(([name]) => name.startsWith("OS_"))
        .map(([name, value]) => [name, value.prompted ? "typed-at-the-prompt" : value.text]),
    );
    expect(fromParser).toEqual(fromBash);
  });
});

describe("malformed openrc files name the line and what is allowed", () => {
  test.each([
    [
      "unterminated-quote.sh",
      `unterminated-quote.sh:7: unterminated quote: the " opened here is not closed on this line`,
    ],
    [
      "unsupported-command.sh",
      'unsupported-command.sh:2: unsupported command "source"; allowed: export NAME=VALUE, NAME=VALUE, unset NAME, echo, printf, read NAME, if [ -z "$NAME" ]; then ... fi, comments',
    ],
    [
      "command-substitution.sh",
      "command-substitution.sh:2: command substitution is not supported; write the value itself",
    ],
    ["unclosed-if.sh", 'unclosed-if.sh:3: "if" is never closed by "fi"'],
    ["stray-fi.sh", 'stray-fi.sh:2: "fi" without "if ... then"'],
    [
      "unsupported-auth-type.sh",
      'unsupported-auth-type.sh:1: OS_AUTH_TYPE "token" is not supported; allowed: v3applicationcredential, v3password, password',
    ],
    [
      "no-auth-url.sh",
      "no-auth-url.sh: OS_AUTH_URL is not set; an openrc file from Horizon or the Jetstream2 docs always sets it",
    ],
    [
      "no-credentials.sh",
      "no-credentials.sh: no credentials; expected OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET, or OS_USERNAME and OS_PASSWORD",
    ],
    [
      "app-credential-without-secret.sh",
      "app-credential-without-secret.sh: application credential form without OS_APPLICATION_CREDENTIAL_SECRET; download the openrc again when creating the credential",
    ],
    ["line-continuation.sh", "line-continuation.sh:1: line continuation (\\ at the end) is not supported"],
    [
      "unsupported-condition.sh",
      'unsupported-condition.sh:2: unsupported condition "grep -q x /etc/hosts"; allowed: [ -z "$NAME" ], [ -n "$NAME" ]',
    ],
    [
      "shell-operator.sh",
      'shell-operator.sh:2: shell operator "&" is not supported; allowed: export NAME=VALUE, NAME=VALUE, unset NAME, echo, printf, read NAME, if [ -z "$NAME" ]; then ... fi, comments',
    ],
    [
      "bad-variable-name.sh",
      'bad-variable-name.sh:2: "1OS_USERNAME" is not a variable name; allowed: letters, digits and _',
    ],
  ])("%s", (file, message) => {
    expect(() => readOpenrc(fixture(join("malformed", file)), file)).toThrow(message);
    try {
      readOpenrc(fixture(join("malformed", file)), file);
    } catch (error) {
      expect((error as Error).message).toBe(message);
    }
  });
});

function stackCopy(name = "Pulumi.iu.yaml", stack = "iu"): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "openrc-"));
  const path = join(dir, `Pulumi.${stack}.yaml`);
  copyFileSync(join(FIXTURES, name), path);
  return { dir, path };
}

describe("openrc import writes the stack file", () => {
  test("adds only the provider settings, below a heading, and keeps the rest byte-for-byte", () => {
    const { dir, path } = stackCopy();
    const before = readFileSync(path, "utf8");
    const output = importOpenrc(join(FIXTURES, "app-credential.sh"), "iu", dir).join("\n");
    const after = readFileSync(path, "utf8");
    expect(after).toBe(
      `${before}\n` +
        "  # OpenStack provider settings from `jetstream openrc import` (no secrets: see the operator's guide).\n" +
        `  openstack:authUrl: ${JS2}\n` +
        "  openstack:region: IU\n" +
        "  openstack:endpointType: public\n",
    );
    for (const secret of FAKE_SECRETS) {
      expect(after).not.toContain(secret);
      expect(output).not.toContain(secret);
    }
    expect(output).toContain("pulumi config set --secret openstack:applicationCredentialId --stack iu");
    expect(output).toContain("pulumi config set --secret openstack:applicationCredentialSecret --stack iu");
    expect(output).toContain("OS_APPLICATION_CREDENTIAL_ID, OS_APPLICATION_CREDENTIAL_SECRET");
  });

  test("importing the same file again changes nothing", () => {
    const { dir, path } = stackCopy();
    importOpenrc(join(FIXTURES, "app-credential.sh"), "iu", dir);
    const once = readFileSync(path, "utf8");
    const output = importOpenrc(join(FIXTURES, "app-credential.sh"), "iu", dir);
    expect(readFileSync(path, "utf8")).toBe(once);
    expect(output[1]).toBe("  already up to date; nothing changed");
  });

  test("switching to an application credential drops the password form's identity keys, keeps secure values", () => {
    const { dir, path } = stackCopy("Pulumi.password-form.yaml", "tacc");
    const output = importOpenrc(join(FIXTURES, "app-credential.sh"), "tacc", dir);
    expect(readFileSync(path, "utf8")).toBe(
      [
        "config:",
        "  lappsgrid-jetstream:cloud: TACC",
        "  # OpenStack provider settings from `jetstream openrc import` (no secrets: see the operator's guide).",
        `  openstack:authUrl: ${JS2}`,
        "  openstack:region: IU",
        "  openstack:password:",
        "    secure: v1:FAKEpasswordciphertext==",
        "  lappsgrid-jetstream:images:",
        "    docker: Featured-Ubuntu22-Docker",
        "  openstack:endpointType: public",
        "",
      ].join("\n"),
    );
    expect(output.slice(1, 5)).toEqual([
      "  ~ openstack:region: TACC -> IU",
      "  - openstack:tenantName (not set by this openrc file)",
      "  - openstack:userName (not set by this openrc file)",
      "  + openstack:endpointType: public",
    ]);
  });

  test("a malformed openrc leaves the stack file untouched", () => {
    const { dir, path } = stackCopy();
    const before = readFileSync(path, "utf8");
    expect(() => importOpenrc(join(FIXTURES, "malformed", "unterminated-quote.sh"), "iu", dir)).toThrow(
      "unterminated-quote.sh:7: unterminated quote",
    );
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  test.each([
    ["a missing openrc file", "nowhere.sh", "does not exist"],
    ["a directory", "malformed", "is a directory, not an openrc file"],
  ])("%s is named for what it is, with the fix", (_case, name, why) => {
    const { dir, path } = stackCopy();
    const before = readFileSync(path, "utf8");
    expect(() => importOpenrc(join(FIXTURES, name), "iu", dir)).toThrow(
      `openrc file ${join(FIXTURES, name)} ${why}; pass the path of the file Horizon gave you`,
    );
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  test("an unknown stack is refused with the path it looked for", () => {
    const { dir } = stackCopy();
    expect(() => importOpenrc(join(FIXTURES, "app-credential.sh"), "jetstream1", dir)).toThrow(
      `no stack file for stack "jetstream1": ${join(dir, "Pulumi.jetstream1.yaml")} does not exist; copy Pulumi.iu.yaml to start one, then import again`,
    );
  });

  test("the command prints the settings and the secret's instructions, and needs --stack among several stacks", () => {
    const { dir } = stackCopy();
    copyFileSync(join(__dirname, "..", "..", "..", "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    const file = join(FIXTURES, "app-credential.sh");
    const run = runGitopsCli(["openrc", "import", file, "--stack", "iu", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n").slice(0, 4)).toEqual([
      "Pulumi.iu.yaml: OpenStack provider settings from app-credential.sh (application credential form)",
      `  + openstack:authUrl: ${JS2}`,
      "  + openstack:region: IU",
      "  + openstack:endpointType: public",
    ]);
    for (const secret of FAKE_SECRETS) expect(run.stdout).not.toContain(secret);

    copyFileSync(join(__dirname, "..", "..", "..", "Pulumi.tacc.yaml"), join(dir, "Pulumi.tacc.yaml"));
    const missing = runGitopsCli(["openrc", "import", file, "--dir", dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      "jetstream: --stack: required when the project has several stacks; allowed: iu, tacc\n",
    );
  });
});

/**
 * openrc import into the right cloud: the provider settings it writes win over the OS_* variables
 * CI hands in, so a region or auth URL of the other stack's cloud, or an auth URL that is not
 * https, would point every deploy of the stack at the wrong place (or send the credential in
 * clear text). Each refusal exits 1 and leaves every stack file byte-identical.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyProject, read, runVerb, shipped } from "./support";

jest.setTimeout(60_000);

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";
const JS2 = "https://js2.jetstream-cloud.org:5000/v3/";

/** An application-credential openrc (fake values) with these lines after the credential. */
function openrc(lines: string[]): string {
  return [
    "export OS_AUTH_TYPE=v3applicationcredential",
    "export OS_APPLICATION_CREDENTIAL_ID=FAKE-appcred-id-4f1c9e",
    "export OS_APPLICATION_CREDENTIAL_SECRET=FAKE-appcred-secret-9b7d2a",
    ...lines,
    "",
  ].join("\n");
}

function importInto(stack: string, lines: string[], edit?: { file: string; text: string }) {
  const dir = copyProject();
  if (edit) writeFileSync(join(dir, edit.file), edit.text);
  writeFileSync(join(dir, "openrc.sh"), openrc(lines));
  const before = { [IU]: read(dir, IU), [TACC]: read(dir, TACC) };
  const run = runVerb(["openrc", "import", join(dir, "openrc.sh"), "--stack", stack, "--dir", dir]);
  return { dir, run, before };
}

function expectUnchanged(dir: string, before: Record<string, string>): void {
  for (const [file, text] of Object.entries(before)) expect(read(dir, file)).toBe(text);
}

/** The IU stack after its own openrc import: its provider settings recorded in its file. */
const IU_IMPORTED = `${shipped(IU)}  openstack:authUrl: ${JS2}\n  openstack:region: IU\n`;

describe("openrc import refuses the other cloud's region", () => {
  test.each([
    ["IU's region into the TACC stack", "tacc", "IU", "iu", "IU", "TACC"],
    ["the same in lower case", "tacc", "iu", "iu", "IU", "TACC"],
    ["TACC's region into the IU stack", "iu", "TACC", "tacc", "TACC", "IU"],
  ])("%s", (_case, stack, region, owner, ownerCloud, expected) => {
    const { dir, run, before } = importInto(stack, [
      `export OS_AUTH_URL=${JS2}`,
      `export OS_REGION_NAME=${region}`,
    ]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: openrc.sh:5: OS_REGION_NAME "${region}" is the region of stack ${owner} (cloud ${ownerCloud} in Pulumi.${owner}.yaml), not of stack ${stack}; allowed: the region of cloud ${expected}: import the openrc file of ${expected}'s allocation, or pass --stack ${owner}\n`,
    });
    expectUnchanged(dir, before);
  });

  test("a stack file already holding the other cloud's region (an earlier import) does not make it its own", () => {
    const taccText = `${shipped(TACC)}  openstack:region: IU\n`;
    const { dir, run, before } = importInto(
      "tacc",
      [`export OS_AUTH_URL=${JS2}`, "export OS_REGION_NAME=IU"],
      {
        file: TACC,
        text: taccText,
      },
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: openrc.sh:5: OS_REGION_NAME "IU" is the region of stack iu (cloud IU in Pulumi.iu.yaml), not of stack tacc; allowed: the region of cloud TACC: import the openrc file of TACC\'s allocation, or pass --stack iu\n',
    });
    expectUnchanged(dir, before);
  });

  test("a region another stack's file records under openstack:region is that stack's", () => {
    const iuText =
      shipped(IU).replace("lappsgrid-jetstream:cloud: IU", "lappsgrid-jetstream:cloud: Indiana") +
      "  openstack:region: RegionOne\n";
    const { dir, run, before } = importInto(
      "tacc",
      [`export OS_AUTH_URL=${JS2}`, "export OS_REGION_NAME=RegionOne"],
      {
        file: IU,
        text: iuText,
      },
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: openrc.sh:5: OS_REGION_NAME "RegionOne" is the region of stack iu (openstack:region in Pulumi.iu.yaml), not of stack tacc; allowed: the region of cloud TACC: import the openrc file of TACC\'s allocation, or pass --stack iu\n',
    });
    expectUnchanged(dir, before);
  });

  test("the stack's own region is imported", () => {
    const { dir, run } = importInto("tacc", [`export OS_AUTH_URL=${JS2}`, "export OS_REGION_NAME=TACC"]);
    expect(run.code).toBe(0);
    expect(read(dir, TACC)).toBe(
      `${shipped(TACC)}\n` +
        "  # OpenStack provider settings from `jetstream openrc import` (no secrets: see the operator's guide).\n" +
        `  openstack:authUrl: ${JS2}\n` +
        "  openstack:region: TACC\n",
    );
  });
});

describe("openrc import cannot check against a stack file it cannot read", () => {
  test("another stack's file that is not YAML stops the import, naming that file", () => {
    const { dir, run, before } = importInto(
      "tacc",
      [`export OS_AUTH_URL=${JS2}`, "export OS_REGION_NAME=TACC"],
      {
        file: IU,
        text: "config:\n  a: [\n",
      },
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml cannot be read (not valid YAML at line 2, column 6: a: the [ opened here is never closed; allowed: close it with ] (a: [)), so whether this openrc file is stack iu's cannot be checked; fix it first (`jetstream plan --stack iu`)\n",
    });
    expectUnchanged(dir, before);
  });

  test("a directory in place of another stack's file is named for what it is", () => {
    const dir = copyProject();
    rmSync(join(dir, IU));
    mkdirSync(join(dir, IU));
    writeFileSync(
      join(dir, "openrc.sh"),
      openrc([`export OS_AUTH_URL=${JS2}`, "export OS_REGION_NAME=TACC"]),
    );
    const before = read(dir, TACC);
    expect(runVerb(["openrc", "import", join(dir, "openrc.sh"), "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml cannot be read (is a directory, not a stack file), so whether this openrc file is stack iu's cannot be checked; fix it first (`jetstream plan --stack iu`)\n",
    });
    expect(read(dir, TACC)).toBe(before);
  });

  test("the stack's own file that is not YAML is named in one line", () => {
    const { dir, run, before } = importInto(
      "tacc",
      [`export OS_AUTH_URL=${JS2}`, "export OS_REGION_NAME=TACC"],
      {
        file: TACC,
        text: "config:\n  a: [\n",
      },
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml: not valid YAML at line 2, column 6: a: the [ opened here is never closed; allowed: close it with ] (a: [)\n",
    });
    expectUnchanged(dir, before);
  });
});

describe("openrc import refuses the other cloud's auth URL", () => {
  test("an auth URL another stack records, with no region to tell the clouds apart, is refused", () => {
    const { dir, run, before } = importInto(
      "tacc",
      ["export OS_AUTH_URL=https://JS2.jetstream-cloud.org:5000/v3"],
      { file: IU, text: IU_IMPORTED },
    );
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: openrc.sh:4: OS_AUTH_URL \"https://JS2.jetstream-cloud.org:5000/v3\" is the auth URL of stack iu (openstack:authUrl in Pulumi.iu.yaml, region IU) and this file sets no other OS_REGION_NAME, so stack tacc would deploy into iu's cloud; allowed: the openrc file of TACC's allocation, or pass --stack iu\n",
    });
    expectUnchanged(dir, before);
  });

  test("the same auth URL with the stack's own region is imported (one Keystone, two regions)", () => {
    const { dir, run } = importInto("tacc", [`export OS_AUTH_URL=${JS2}`, "export OS_REGION_NAME=TACC"], {
      file: IU,
      text: IU_IMPORTED,
    });
    expect(run.code).toBe(0);
    expect(read(dir, TACC)).toContain("  openstack:region: TACC\n");
  });
});

describe("openrc import requires an https auth URL that parses", () => {
  const ALLOWED = `allowed: an https:// URL as Horizon writes it, like ${JS2}`;
  test.each([
    [
      "http://",
      "http://js2.jetstream-cloud.org:5000/v3/",
      `"http://js2.jetstream-cloud.org:5000/v3/" is not https (the credential would cross the network in clear text)`,
    ],
    [
      "no scheme",
      "js2.jetstream-cloud.org:5000/v3/",
      `"js2.jetstream-cloud.org:5000/v3/" is not an https URL`,
    ],
    ["not a URL at all", "https://", `"https://" is not a URL`],
    [
      "a port out of range",
      "https://js2.jetstream-cloud.org:99999/v3/",
      `"https://js2.jetstream-cloud.org:99999/v3/" is not a URL`,
    ],
    [
      "another scheme",
      "ftp://js2.jetstream-cloud.org/v3/",
      `"ftp://js2.jetstream-cloud.org/v3/" is not an https URL`,
    ],
  ])("%s is refused", (_case, url, why) => {
    const { dir, run, before } = importInto("iu", [`export OS_AUTH_URL=${url}`, "export OS_REGION_NAME=IU"]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: openrc.sh:4: OS_AUTH_URL ${why}; ${ALLOWED}\n`,
    });
    expectUnchanged(dir, before);
  });

  test("a user name and password inside the URL are refused without printing them", () => {
    const { dir, run, before } = importInto("iu", [
      "export OS_AUTH_URL=https://operator:FAKE-pw-77@js2.jetstream-cloud.org:5000/v3/",
    ]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: openrc.sh:4: OS_AUTH_URL holds a user name or password (USER:PASSWORD@HOST), which would be written to the stack file; ${ALLOWED}\n`,
    });
    expect(run.stderr).not.toContain("FAKE-pw-77");
    expectUnchanged(dir, before);
  });
});

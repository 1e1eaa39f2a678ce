/**
 * From openrc variables to the provider's settings: which go to the stack file, which are secrets
 * (named, never their values), which are dropped and why, and the refusals with file and line.
 */
import { LOGIN_KEYS, MANAGED_PROVIDER_KEYS, readOpenrc } from "../../../cli/openrc/provider";

const AUTH = "export OS_AUTH_URL=https://js2.jetstream-cloud.org:5000/v3/";
const URL = "https://js2.jetstream-cloud.org:5000/v3/";
const rc = (...lines: string[]) => `${lines.join("\n")}\n`;
const read = (...lines: string[]) => readOpenrc(rc(...lines), "openrc.sh");

function refusal(...lines: string[]): string {
  try {
    read(...lines);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the openrc to be refused");
}

const SCOPE = "an application credential is already scoped to its project; Keystone refuses a second scope";

test("the provider keys an import owns, and the keys that hold a login", () => {
  expect(MANAGED_PROVIDER_KEYS).toEqual([
    "authUrl",
    "region",
    "tenantName",
    "tenantId",
    "userName",
    "userId",
    "userDomainName",
    "userDomainId",
    "projectDomainName",
    "projectDomainId",
    "domainName",
    "domainId",
    "defaultDomain",
    "endpointType",
    "applicationCredentialName",
  ]);
  expect(LOGIN_KEYS).toEqual([
    "openstack:applicationCredentialId",
    "openstack:applicationCredentialSecret",
    "openstack:password",
    "openstack:token",
  ]);
});

describe("the password form", () => {
  test("every plain variable goes to its provider key, in the provider's order", () => {
    const result = read(
      "export OS_INTERFACE=internal",
      "export OS_DEFAULT_DOMAIN=default",
      "export OS_DOMAIN_ID=d-id",
      "export OS_DOMAIN_NAME=d-name",
      "export OS_PROJECT_DOMAIN_ID=pd-id",
      "export OS_PROJECT_DOMAIN_NAME=pd-name",
      "export OS_USER_DOMAIN_ID=ud-id",
      "export OS_USER_DOMAIN_NAME=access",
      "export OS_USER_ID=u-id",
      "export OS_USERNAME=operator",
      "export OS_PROJECT_ID=p-id",
      "export OS_PROJECT_NAME=CIS000000",
      "export OS_REGION_NAME=IU",
      AUTH,
      "export OS_PASSWORD=literal-pass",
    );
    expect(result).toEqual({
      form: "password",
      settings: {
        "openstack:authUrl": URL,
        "openstack:region": "IU",
        "openstack:tenantName": "CIS000000",
        "openstack:tenantId": "p-id",
        "openstack:userName": "operator",
        "openstack:userId": "u-id",
        "openstack:userDomainName": "access",
        "openstack:userDomainId": "ud-id",
        "openstack:projectDomainName": "pd-name",
        "openstack:projectDomainId": "pd-id",
        "openstack:domainName": "d-name",
        "openstack:domainId": "d-id",
        "openstack:defaultDomain": "default",
        "openstack:endpointType": "internal",
      },
      // Each setting's line in the file above, for messages that point at it.
      lines: {
        "openstack:endpointType": 1,
        "openstack:defaultDomain": 2,
        "openstack:domainId": 3,
        "openstack:domainName": 4,
        "openstack:projectDomainId": 5,
        "openstack:projectDomainName": 6,
        "openstack:userDomainId": 7,
        "openstack:userDomainName": 8,
        "openstack:userId": 9,
        "openstack:userName": 10,
        "openstack:tenantId": 11,
        "openstack:tenantName": 12,
        "openstack:region": 13,
        "openstack:authUrl": 14,
      },
      secrets: [{ variable: "OS_PASSWORD", configKey: "openstack:password", prompted: false }],
      ignored: [],
    });
    expect(JSON.stringify(result)).not.toContain("literal-pass");
  });

  test("PROJECT wins over TENANT and INTERFACE over ENDPOINT_TYPE, whatever the order in the file", () => {
    const { settings } = read(
      "export OS_PROJECT_NAME=project-name",
      "export OS_TENANT_NAME=tenant-name",
      "export OS_PROJECT_ID=project-id",
      "export OS_TENANT_ID=tenant-id",
      "export OS_INTERFACE=public",
      "export OS_ENDPOINT_TYPE=internal",
      AUTH,
      "export OS_USERNAME=operator",
    );
    expect(settings).toEqual({
      "openstack:authUrl": URL,
      "openstack:tenantName": "project-name",
      "openstack:tenantId": "project-id",
      "openstack:userName": "operator",
      "openstack:endpointType": "public",
    });
  });

  test("a Keystone v2 style file (TENANT_*, ENDPOINT_TYPE) reads to the same provider keys", () => {
    const { settings } = read(
      AUTH,
      "export OS_TENANT_NAME=CIS000000",
      "export OS_TENANT_ID=t-id",
      "export OS_ENDPOINT_TYPE=publicURL",
      "export OS_USERNAME=operator",
    );
    expect(settings).toEqual({
      "openstack:authUrl": URL,
      "openstack:tenantName": "CIS000000",
      "openstack:tenantId": "t-id",
      "openstack:userName": "operator",
      "openstack:endpointType": "publicURL",
    });
  });

  test("an empty value is left out", () => {
    expect(read(AUTH, 'export OS_REGION_NAME=""', "export OS_USER_ID=u-id").settings).toEqual({
      "openstack:authUrl": URL,
      "openstack:userId": "u-id",
    });
  });

  test("a token and a password are secrets, named with whether the file prompts for them", () => {
    const result = read(
      AUTH,
      "export OS_USERNAME=operator",
      "export OS_TOKEN=literal-token",
      "read -s OS_PASSWORD",
    );
    expect(result.secrets).toEqual([
      { variable: "OS_PASSWORD", configKey: "openstack:password", prompted: true },
      { variable: "OS_TOKEN", configKey: "openstack:token", prompted: false },
    ]);
    expect(JSON.stringify(result)).not.toContain("literal-token");
  });

  test.each(["password", "v3password"])("OS_AUTH_TYPE=%s is the password form", (authType) => {
    expect(read(`export OS_AUTH_TYPE=${authType}`, AUTH, "export OS_USERNAME=operator").form).toBe(
      "password",
    );
  });
});

describe("the application credential form", () => {
  const SECRET = "export OS_APPLICATION_CREDENTIAL_SECRET=literal-secret";

  test("by ID: project, domain and user settings are dropped, each with why", () => {
    const result = read(
      AUTH,
      "export OS_APPLICATION_CREDENTIAL_ID=literal-id",
      SECRET,
      "export OS_TENANT_NAME=t",
      "export OS_PROJECT_DOMAIN_NAME=pd",
      "export OS_DOMAIN_ID=d",
      "export OS_USERNAME=u",
      "export OS_USER_DOMAIN_ID=ud",
      "export OS_DEFAULT_DOMAIN=default",
      "export OS_REGION_NAME=IU",
    );
    expect(result).toEqual({
      form: "application-credential",
      settings: {
        "openstack:authUrl": URL,
        "openstack:region": "IU",
        "openstack:defaultDomain": "default",
      },
      lines: { "openstack:authUrl": 1, "openstack:defaultDomain": 9, "openstack:region": 10 },
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
        { variable: "OS_DOMAIN_ID", why: SCOPE },
        { variable: "OS_PROJECT_DOMAIN_NAME", why: SCOPE },
        { variable: "OS_TENANT_NAME", why: SCOPE },
        { variable: "OS_USERNAME", why: "not used with an application credential ID" },
        { variable: "OS_USER_DOMAIN_ID", why: "not used with an application credential ID" },
      ],
    });
    for (const secret of ["literal-id", "literal-secret"])
      expect(JSON.stringify(result)).not.toContain(secret);
  });

  test("by name: the user and its domain stay, the credential's name is a plain setting", () => {
    const result = read(
      AUTH,
      "export OS_APPLICATION_CREDENTIAL_NAME=lappsgrid-ci",
      SECRET,
      "export OS_USERNAME=operator",
      "export OS_USER_DOMAIN_NAME=access",
      "export OS_PROJECT_ID=p",
    );
    expect(result.settings).toEqual({
      "openstack:authUrl": URL,
      "openstack:userName": "operator",
      "openstack:userDomainName": "access",
      "openstack:applicationCredentialName": "lappsgrid-ci",
    });
    expect(result.ignored).toEqual([{ variable: "OS_PROJECT_ID", why: SCOPE }]);
  });

  test("OS_AUTH_TYPE=v3applicationcredential alone asks for the credential", () => {
    expect(refusal("export OS_AUTH_TYPE=v3applicationcredential", AUTH, "export OS_USERNAME=u")).toBe(
      "openrc.sh: application credential form without OS_APPLICATION_CREDENTIAL_SECRET; download the openrc again when creating the credential",
    );
  });

  test("an ID alone asks for the secret", () => {
    expect(refusal(AUTH, "export OS_APPLICATION_CREDENTIAL_ID=x")).toBe(
      "openrc.sh: application credential form without OS_APPLICATION_CREDENTIAL_SECRET; download the openrc again when creating the credential",
    );
  });

  test("a secret alone asks for the ID or the name", () => {
    expect(refusal(AUTH, SECRET)).toBe(
      "openrc.sh: application credential form needs OS_APPLICATION_CREDENTIAL_ID (or OS_APPLICATION_CREDENTIAL_NAME with OS_USERNAME)",
    );
  });
});

describe("refusals", () => {
  test.each([
    [
      [AUTH, "export OS_USERNAME=u", "export OS_AUTH_TYPE=token"],
      'openrc.sh:3: OS_AUTH_TYPE "token" is not supported; allowed: v3applicationcredential, v3password, password',
    ],
    [
      ["export OS_USERNAME=u"],
      "openrc.sh: OS_AUTH_URL is not set; an openrc file from Horizon or the Jetstream2 docs always sets it",
    ],
    [
      ['export OS_AUTH_URL=""', "export OS_USERNAME=u"],
      "openrc.sh: OS_AUTH_URL is not set; an openrc file from Horizon or the Jetstream2 docs always sets it",
    ],
    [
      [AUTH, "export OS_PASSWORD=p"],
      "openrc.sh: no credentials; expected OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET, or OS_USERNAME and OS_PASSWORD",
    ],
  ])("%j", (lines, message) => {
    expect(refusal(...lines)).toBe(message);
  });

  test.each([
    [
      "OS_APPLICATION_CREDENTIAL_SECRET",
      "export OS_APPLICATION_CREDENTIAL_ID=other-id-value",
      "export OS_APPLICATION_CREDENTIAL_SECRET=s3cret-value",
    ],
    [
      "OS_APPLICATION_CREDENTIAL_ID",
      "export OS_APPLICATION_CREDENTIAL_ID=id-value",
      "export OS_APPLICATION_CREDENTIAL_SECRET=other-secret-value",
    ],
    ["OS_PASSWORD", "export OS_USERNAME=u", "export OS_PASSWORD=pass-value"],
    ["OS_TOKEN", "export OS_USERNAME=u", "export OS_TOKEN=token-value"],
  ])("a plain setting taken from %s is refused, its value never shown", (secret, first, second) => {
    const message = refusal(AUTH, first, second, `export OS_REGION_NAME="IU-$${secret}"`);
    expect(message).toBe(
      `openrc.sh:4: OS_REGION_NAME takes its value from ${secret}, a secret; a value derived from a secret is never written to the stack file: write OS_REGION_NAME's own value`,
    );
  });

  test("through a chain of variables", () => {
    expect(
      refusal(
        AUTH,
        "export OS_USERNAME=u",
        "export OS_PASSWORD_INPUT=typed-into-the-file",
        "X=$OS_PASSWORD_INPUT",
        "export OS_REGION_NAME=$X",
      ),
    ).toBe(
      "openrc.sh:5: OS_REGION_NAME takes its value from OS_PASSWORD_INPUT, a secret; a value derived from a secret is never written to the stack file: write OS_REGION_NAME's own value",
    );
  });

  test.each([
    [["read -s OS_USERNAME"], "openrc.sh:2: OS_USERNAME comes from a prompt; write its value in the file"],
    [
      [
        "export OS_USERNAME=u",
        "read -s OS_PASSWORD_INPUT",
        "X=$OS_PASSWORD_INPUT",
        'export OS_REGION_NAME="$X"',
      ],
      "openrc.sh:5: OS_REGION_NAME comes from a prompt; write its value in the file",
    ],
  ])("a plain setting typed at a prompt, even through a variable: %j", (lines, message) => {
    expect(refusal(AUTH, ...lines)).toBe(message);
  });

  test("a plain setting that is a secret's text pasted in is refused", () => {
    expect(
      refusal(
        AUTH,
        "export OS_USERNAME=u",
        "export OS_PASSWORD=pass-value",
        "export OS_REGION_NAME=pass-value",
      ),
    ).toBe(
      "openrc.sh:4: OS_REGION_NAME holds the value of OS_PASSWORD, a secret; a value derived from a secret is never written to the stack file: write OS_REGION_NAME's own value",
    );
  });

  test.each([
    [
      "OS_APPLICATION_CREDENTIAL_SECRET=5000",
      "the auth URL's port",
      ["export OS_APPLICATION_CREDENTIAL_ID=id-1"],
    ],
    ["OS_PASSWORD=v3", "the auth URL's path", ["export OS_USERNAME=u"]],
    [
      "OS_PASSWORD=IU",
      "the region's name inside another value",
      ["export OS_USERNAME=u", "export OS_INTERFACE=public-IU"],
    ],
  ])(
    "a secret %s that is only a part of %s does not make that setting derived from it",
    (secret, _where, lines) => {
      const settings = read(AUTH, `export ${secret}`, ...lines, "export OS_REGION_NAME=IU-east").settings;
      expect(settings["openstack:authUrl"]).toBe(URL);
      expect(settings["openstack:region"]).toBe("IU-east");
    },
  );

  test("a secret of 8 or more characters pasted inside a longer value is refused: too long to be there by chance", () => {
    expect(
      refusal(
        AUTH,
        "export OS_USERNAME=u",
        "export OS_PASSWORD=pass-value",
        "export OS_REGION_NAME=IU-pass-value",
      ),
    ).toBe(
      "openrc.sh:4: OS_REGION_NAME holds the value of OS_PASSWORD, a secret; a value derived from a secret is never written to the stack file: write OS_REGION_NAME's own value",
    );
  });

  test("a secret pasted percent-encoded into the auth URL is refused too: the URL carries it decoded", () => {
    expect(
      refusal(
        "export OS_AUTH_URL=https://js2.jetstream-cloud.org:5000/v3/?t=S3cr3tValue%2DXYZ",
        "export OS_USERNAME=u",
        "export OS_PASSWORD=S3cr3tValue-XYZ",
        "export OS_REGION_NAME=IU",
      ),
    ).toBe(
      "openrc.sh:1: OS_AUTH_URL holds the value of OS_PASSWORD, a secret; a value derived from a secret is never written to the stack file: write OS_AUTH_URL's own value",
    );
  });

  test("a lone % in a value is no encoding: the value is read as written", () => {
    const settings = read(
      AUTH,
      "export OS_USERNAME=u",
      "export OS_PASSWORD=S3cr3tValue-XYZ",
      "export OS_REGION_NAME=IU-100%",
    ).settings;
    expect(settings["openstack:region"]).toBe("IU-100%");
  });

  test("a secret of 7 characters inside a longer value is taken for chance", () => {
    const settings = read(
      AUTH,
      "export OS_USERNAME=u",
      "export OS_PASSWORD=pass-va",
      "export OS_REGION_NAME=IU-pass-value",
    ).settings;
    expect(settings["openstack:region"]).toBe("IU-pass-value");
  });

  test("a secret expanded inside a longer value is still derived from it", () => {
    expect(
      refusal(
        AUTH,
        "export OS_USERNAME=u",
        "export OS_PASSWORD=5000",
        'export OS_REGION_NAME="IU-$OS_PASSWORD"',
      ),
    ).toBe(
      "openrc.sh:4: OS_REGION_NAME takes its value from OS_PASSWORD, a secret; a value derived from a secret is never written to the stack file: write OS_REGION_NAME's own value",
    );
  });

  test("an empty secret is in every text, and refuses none", () => {
    expect(
      read(AUTH, "export OS_USERNAME=u", 'export OS_PASSWORD=""', "export OS_REGION_NAME=IU").settings,
    ).toEqual({
      "openstack:authUrl": URL,
      "openstack:region": "IU",
      "openstack:userName": "u",
    });
  });
});

test("other OS_ variables are listed as dropped with why, in code-unit order; others are not listed", () => {
  const { ignored } = read(
    AUTH,
    "export OS_USERNAME=u",
    "read -s OS_PASSWORD_INPUT",
    "export OS_PASSWORD=$OS_PASSWORD_INPUT",
    "export OS_IDENTITY_API_VERSION=3",
    "export OS_AUTH_TYPE=password",
    "export OS_cacert=/etc/ssl/ca.pem",
    "export OS_VOLUME_API_VERSION=3",
    "export PS1=openstack",
  );
  expect(ignored).toEqual([
    { variable: "OS_AUTH_TYPE", why: "the provider picks the method from the credentials present" },
    { variable: "OS_IDENTITY_API_VERSION", why: "the provider always uses Keystone v3 here" },
    { variable: "OS_PASSWORD_INPUT", why: "the prompt's answer, passed on as OS_PASSWORD" },
    { variable: "OS_VOLUME_API_VERSION", why: "not an OpenStack provider setting" },
    { variable: "OS_cacert", why: "not an OpenStack provider setting" },
  ]);
});

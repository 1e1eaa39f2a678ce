/**
 * From openrc variables to the Pulumi OpenStack provider's settings: which may sit in the stack
 * file in plain text, which are secrets the operator stores with `pulumi config set --secret`,
 * and which mean nothing (or break Keystone) next to an application credential.
 */
import { escapeUnshown, holdsUnshown } from "../printable";
import { fail, OpenrcError, type OpenrcVariables, parseOpenrc } from "./parse";

/** What the stack file may hold in plain text: openrc variable -> `openstack:` provider key. */
const PLAIN_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ["OS_AUTH_URL", "authUrl"],
  ["OS_REGION_NAME", "region"],
  // Keystone v3 says "project"; the provider kept the v2 word "tenant". PROJECT wins over TENANT.
  ["OS_TENANT_NAME", "tenantName"],
  ["OS_PROJECT_NAME", "tenantName"],
  ["OS_TENANT_ID", "tenantId"],
  ["OS_PROJECT_ID", "tenantId"],
  ["OS_USERNAME", "userName"],
  ["OS_USER_ID", "userId"],
  ["OS_USER_DOMAIN_NAME", "userDomainName"],
  ["OS_USER_DOMAIN_ID", "userDomainId"],
  ["OS_PROJECT_DOMAIN_NAME", "projectDomainName"],
  ["OS_PROJECT_DOMAIN_ID", "projectDomainId"],
  ["OS_DOMAIN_NAME", "domainName"],
  ["OS_DOMAIN_ID", "domainId"],
  ["OS_DEFAULT_DOMAIN", "defaultDomain"],
  ["OS_ENDPOINT_TYPE", "endpointType"],
  ["OS_INTERFACE", "endpointType"],
  ["OS_APPLICATION_CREDENTIAL_NAME", "applicationCredentialName"],
];

/** Every provider key this import owns; keys the new openrc does not set are removed. */
export const MANAGED_PROVIDER_KEYS: readonly string[] = [...new Set(PLAIN_SETTINGS.map(([, key]) => key))];

/**
 * Never written in plain text. The application credential ID is not a secret on its own, but with
 * the secret it is a login, and it names the allocation's credential: it is stored like one.
 */
const SECRET_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ["OS_APPLICATION_CREDENTIAL_ID", "applicationCredentialId"],
  ["OS_APPLICATION_CREDENTIAL_SECRET", "applicationCredentialSecret"],
  ["OS_PASSWORD", "password"],
  ["OS_TOKEN", "token"],
];

/**
 * Stack-file keys that hold a login. The provider reads the OS_* variables only as a fallback,
 * so one of these in the stack file wins over the credential CI hands in.
 */
export const LOGIN_KEYS: readonly string[] = SECRET_SETTINGS.map(([, key]) => `openstack:${key}`);

/** Variables openrc files set that the provider does not take; said, not silently dropped. */
const NOT_PROVIDER_SETTINGS: Record<string, string> = {
  OS_AUTH_TYPE: "the provider picks the method from the credentials present",
  OS_IDENTITY_API_VERSION: "the provider always uses Keystone v3 here",
  OS_PASSWORD_INPUT: "the prompt's answer, passed on as OS_PASSWORD",
};

/** Keys that break or mean nothing next to an application credential, and why. */
function unusedWithApplicationCredential(key: string, byId: boolean): string | undefined {
  if (/^(tenant|projectDomain|domain)/.test(key)) {
    // Keystone answers "Application credentials cannot request a scope" to a project given twice.
    return "an application credential is already scoped to its project; Keystone refuses a second scope";
  }
  if (byId && /^user/.test(key)) return "not used with an application credential ID";
  return undefined;
}

const AUTH_URL_ALLOWED =
  "allowed: an https:// URL as Horizon writes it, like https://js2.jetstream-cloud.org:5000/v3/";

/**
 * Why the auth URL cannot be the stack's: the provider sends the credential to it, so it must be
 * https, and it is written to the stack file, so it must not carry a password.
 */
function authUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is ${/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? "not a URL" : "not an https URL"}`;
  }
  if (url.protocol === "http:") {
    return `${JSON.stringify(text)} is not https (the credential would cross the network in clear text)`;
  }
  if (url.protocol !== "https:") return `${JSON.stringify(text)} is not an https URL`;
  if (url.hostname === "") return `${JSON.stringify(text)} is not a URL`;
  // Never echoed: the value holds a password.
  if (url.username !== "" || url.password !== "") {
    return "holds a user name or password (USER:PASSWORD@HOST), which would be written to the stack file";
  }
  return undefined;
}

const AUTH_TYPES = ["v3applicationcredential", "v3password", "password"];

export type CredentialForm = "application-credential" | "password";

export interface SecretSetting {
  variable: string;
  /** The provider key, with namespace: `openstack:applicationCredentialSecret`. */
  configKey: string;
  /** The file asks for it at `source` time instead of holding it. */
  prompted: boolean;
}

/** The import's result. It holds no secret value, so printing or logging it is safe. */
export interface ProviderSettings {
  form: CredentialForm;
  /** `openstack:*` key -> value, in the order the stack file should show them. */
  settings: Record<string, string>;
  /** `openstack:*` key -> the openrc line that set it, for refusals that name the line. */
  lines: Record<string, number>;
  secrets: SecretSetting[];
  ignored: { variable: string; why: string }[];
}

/** Variables whose values never go to the stack file: the secrets and the password prompt's answer. */
const SECRET_VARIABLES = [...SECRET_SETTINGS.map(([variable]) => variable), "OS_PASSWORD_INPUT"];

/** A secret this long found inside another value was pasted there (application credential secrets are 86 characters). */
const PASTED_SECRET_MIN = 8;

/** A URL carries `%2D` as `-`: a secret pasted percent-encoded is still the secret. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A lone `%` is not an encoding: the text is what it says.
    return text;
  }
}

/**
 * A plain setting that took a secret in (`OS_REGION_NAME=$OS_APPLICATION_CREDENTIAL_SECRET`,
 * `"IU-$OS_PASSWORD"`, or the secret's text pasted in) would put it in the stack file and on the screen: refused,
 * without ever printing the value.
 */
function refuseDerivedFromSecret(variables: OpenrcVariables, variable: string, fileName: string): void {
  const setting = variables.get(variable);
  if (setting === undefined) return;
  const why = (secret: string, how: string) =>
    fail(
      fileName,
      setting.line,
      `${variable} ${how} ${secret}, a secret; a value derived from a secret is never written to the stack file: write ${variable}'s own value`,
    );
  for (const secret of SECRET_VARIABLES) {
    if (setting.from?.has(secret)) why(secret, "takes its value from");
    const text = variables.get(secret)?.text ?? "";
    // Pasted in: the whole text, or, for a secret long enough not to be there by chance, part of
    // it. A short one can be part of anything (`5000` of the auth URL's port); a short secret
    // spliced into a longer value through a variable is still caught, by `from`.
    const pasted = [setting.text, percentDecoded(setting.text)].some(
      (value) => value === text || (text.length >= PASTED_SECRET_MIN && value.includes(text)),
    );
    if (text !== "" && pasted) why(secret, "holds the value of");
  }
}

function providerSettingsFromOpenrc(variables: OpenrcVariables, fileName: string): ProviderSettings {
  const value = (name: string) => variables.get(name);
  const authType = value("OS_AUTH_TYPE");
  if (authType && !AUTH_TYPES.includes(authType.text)) {
    fail(
      fileName,
      authType.line,
      `OS_AUTH_TYPE "${authType.text}" is not supported; allowed: ${AUTH_TYPES.join(", ")}`,
    );
  }
  const hasAppCredential =
    value("OS_APPLICATION_CREDENTIAL_ID") !== undefined ||
    value("OS_APPLICATION_CREDENTIAL_SECRET") !== undefined;
  const form: CredentialForm =
    authType?.text === "v3applicationcredential" || hasAppCredential ? "application-credential" : "password";

  const authUrl = value("OS_AUTH_URL");
  if (!authUrl?.text) {
    throw new OpenrcError(
      `${fileName}: OS_AUTH_URL is not set; an openrc file from Horizon or the Jetstream2 docs always sets it`,
    );
  }
  const urlProblem = authUrlProblem(authUrl.text);
  if (urlProblem !== undefined)
    fail(fileName, authUrl.line, `OS_AUTH_URL ${urlProblem}; ${AUTH_URL_ALLOWED}`);
  if (form === "application-credential") {
    if (!value("OS_APPLICATION_CREDENTIAL_SECRET")) {
      throw new OpenrcError(
        `${fileName}: application credential form without OS_APPLICATION_CREDENTIAL_SECRET; download the openrc again when creating the credential`,
      );
    }
    if (!value("OS_APPLICATION_CREDENTIAL_ID") && !value("OS_APPLICATION_CREDENTIAL_NAME")) {
      throw new OpenrcError(
        `${fileName}: application credential form needs OS_APPLICATION_CREDENTIAL_ID (or OS_APPLICATION_CREDENTIAL_NAME with OS_USERNAME)`,
      );
    }
  } else if (!value("OS_USERNAME") && !value("OS_USER_ID")) {
    throw new OpenrcError(
      `${fileName}: no credentials; expected OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET, or OS_USERNAME and OS_PASSWORD`,
    );
  }

  const settings: Record<string, string> = {};
  const lines: Record<string, number> = {};
  const ignored: { variable: string; why: string }[] = [];
  const byId = value("OS_APPLICATION_CREDENTIAL_ID") !== undefined;
  for (const [variable, key] of PLAIN_SETTINGS) {
    const setting = value(variable);
    // A prompted value reads as "" here, but bash would hold what was typed: not an empty setting.
    if (setting === undefined || (setting.text === "" && !setting.prompted)) continue;
    const unused = form === "application-credential" ? unusedWithApplicationCredential(key, byId) : undefined;
    if (unused) {
      ignored.push({ variable, why: unused });
      continue;
    }
    if (setting.prompted) {
      fail(fileName, setting.line, `${variable} comes from a prompt; write its value in the file`);
    }
    refuseDerivedFromSecret(variables, variable, fileName);
    if (holdsUnshown(setting.text)) {
      // Written raw into the stack file, it would hide in every diff and message that quotes it.
      fail(
        fileName,
        setting.line,
        `${variable}: ${escapeUnshown(JSON.stringify(setting.text))} holds a line break, a control character or an invisible formatting character; allowed: one line of printable text`,
      );
    }
    settings[`openstack:${key}`] = setting.text;
    lines[`openstack:${key}`] = setting.line;
  }
  const secrets: SecretSetting[] = [];
  for (const [variable, key] of SECRET_SETTINGS) {
    const secret = value(variable);
    if (secret === undefined) continue;
    secrets.push({ variable, configKey: `openstack:${key}`, prompted: secret.prompted });
  }
  const known = new Set([...PLAIN_SETTINGS, ...SECRET_SETTINGS].map(([variable]) => variable));
  for (const variable of [...variables.keys()].filter((name) => name.startsWith("OS_") && !known.has(name))) {
    ignored.push({ variable, why: NOT_PROVIDER_SETTINGS[variable] ?? "not an OpenStack provider setting" });
  }
  // Code-unit order, the same on every machine (localeCompare is not).
  ignored.sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));
  return { form, settings, lines, secrets, ignored };
}

/** Both steps in one: file text to provider settings. */
export function readOpenrc(text: string, fileName: string): ProviderSettings {
  return providerSettingsFromOpenrc(parseOpenrc(text, fileName), fileName);
}

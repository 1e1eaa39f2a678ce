/**
 * The program's only door to `pulumi.Config`: collects this project's keys as the engine
 * passed them, validates them, and hands plain typed values to the components.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { isMap, isScalar, parseDocument } from "yaml";
import { PROJECT } from "./defaults";
import { recordNumbers } from "./numbers-as-written";
import { PLAIN_TEXT_SECRET } from "./schema";
import type { StackConfig } from "./types";
import { StackConfigError, unknownNamespaceProblems, validateStackConfig } from "./validate";

/** The engine passes structured values as JSON text and scalars as plain text. */
function decode(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Secrets the validation only needs to see present: the engine hands them over decrypted, so
 * they stand in as the stack file's `secure:` form, and a plain-text value stays text, which the
 * schema refuses with the command that makes it a secret.
 */
const SECRET_SETTINGS = ["proxyTlsCertificate", "proxyTlsKey"];

export function projectConfigValues(): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
    const name = key.slice(PROJECT.length + 1);
    if (!key.startsWith(`${PROJECT}:`) || name === "proxySshKey") continue;
    // The engine hands secrets over decrypted; the key is read apart, by requireProxySshKey.
    if (SECRET_SETTINGS.includes(name)) values[name] = isConfigSecret(key) ? { secure: "(decrypted)" } : text;
    else values[name] = decode(text);
  }
  return values;
}

const PROXY_SSH_KEY = `${PROJECT}:proxySshKey`;

/**
 * The engine hands secrets over decrypted and names their keys apart (the language host's
 * PULUMI_CONFIG_SECRET_KEYS); the SDK reads that list with `isConfigSecret`, which it does not
 * declare in its typings.
 */
function isConfigSecret(key: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };
  return runtime.isConfigSecret(key);
}

/** A private key written as a literal in the stack file would be in git: refuse to use it. */
function plainTextSecretProblems(): string[] {
  const given = pulumi.runtime.allConfig()[PROXY_SSH_KEY] !== undefined;
  return given && !isConfigSecret(PROXY_SSH_KEY) ? [`proxySshKey: ${PLAIN_TEXT_SECRET}`] : [];
}

/**
 * The engine hands over numbers as it decoded them (`size: 1e3` as 1000, `0x0A00000C` as
 * 167772172): a refusal names them as the stack file beside the program writes them, for each
 * setting whose value there is the one the engine passed (a value given with `--config` is not).
 */
function recordNumbersOfStackFile(values: Record<string, unknown>): void {
  let document: ReturnType<typeof parseDocument>;
  let read: Record<string, unknown> | undefined;
  try {
    document = parseDocument(readFileSync(join(process.cwd(), `Pulumi.${pulumi.getStack()}.yaml`), "utf8"));
    read = (document.toJS() as { config?: Record<string, unknown> } | null)?.config;
  } catch {
    // No such file here (another stackConfigDir), or one the engine would not have read either.
    return;
  }
  const config = document.get("config");
  if (!isMap(config) || typeof read !== "object" || read === null) return;
  for (const pair of config.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const separator = key.indexOf(":");
    if (separator >= 0 && key.slice(0, separator) !== PROJECT) continue;
    const name = key.slice(separator + 1);
    if (isDeepStrictEqual(read[key], values[name])) recordNumbers(values, name, pair.value);
  }
}

/** Validated config of the running stack; a bad value stops the program before any resource. */
export function loadStackConfig(): StackConfig {
  try {
    const strayKeys = unknownNamespaceProblems(Object.keys(pulumi.runtime.allConfig()));
    if (strayKeys.length > 0) throw new StackConfigError(strayKeys);
    const plainSecrets = plainTextSecretProblems();
    if (plainSecrets.length > 0) throw new StackConfigError(plainSecrets);
    const values = projectConfigValues();
    recordNumbersOfStackFile(values);
    return validateStackConfig(values, pulumi.getStack());
  } catch (error) {
    if (error instanceof StackConfigError) {
      throw new pulumi.RunError(`invalid config in Pulumi.${pulumi.getStack()}.yaml:\n${error.message}`);
    }
    throw error;
  }
}

/** The proxy's SSH private key, kept secret end to end; the proxy cannot be driven without it. */
export function requireProxySshKey(): pulumi.Output<string> {
  const key = new pulumi.Config(PROJECT).getSecret("proxySshKey");
  if (key === undefined) {
    throw new pulumi.RunError(
      `invalid config in Pulumi.${pulumi.getStack()}.yaml:\nproxySshKey: required when a proxy block is present; ` +
        `set it with: pulumi config set --secret proxySshKey --stack ${pulumi.getStack()} < KEYFILE`,
    );
  }
  return key;
}

/** proxy.tls mode certificate: the chain and key, kept secret end to end. Validation has checked both are set as secrets. */
export function requireProxyTlsCertificate(): { chain: pulumi.Output<string>; key: pulumi.Output<string> } {
  const config = new pulumi.Config(PROJECT);
  return { chain: config.requireSecret("proxyTlsCertificate"), key: config.requireSecret("proxyTlsKey") };
}

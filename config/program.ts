/**
 * The program's only door to `pulumi.Config`: collects this project's keys as the engine
 * passed them, validates them, and hands plain typed values to the components.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./defaults";
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

/** Validated config of the running stack; a bad value stops the program before any resource. */
export function loadStackConfig(): StackConfig {
  try {
    const strayKeys = unknownNamespaceProblems(Object.keys(pulumi.runtime.allConfig()));
    if (strayKeys.length > 0) throw new StackConfigError(strayKeys);
    const plainSecrets = plainTextSecretProblems();
    if (plainSecrets.length > 0) throw new StackConfigError(plainSecrets);
    return validateStackConfig(projectConfigValues(), pulumi.getStack());
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

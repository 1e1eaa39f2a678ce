/**
 * `jetstream openrc import FILE --stack S`: the non-secret OpenStack provider settings from an
 * openrc file into `Pulumi.S.yaml`, and instructions for the secrets, which never touch the file.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { isMap, isScalar, parseDocument } from "yaml";
import {
  isSecureValue,
  splitStackConfig,
  stackFilePath,
  unreadableFile,
  yamlProblem,
} from "../../config/stack-file";
import { addEntry, removeEntry, setScalar } from "../stack-file/edit";
import { keepLineEndings } from "../stack-file/line-endings";
import { replaceUnlessChanged } from "../stack-file/write";
import { refuseOtherCloud } from "./other-cloud";
import { LOGIN_KEYS, MANAGED_PROVIDER_KEYS, type ProviderSettings, readOpenrc } from "./provider";

export interface SettingChange {
  key: string;
  before: string | undefined;
  after: string | undefined;
}

const HEADING =
  " OpenStack provider settings from `jetstream openrc import` (no secrets: see the operator's guide).";

/** The `openstack:*` entries of the stack file (plain strings or `secure:` maps), with line starts. */
function providerEntries(text: string, fileName: string): Map<string, { value: unknown; lineStart: number }> {
  const document = parseDocument(text);
  if (document.errors.length > 0)
    throw new Error(`${basename(fileName)}: not valid YAML${yamlProblem(document.errors[0], text)}`);
  const config = document.get("config", true);
  const entries = new Map<string, { value: unknown; lineStart: number }>();
  if (!isMap(config)) return entries;
  for (const pair of config.items) {
    if (!isScalar(pair.key) || !`${pair.key.value}`.startsWith("openstack:")) continue;
    const offset = pair.key.range?.[0] ?? 0;
    const value = isScalar(pair.value)
      ? pair.value.value
      : isMap(pair.value)
        ? pair.value.toJSON()
        : pair.value;
    entries.set(`${pair.key.value}`, { value, lineStart: text.lastIndexOf("\n", offset - 1) + 1 });
  }
  return entries;
}

/**
 * Sets the `openstack:*` keys the import owns and removes those the new openrc does not set (a
 * password-form `userName` next to an application credential confuses Keystone). Splices of
 * the original text (cli/stack-file/edit.ts) keep every comment, blank line and `secure:` value.
 */
function applyProviderSettings(
  text: string,
  settings: Record<string, string>,
  fileName: string,
): { text: string; changes: SettingChange[] } {
  const existing = providerEntries(text, fileName);
  const changes: SettingChange[] = [];
  let edited = text;
  for (const name of MANAGED_PROVIDER_KEYS) {
    const key = `openstack:${name}`;
    const current = existing.get(key)?.value;
    // A `secure:` value is the operator's choice: leave it alone.
    if (isSecureValue(current)) continue;
    if (current !== undefined && current !== null && typeof current === "object") {
      throw new Error(`${fileName}: ${key} is not a plain value; remove it by hand and import again`);
    }
    const before = current === undefined || current === null ? undefined : `${current}`;
    const after = settings[key];
    if (before === after) continue;
    if (after === undefined) edited = removeEntry(edited, ["config"], key);
    else if (before !== undefined) edited = setScalar(edited, ["config", key], after);
    else edited = addEntry(edited, ["config"], key, after);
    changes.push({ key, before, after });
  }
  if (existing.size === 0 && changes.length > 0) {
    // First import: a heading above the block says where it came from and where the secrets are.
    const first = [...providerEntries(edited, fileName).values()][0];
    edited = `${edited.slice(0, first.lineStart)}\n  #${HEADING}\n${edited.slice(first.lineStart)}`;
  }
  return { text: edited, changes };
}

function secretInstructions(stack: string, result: ProviderSettings): string[] {
  if (result.secrets.length === 0) return [];
  // The environment first: a credential in the stack file wins over CI's OS_* secrets.
  return [
    "",
    "Secrets are not written to the stack file. Store them one of these ways:",
    "  for a stack CI deploys (the usual case), in the environment only: `source` the openrc file",
    `  before \`pulumi preview/up\`, and in CI as GitHub secrets of the "${stack}" environment`,
    `  (Settings > Environments > ${stack}):`,
    `    ${result.secrets.map((secret) => secret.variable).join(", ")}`,
    "  for a stack only you deploy, encrypted in the stack file by the stack's secrets provider",
    "  (each command prompts for the value; never pass it as an argument, shell history keeps it):",
    ...result.secrets.map((secret) => `    pulumi config set --secret ${secret.configKey} --stack ${stack}`),
    "  Warning: stored in the stack file, a credential wins over the OS_* secrets CI hands in (the",
    "  provider reads those only as a fallback), and CI refuses to deploy a stack file that holds one.",
    ...passwordFormNote(result),
  ];
}

/** The workflows cannot log in with a password. */
function passwordFormNote(result: ProviderSettings): string[] {
  if (result.form !== "password") return [];
  return [
    "  The workflows log in with an application credential, not a password: create one in Horizon",
    "  (Identity > Application Credentials) and store OS_APPLICATION_CREDENTIAL_ID/SECRET instead.",
  ];
}

/**
 * The report, one line each; `warn` gets what the operator should know although the import
 * went through (the CLI prints it on stderr; by default it joins the report).
 */
export function importOpenrc(
  file: string,
  stack: string,
  projectDir: string,
  warn?: (line: string) => void,
): string[] {
  let openrcText: string;
  try {
    openrcText = readFileSync(file, "utf8");
  } catch (error) {
    const why = unreadableFile(error, "an openrc file");
    if (why === undefined) throw error;
    throw new Error(`openrc file ${file} ${why}; pass the path of the file Horizon gave you`);
  }
  const result = readOpenrc(openrcText, basename(file));
  const path = stackFilePath(projectDir, stack);
  if (!existsSync(path)) {
    throw new Error(
      `no stack file for stack "${stack}": ${path} does not exist; copy Pulumi.iu.yaml to start one, then import again`,
    );
  }
  const before = readFileSync(path, "utf8");
  refuseOtherCloud(result, stack, projectDir, { name: basename(file), stackText: before });
  const applied = applyProviderSettings(before, result.settings, path);
  const { changes } = applied;
  const text = keepLineEndings(before, applied.text);
  // The edit must read back exactly: a stack file that no longer parses is never written.
  const written = splitStackConfig(text, path).other;
  for (const [key, value] of Object.entries(result.settings)) {
    if (written[key] !== value)
      throw new Error(`${path}: ${key} did not read back as written; nothing changed`);
  }
  if (changes.length > 0) replaceUnlessChanged(path, before, text);

  const form = result.form === "application-credential" ? "application credential" : "password";
  const lines = [`${basename(path)}: OpenStack provider settings from ${basename(file)} (${form} form)`];
  if (changes.length === 0) lines.push("  already up to date; nothing changed");
  for (const change of changes) {
    if (change.before === undefined) lines.push(`  + ${change.key}: ${change.after}`);
    else if (change.after === undefined) lines.push(`  - ${change.key} (not set by this openrc file)`);
    else lines.push(`  ~ ${change.key}: ${change.before} -> ${change.after}`);
  }
  for (const ignored of result.ignored) lines.push(`  ignored ${ignored.variable}: ${ignored.why}`);
  const stored = Object.keys(splitStackConfig(text, path).other).filter((key) => LOGIN_KEYS.includes(key));
  for (const key of stored) {
    const warning = `warning: ${basename(path)} holds ${key}, which wins over CI's OS_* secrets; remove it with \`pulumi config rm ${key} --stack ${stack}\` if CI deploys this stack`;
    if (warn === undefined) lines.push(warning);
    else warn(warning);
  }
  lines.push(...secretInstructions(stack, result));
  lines.push("", `Next: jetstream plan --stack ${stack}, then pulumi preview --stack ${stack}`);
  return lines;
}

/**
 * What the component sends to the proxy host: the command `remote.Command` runs and the stdin
 * it feeds that command. Stdin is the apply script itself, then the candidate framed as
 * documented at the top of apply-script.sh. The command line installs the script from the
 * first bytes of stdin and runs it on the rest, so a fix to the script reaches a running proxy
 * host with the next `pulumi up`: the command line and stdin change, which updates the Command
 * in place (in command 1.2.1 only `triggers` replaces it), and user data never changes. The
 * tests feed exactly these bytes, locally and over SSH.
 */
import { createHash } from "node:crypto";

/** Where the command line installs the apply script on the proxy host. */
export const APPLY_SCRIPT_NAME = "lappsgrid-proxy-apply";
export const APPLY_SCRIPT_DIR = "/usr/local/sbin";
export const APPLY_SCRIPT_PATH = `${APPLY_SCRIPT_DIR}/${APPLY_SCRIPT_NAME}`;

export const FRAME_MAGIC = "lappsgrid-proxy-apply 1";
export const FRAME_SITE = "#== site";
export const FRAME_PAGE = "#== page";
export const FRAME_PROBE = "#== probe";
export const FRAME_TLS_SITE = "#== tls-site";
export const FRAME_ACME = "#== acme";
export const FRAME_TLS_FILES = "#== tls-files";
export const FRAME_TLS_CHAIN = "#== tls-chain";
export const FRAME_TLS_KEY = "#== tls-key";
export const FRAME_END = "#== end";

/** The online target's health check, run on the proxy host before the site switches to it. */
export interface HealthProbe {
  host: string;
  port: number;
  /** Starts with "/"; checked by config validation. */
  path: string;
  /** Accepted status codes, like "200-399,401". */
  statuses: string;
  tries: number;
  /** Seconds between tries. */
  interval: number;
}

/** What the apply script hands certbot to obtain the site's certificate (HTTP-01, webroot). */
export interface AcmeRequest {
  domain: string;
  /** The account's contact; absent: certbot registers the account without one. */
  email?: string;
  /** The ACME server's directory URL. */
  directory: string;
  /** Directory nginx serves `/.well-known/acme-challenge/` from. */
  webroot: string;
  /** Where certbot's lineage for the domain puts the chain and key; the HTTPS site names them. */
  chain: string;
  key: string;
}

/** The stack's own certificate (proxy.tls mode certificate): PEM texts and where they go. */
export interface TlsFiles {
  chainPath: string;
  keyPath: string;
  chain: string;
  key: string;
}

export interface Candidate {
  /** The rendered nginx site; with TLS, the form that serves plain HTTP until a certificate exists. */
  site: string;
  /** With TLS: the form with the HTTPS server, made live once the certificate exists. */
  tlsSite?: string;
  /** With ACME: the apply script obtains the certificate when it is missing. */
  acme?: AcmeRequest;
  /** With a certificate from the stack's secrets: installed where the HTTPS form names them. */
  tlsFiles?: TlsFiles;
  /** The rendered offline page. */
  page: string;
  /** Online only: the apply script switches only once the target passes this check. */
  probe?: HealthProbe;
}

function checkPart(name: string, text: string): string {
  const lines = text.split("\n");
  // A marker line inside a part would cut it short on the host; the renderers never emit one.
  const marker = lines.find((line) =>
    [
      FRAME_SITE,
      FRAME_PAGE,
      FRAME_PROBE,
      FRAME_TLS_SITE,
      FRAME_ACME,
      FRAME_TLS_FILES,
      FRAME_TLS_CHAIN,
      FRAME_TLS_KEY,
      FRAME_END,
      FRAME_MAGIC,
    ].includes(line),
  );
  if (marker !== undefined)
    throw new Error(`proxy ${name}: contains the framing line ${JSON.stringify(marker)}`);
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** One "key value" line per setting; a value may hold no line break. */
function renderSettings(marker: string, what: string, settings: [string, string | number][]): string {
  const lines = settings.map(([key, value]) => {
    if (/[\r\n]/.test(String(value)) || String(value) === "")
      throw new Error(`proxy ${what}: ${key} ${JSON.stringify(value)} must be one non-empty line`);
    return `${key} ${value}\n`;
  });
  return `${marker}\n${lines.join("")}`;
}

function renderProbe(probe: HealthProbe): string {
  return renderSettings(FRAME_PROBE, "health probe", [
    ["host", probe.host],
    ["port", probe.port],
    ["path", probe.path],
    ["statuses", probe.statuses],
    ["tries", probe.tries],
    ["interval", probe.interval],
  ]);
}

function renderAcme(acme: AcmeRequest): string {
  return renderSettings(FRAME_ACME, "ACME settings", [
    ["domain", acme.domain],
    ...(acme.email === undefined ? [] : [["email", acme.email] as [string, string]]),
    ["directory", acme.directory],
    ["webroot", acme.webroot],
    ["chain", acme.chain],
    ["key", acme.key],
  ]);
}

function renderTlsFiles(files: TlsFiles): string {
  return [
    renderSettings(FRAME_TLS_FILES, "certificate files", [
      ["chain", files.chainPath],
      ["key", files.keyPath],
    ]),
    `${FRAME_TLS_CHAIN}\n`,
    checkPart("certificate chain", files.chain),
    `${FRAME_TLS_KEY}\n`,
    checkPart("certificate key", files.key),
  ].join("");
}

/** The apply script's stdin: magic line, then each part after its marker, then the end marker. */
export function renderApplyInput(candidate: Candidate): string {
  return [
    `${FRAME_MAGIC}\n`,
    `${FRAME_SITE}\n`,
    checkPart("site", candidate.site),
    `${FRAME_PAGE}\n`,
    checkPart("page", candidate.page),
    candidate.probe === undefined ? "" : renderProbe(candidate.probe),
    candidate.tlsSite === undefined ? "" : `${FRAME_TLS_SITE}\n${checkPart("tls-site", candidate.tlsSite)}`,
    candidate.acme === undefined ? "" : renderAcme(candidate.acme),
    candidate.tlsFiles === undefined ? "" : renderTlsFiles(candidate.tlsFiles),
    `${FRAME_END}\n`,
  ].join("");
}

/**
 * The shell program that installs the script from stdin and runs it: `head -c` reads exactly
 * the script's bytes (GNU head never reads past the count), the hash refuses a cut or altered
 * copy, and the rename over the old script is atomic, so a failed run leaves the old one whole.
 * `LAPPSGRID_PROXY_SCRIPT_DIR` lets the tests install into a sandbox; on the proxy host sudo
 * drops it from the environment.
 */
export function renderInstaller(script: string): string {
  const bytes = Buffer.byteLength(script, "utf8");
  const sha256 = createHash("sha256").update(script, "utf8").digest("hex");
  return [
    "set -eu",
    `dir=\${LAPPSGRID_PROXY_SCRIPT_DIR:-${APPLY_SCRIPT_DIR}}`,
    `new=$(mktemp "$dir/.${APPLY_SCRIPT_NAME}.XXXXXX")`,
    'trap "rm -f -- \\"\\$new\\"" EXIT',
    `head -c ${bytes} >"$new"`,
    `if ! printf "%s  %s\\n" ${sha256} "$new" | sha256sum -c --status; then`,
    `  echo "${APPLY_SCRIPT_NAME}: stdin did not start with the whole apply script (${bytes} bytes, sha256 ${sha256}); nothing installed, nothing applied" >&2`,
    "  exit 1",
    "fi",
    'chmod 0755 "$new"',
    `mv -f "$new" "$dir/${APPLY_SCRIPT_NAME}"`,
    "trap - EXIT",
    `exec "$dir/${APPLY_SCRIPT_NAME}"`,
  ].join("\n");
}

/** The command line the component runs over SSH as the proxy host's default user. */
export function renderApplyCommand(script: string): string {
  const installer = renderInstaller(script);
  // One single-quoted word for the remote login shell; the installer never holds a quote.
  if (installer.includes("'"))
    throw new Error("proxy apply command: the installer must not contain a single quote");
  return `sudo -n sh -c '${installer}'`;
}

/** Stdin for that command line: the script, then the framed candidate. */
export function renderApplyStdin(script: string, candidate: Candidate): string {
  return script + renderApplyInput(candidate);
}

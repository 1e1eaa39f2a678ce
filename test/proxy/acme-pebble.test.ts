/**
 * HTTPS end to end with real components on loopback: the apply script and the site the project
 * renders run in a real nginx, the real certbot obtains the certificate from pebble (Let's
 * Encrypt's ACME test server) through the site's challenge location, certbot's hooks switch and
 * reload, and curl checks what visitors get. Nothing is written outside temporary directories.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { renderApplyInput } from "../../components/proxy/apply-input";
import { APPLY_SCRIPT_FILE } from "../../components/proxy/apply-script";
import { renderProxyCandidate } from "../../components/proxy/candidate";
import { renderOfflineSite } from "../../components/proxy/nginx-site";
import { renderOfflinePage } from "../../components/proxy/offline-page";
import type { ProxyConfig } from "../../config/types";
import { type Backend, startBackend } from "../../harness/http-backend";
import { startLoad } from "../../harness/http-load";
import { freePort, makeTempDir, type NginxUnderTest, startNginx } from "../../harness/nginx";
import { runApplyScript, runProcess } from "../../harness/proxy-apply";
import { type Pebble, startPebble } from "../helpers/pebble";

const DOMAIN = "jetstream.lappsgrid.org";

let backend: Backend;
let nginx: NginxUnderTest;
let pebble: Pebble;
let work: string;
let httpsPort: number;
let env: Record<string, string>;
let tlsLog: string;
let liveDir: string;

function proxyConfig(mode: "online" | "offline", directory: string): ProxyConfig {
  return {
    domain: DOMAIN,
    host: { kind: "external", address: "203.0.113.10" },
    mode,
    target: mode === "online" ? { kind: "address", address: "127.0.0.1" } : undefined,
    port: backend.port,
    offlineTitle: "LAPPS Grid is resting",
    offlineMessage: "Back when needed.",
    health: { path: "/", statuses: "200-399", tries: 3, intervalSeconds: 1 },
    tls: { mode: "acme", email: "ops@lappsgrid.org", directory, hsts: false },
  };
}

function applyInput(mode: "online" | "offline", directory = pebble.directory): string {
  return renderApplyInput(
    renderProxyCandidate(proxyConfig(mode, directory), "127.0.0.1", {
      listen: nginx.listen,
      pageDir: nginx.pageDir,
      httpsListen: `127.0.0.1:${httpsPort}`,
      acmeWebroot: join(work, "acme-webroot"),
      certbotLiveDir: liveDir,
    }),
  );
}

/** curl as a visitor whose DNS points the domain at this machine; never sync: the backend runs in this process. */
async function curl(
  scheme: "http" | "https",
  path: string,
  extra: string[] = [],
): Promise<{ status: number; headers: string; body: string }> {
  const port = scheme === "https" ? httpsPort : nginx.port;
  const { stdout: output } = await promisify(execFile)(
    "curl",
    [
      "-sS",
      "-i",
      "--max-time",
      "10",
      "--cacert",
      join(work, "pebble-root.pem"),
      "--resolve",
      `${DOMAIN}:${port}:127.0.0.1`,
      ...extra,
      `${scheme}://${DOMAIN}:${port}${path}`,
    ],
    { encoding: "utf8" },
  );
  const [headers, ...body] = output.split("\r\n\r\n");
  return { status: Number(headers.split(" ")[1]), headers, body: body.join("\r\n\r\n") };
}

/** The serial of the certificate nginx presents on the HTTPS port right now. */
function servedSerial(): string {
  const pem = execFileSync(
    "sh",
    [
      "-c",
      `openssl s_client -connect 127.0.0.1:${httpsPort} -servername ${DOMAIN} </dev/null 2>/dev/null | openssl x509 -noout -serial`,
    ],
    { encoding: "utf8" },
  );
  return pem.trim();
}

/** What certbot's timer runs on the proxy host (through the drop-in), forced to renew now. */
function renewNow() {
  return runProcess(
    "bash",
    [APPLY_SCRIPT_FILE, "--renew", "--force-renewal", "--no-random-sleep-on-renew"],
    "",
    env,
  );
}

beforeAll(async () => {
  backend = await startBackend("galaxy");
  work = makeTempDir("acme");
  liveDir = join(work, "letsencrypt", "live");
  tlsLog = join(work, "log", "lappsgrid-proxy-tls.log");
  httpsPort = await freePort();
  // The bootstrap's offline site, as user data leaves a new proxy host.
  nginx = await startNginx({
    site: (listen, pageDir) => renderOfflineSite({ mode: "offline", domain: DOMAIN, listen, pageDir }),
    page: renderOfflinePage(),
  });
  pebble = await startPebble(nginx.port);
  writeFileSync(join(work, "pebble-root.pem"), await pebble.issuingRoot());
  mkdirSync(join(work, "certbot-work"), { recursive: true });
  env = {
    ...nginx.applyEnv,
    LAPPSGRID_PROXY_CERTBOT: [
      "certbot",
      "--config-dir",
      join(work, "letsencrypt"),
      "--work-dir",
      join(work, "certbot-work"),
      "--logs-dir",
      join(work, "certbot-logs"),
    ].join(" "),
    LAPPSGRID_PROXY_TLS_LOG: tlsLog,
    LAPPSGRID_PROXY_SYSTEMD_DIR: join(work, "systemd"),
    REQUESTS_CA_BUNDLE: pebble.listenerCaFile,
  };
}, 60000);

afterAll(async () => {
  await pebble?.cleanup();
  await nginx?.cleanup();
  await backend?.close();
});

test("an ACME server that cannot be reached leaves plain HTTP serving the site, and says so", async () => {
  await pebble.stop();
  const run = await runApplyScript(applyInput("online"), env);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(
    /^lappsgrid-proxy-apply: online is live \(nginx reloaded\)\nlappsgrid-proxy-apply: no certificate for jetstream\.lappsgrid\.org from https:\/\/127\.0\.0\.1:\d+\/dir: certbot failed: .*Connection refused.*; plain HTTP keeps serving\n$/,
  );
  const http = await curl("http", "/galaxy/api/version");
  expect(http.status).toBe(200);
  expect(JSON.parse(http.body)).toMatchObject({ backend: "galaxy", url: "/galaxy/api/version" });
  expect(readFileSync(tlsLog, "utf8")).toMatch(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ no certificate for jetstream\.lappsgrid\.org from https:\/\/127\.0\.0\.1:\d+\/dir: certbot failed: .*; plain HTTP keeps serving\n$/,
  );
  const status = await runProcess("bash", [APPLY_SCRIPT_FILE, "--status"], "", env);
  expect(status).toEqual({
    code: 0,
    stdout: `lappsgrid-proxy-apply: no certificate for jetstream.lappsgrid.org yet; plain HTTP serves; see ${tlsLog}\n`,
    stderr: "",
  });
}, 120000);

test("certbot's timer (--renew) obtains the missing first certificate and switches to HTTPS, no apply needed", async () => {
  await pebble.start();
  // pebble makes a new issuing root on every start.
  writeFileSync(join(work, "pebble-root.pem"), await pebble.issuingRoot());
  const run = await runProcess("bash", [APPLY_SCRIPT_FILE, "--renew", "--no-random-sleep-on-renew"], "", env);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(
    /^lappsgrid-proxy-apply: certificate for jetstream\.lappsgrid\.org is live \(expires [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT\); nginx reloaded\n$/,
  );
  const https = await curl("https", "/galaxy/api/version");
  expect(https.status).toBe(200);
  expect(JSON.parse(https.body)).toMatchObject({ backend: "galaxy", url: "/galaxy/api/version" });
  expect(https.headers).not.toMatch(/strict-transport-security/i);
  const http = await curl("http", "/galaxy/?x=1");
  expect(http.status).toBe(301);
  expect(http.headers.split("\r\n")).toContain(`Location: https://${DOMAIN}:${httpsPort}/galaxy/?x=1`);
  expect(readFileSync(tlsLog, "utf8").trim().split("\n").pop()).toMatch(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ certificate for jetstream\.lappsgrid\.org is live \(expires .+ GMT\); nginx reloaded$/,
  );
}, 120000);

test("an apply with the certificate at hand makes the HTTPS form live at once", async () => {
  const run = await runApplyScript(applyInput("online"), env);
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: online is live (nginx reloaded)\n",
    stderr: "",
  });
  expect((await curl("https", "/")).status).toBe(200);
}, 60000);

test("certbot's twice-daily service is pointed at --renew, which retries a missing first certificate", () => {
  expect(readFileSync(join(work, "systemd", "certbot.service.d", "lappsgrid-proxy.conf"), "utf8")).toBe(
    `# Written by ${APPLY_SCRIPT_FILE}: certbot's timer retries the proxy's first certificate and logs failed renewals.\n[Service]\nExecStart=\nExecStart=${APPLY_SCRIPT_FILE} --renew --no-random-sleep-on-renew\n`,
  );
});

test("--status names the certificate's expiry date", async () => {
  const run = await runProcess("bash", [APPLY_SCRIPT_FILE, "--status"], "", env);
  expect(run).toMatchObject({ code: 0, stderr: "" });
  expect(run.stdout).toBe(
    `lappsgrid-proxy-apply: certificate for jetstream.lappsgrid.org expires ${execFileSync(
      "openssl",
      ["x509", "-noout", "-enddate", "-in", join(liveDir, DOMAIN, "fullchain.pem")],
      { encoding: "utf8" },
    )
      .trim()
      .replace("notAfter=", "")} (${join(liveDir, DOMAIN, "fullchain.pem")})\n`,
  );
});

test("offline over HTTPS answers 503, Retry-After and the page, with the certificate already there", async () => {
  const run = await runApplyScript(applyInput("offline"), env);
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: offline is live (nginx reloaded)\n",
    stderr: "",
  });
  const answer = await curl("https", "/galaxy/", ["-X", "POST", "-d", "x=1"]);
  expect(answer.status).toBe(503);
  expect(answer.headers).toContain("Retry-After: 3600\r\n");
  expect(answer.body).toContain("<title>LAPPS Grid is resting</title>");
  expect((await curl("http", "/")).status).toBe(301);
}, 60000);

test("a renewal under load over HTTPS drops no request and serves the new certificate", async () => {
  expect((await runApplyScript(applyInput("online"), env)).code).toBe(0);
  const before = servedSerial();
  const load = startLoad({
    port: httpsPort,
    ca: readFileSync(join(work, "pebble-root.pem"), "utf8"),
    maxMs: 90000,
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const renew = await renewNow();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const report = await load.stop();
  expect(renew).toEqual({ code: 0, stdout: "", stderr: "" });
  expect(report.failures).toEqual([]);
  expect(report.failed).toBe(0);
  expect(report.observed["online:galaxy"]).toBeGreaterThan(100);
  expect(servedSerial()).not.toBe(before);
  expect(readFileSync(tlsLog, "utf8").trim().split("\n").pop()).toMatch(
    /Z certificate for jetstream\.lappsgrid\.org is live \(expires .+ GMT\); nginx reloaded$/,
  );
}, 120000);

test("a renewal that fails (ACME server stopped) leaves the old certificate serving and says so in the log", async () => {
  const before = servedSerial();
  await pebble.stop();
  try {
    const renew = await renewNow();
    expect(renew.code).toBe(1);
    expect(renew.stdout).toMatch(
      /^lappsgrid-proxy-apply: renewal of the certificate for jetstream\.lappsgrid\.org failed \(Failed to renew certificate jetstream\.lappsgrid\.org with error: .*Connection refused\); the old one keeps serving \(expires .+ GMT\); certbot's log says more\n$/,
    );
    expect(servedSerial()).toBe(before);
    expect((await curl("https", "/")).status).toBe(200);
    expect(readFileSync(tlsLog, "utf8").trim().split("\n").pop()).toMatch(
      /Z renewal of the certificate for jetstream\.lappsgrid\.org failed \(.*Connection refused\); the old one keeps serving \(expires .+ GMT\); certbot's log says more$/,
    );
  } finally {
    await pebble.start();
  }
}, 120000);

test("turning HTTPS off serves plain HTTP again and hands certbot's timer back to a bare renew", async () => {
  const proxy = {
    ...proxyConfig("online", pebble.directory),
    tls: { mode: "none" as const, hsts: false as const },
  };
  const run = await runApplyScript(
    renderApplyInput(
      renderProxyCandidate(proxy, "127.0.0.1", { listen: nginx.listen, pageDir: nginx.pageDir }),
    ),
    env,
  );
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: online is live (nginx reloaded)\n",
    stderr: "",
  });
  expect((await curl("http", "/")).status).toBe(200);
  expect(existsSync(join(work, "systemd", "certbot.service.d", "lappsgrid-proxy.conf"))).toBe(false);
  const renew = await runProcess(
    "bash",
    [APPLY_SCRIPT_FILE, "--renew", "--no-random-sleep-on-renew"],
    "",
    env,
  );
  expect(renew).toEqual({ code: 0, stdout: "", stderr: "" });
}, 60000);

test("without a contact e-mail, certbot registers an account with none and the site still gets its certificate", async () => {
  // A certbot of its own: the account above has a contact, and certbot reuses an account it holds.
  const certbotDir = join(work, "no-contact");
  const noContactEnv = {
    ...env,
    LAPPSGRID_PROXY_CERTBOT: [
      "certbot",
      "--config-dir",
      join(certbotDir, "letsencrypt"),
      "--work-dir",
      join(certbotDir, "work"),
      "--logs-dir",
      join(certbotDir, "logs"),
    ].join(" "),
  };
  // pebble makes a new issuing root on every start (the test above restarted it).
  writeFileSync(join(work, "pebble-root.pem"), await pebble.issuingRoot());
  const proxy: ProxyConfig = {
    ...proxyConfig("online", pebble.directory),
    tls: { mode: "acme", directory: pebble.directory, hsts: false },
  };
  const candidate = renderProxyCandidate(proxy, "127.0.0.1", {
    listen: nginx.listen,
    pageDir: nginx.pageDir,
    httpsListen: `127.0.0.1:${httpsPort}`,
    acmeWebroot: join(work, "acme-webroot"),
    certbotLiveDir: join(certbotDir, "letsencrypt", "live"),
  });
  const run = await runApplyScript(renderApplyInput(candidate), noContactEnv);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(
    /^lappsgrid-proxy-apply: online is live \(nginx reloaded\)\nlappsgrid-proxy-apply: certificate for jetstream\.lappsgrid\.org is live \(expires .+ GMT\); nginx reloaded\n$/,
  );
  expect((await curl("https", "/galaxy/")).status).toBe(200);
  const account = await runProcess(
    "certbot",
    [
      ...noContactEnv.LAPPSGRID_PROXY_CERTBOT.split(" ").slice(1),
      "show_account",
      "--server",
      pebble.directory,
    ],
    "",
    noContactEnv,
  );
  expect(account.code).toBe(0);
  expect(`${account.stdout}${account.stderr}`).toContain("  Email contact: none");
}, 120000);

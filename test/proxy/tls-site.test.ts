/**
 * The HTTPS forms of the rendered sites in a real nginx on loopback: before the first
 * certificate HTTP serves the site and answers ACME challenges; once one exists, HTTP answers
 * challenges and redirects, HTTPS serves the online site (uploads, WebSockets) or the offline page.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import type { Socket } from "node:net";
import { join } from "node:path";
import {
  type OnlineSite,
  renderOfflineSite,
  renderOnlineSite,
  type SiteTls,
} from "../../components/proxy/nginx-site";
import { renderOfflinePage } from "../../components/proxy/offline-page";
import {
  type Backend,
  type BackendReport,
  decodeTextFrame,
  encodeTextFrame,
  startBackend,
  websocketAccept,
} from "../../harness/http-backend";
import { freePort, makeTempDir, type NginxUnderTest, startNginx } from "../../harness/nginx";
import { makeCertificate } from "../../harness/tls-certificate";
import { httpRequest } from "../helpers/http-request";

const DOMAIN = "jetstream.lappsgrid.org";
const TOKEN = "Xq9lappsgridChallengeToken_-1";
const KEY_AUTHORIZATION = `${TOKEN}.thumbprint-of-the-account-key`;

interface TlsRig {
  nginx: NginxUnderTest;
  httpsPort: number;
  ca: string;
  webroot: string;
}

/** nginx running `render(listen, pageDir, tls)`, a challenge file in its webroot, a certificate when asked. */
async function startTlsSite(
  render: (listen: string, pageDir: string, tls: SiteTls) => string,
  options: { certificate: boolean; hsts: boolean; page?: string },
): Promise<TlsRig> {
  const dir = makeTempDir("tls");
  const webroot = join(dir, "webroot");
  mkdirSync(join(webroot, ".well-known", "acme-challenge"), { recursive: true, mode: 0o755 });
  writeFileSync(join(webroot, ".well-known", "acme-challenge", TOKEN), KEY_AUTHORIZATION);
  const certificate = makeCertificate(dir, DOMAIN);
  const httpsPort = await freePort();
  const tls: SiteTls = {
    webroot,
    listen: `127.0.0.1:${httpsPort}`,
    hsts: options.hsts,
    certificate: options.certificate ? { chain: certificate.chain, key: certificate.key } : undefined,
  };
  const nginx = await startNginx({
    site: (listen, pageDir) => render(listen, pageDir, tls),
    page: options.page,
  });
  return { nginx, httpsPort, ca: certificate.pem, webroot };
}

const online =
  (backend: Backend) =>
  (listen: string, _pageDir: string, tls: SiteTls): string =>
    renderOnlineSite({
      mode: "online",
      domain: DOMAIN,
      listen,
      tls,
      upstream: { host: "127.0.0.1", port: backend.port },
    } satisfies OnlineSite);

const offline = (listen: string, pageDir: string, tls: SiteTls): string =>
  renderOfflineSite({ mode: "offline", domain: DOMAIN, listen, pageDir, tls });

/** One WebSocket echo through the HTTPS server: the frames the client received. */
async function websocketOverTls(
  port: number,
  ca: string,
): Promise<{ status: number; accepted: boolean; frames: string[] }> {
  const key = randomBytes(16).toString("base64");
  const { status, accept, socket, head } = await new Promise<{
    status: number;
    accept: string;
    socket: Socket;
    head: Buffer;
  }>((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path: "/api/events",
      agent: false,
      ca,
      servername: DOMAIN,
      headers: {
        host: DOMAIN,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-key": key,
        "sec-websocket-version": "13",
      },
    });
    req.on("upgrade", (response, upgraded: Socket, rest: Buffer) =>
      resolve({
        status: response.statusCode ?? 0,
        accept: String(response.headers["sec-websocket-accept"]),
        socket: upgraded,
        head: rest,
      }),
    );
    req.on("response", (response) => reject(new Error(`no upgrade: HTTPS ${response.statusCode}`)));
    req.on("error", reject);
    req.end();
  });
  let buffered = head;
  const nextFrame = () =>
    new Promise<string>((resolve) => {
      const tryDecode = () => {
        const text = decodeTextFrame(buffered);
        if (text === undefined) return false;
        buffered = Buffer.alloc(0);
        resolve(text);
        return true;
      };
      if (tryDecode()) return;
      const onData = (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (tryDecode()) socket.off("data", onData);
      };
      socket.on("data", onData);
    });
  const frames = [await nextFrame()];
  socket.write(encodeTextFrame("ping", true));
  frames.push(await nextFrame());
  socket.destroy();
  return { status, accepted: accept === websocketAccept(key), frames };
}

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend("galaxy");
});
afterAll(async () => {
  await backend?.close();
});

describe("online site before its first certificate", () => {
  let rig: TlsRig;
  beforeAll(async () => {
    rig = await startTlsSite(online(backend), { certificate: false, hsts: true });
  });
  afterAll(async () => rig?.nginx.cleanup());

  test("plain HTTP serves the site as without TLS", async () => {
    const answer = await httpRequest({ port: rig.nginx.port, path: "/galaxy/api/version" });
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.body) as BackendReport;
    expect(report.url).toBe("/galaxy/api/version");
    expect(report.headers["x-forwarded-proto"]).toBe("http");
    expect(answer.headers["strict-transport-security"]).toBeUndefined();
  });

  test("HTTP answers the ACME challenge from the webroot", async () => {
    const answer = await httpRequest({ port: rig.nginx.port, path: `/.well-known/acme-challenge/${TOKEN}` });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("text/plain");
    expect(answer.body).toBe(KEY_AUTHORIZATION);
  });

  test("nothing listens for HTTPS yet", async () => {
    await expect(httpRequest({ port: rig.httpsPort, ca: rig.ca })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("offline site before its first certificate", () => {
  let rig: TlsRig;
  const page = renderOfflinePage({ title: "Resting", message: "Back soon." });
  beforeAll(async () => {
    rig = await startTlsSite(offline, { certificate: false, hsts: false, page });
  });
  afterAll(async () => rig?.nginx.cleanup());

  test("HTTP answers the offline page with 503 and Retry-After", async () => {
    const answer = await httpRequest({ port: rig.nginx.port, path: "/galaxy/" });
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("3600");
    expect(answer.body).toBe(page);
  });

  test("the ACME challenge is answered while offline, and a missing one is a plain 404", async () => {
    const found = await httpRequest({ port: rig.nginx.port, path: `/.well-known/acme-challenge/${TOKEN}` });
    expect(found.status).toBe(200);
    expect(found.body).toBe(KEY_AUTHORIZATION);
    const missing = await httpRequest({ port: rig.nginx.port, path: "/.well-known/acme-challenge/unknown" });
    expect(missing.status).toBe(404);
    expect(missing.body).not.toContain("Resting");
  });
});

describe("online site with a certificate", () => {
  let rig: TlsRig;
  beforeAll(async () => {
    rig = await startTlsSite(online(backend), { certificate: true, hsts: false });
  });
  afterAll(async () => rig?.nginx.cleanup());

  test("HTTP redirects every path to the same URL over HTTPS", async () => {
    const answer = await httpRequest({
      port: rig.nginx.port,
      path: "/galaxy/api/version?x=1",
      method: "POST",
      body: "a=1",
    });
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://${DOMAIN}:${rig.httpsPort}/galaxy/api/version?x=1`);
  });

  test("HTTP still answers the ACME challenge, for renewals", async () => {
    const answer = await httpRequest({ port: rig.nginx.port, path: `/.well-known/acme-challenge/${TOKEN}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(KEY_AUTHORIZATION);
  });

  test("HTTPS forwards to the target with X-Forwarded-Proto https and no HSTS unless asked", async () => {
    const answer = await httpRequest({ port: rig.httpsPort, path: "/galaxy/api/version", ca: rig.ca });
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.body) as BackendReport;
    expect(report.url).toBe("/galaxy/api/version");
    expect(report.headers.host).toBe(DOMAIN);
    expect(report.headers["x-forwarded-proto"]).toBe("https");
    expect(answer.headers["strict-transport-security"]).toBeUndefined();
  });

  test("a 20 MB upload over HTTPS arrives intact", async () => {
    const body = randomBytes(20 * 1024 * 1024);
    const answer = await httpRequest({
      port: rig.httpsPort,
      method: "POST",
      path: "/api/tools/fetch",
      headers: { "content-type": "application/octet-stream" },
      body,
      ca: rig.ca,
    });
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.body) as BackendReport;
    expect(report.bodyBytes).toBe(body.length);
    expect(report.bodySha256).toBe(createHash("sha256").update(body).digest("hex"));
  });

  test("a WebSocket upgrade over HTTPS works end to end", async () => {
    expect(await websocketOverTls(rig.httpsPort, rig.ca)).toEqual({
      status: 101,
      accepted: true,
      frames: ["hello from galaxy", "galaxy echoes ping"],
    });
  });
});

describe("offline site with a certificate", () => {
  let rig: TlsRig;
  const page = renderOfflinePage({ title: "Resting", message: "Back soon." });
  beforeAll(async () => {
    rig = await startTlsSite(offline, { certificate: true, hsts: false, page });
  });
  afterAll(async () => rig?.nginx.cleanup());

  test.each([
    ["GET", "/"],
    ["POST", "/api/tools"],
    ["GET", "/offline.html"],
  ])("HTTPS %s %s answers the offline page with 503 and Retry-After", async (method, path) => {
    const answer = await httpRequest({
      port: rig.httpsPort,
      method,
      path,
      ca: rig.ca,
      body: method === "GET" ? undefined : "x=1",
    });
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("3600");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.headers["strict-transport-security"]).toBeUndefined();
    expect(answer.body).toBe(page);
  });

  test("HTTP redirects to HTTPS", async () => {
    const answer = await httpRequest({ port: rig.nginx.port, path: "/" });
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://${DOMAIN}:${rig.httpsPort}/`);
  });
});

describe("HSTS, when the stack turns it on", () => {
  let onlineRig: TlsRig;
  let offlineRig: TlsRig;
  beforeAll(async () => {
    onlineRig = await startTlsSite(online(backend), { certificate: true, hsts: true });
    offlineRig = await startTlsSite(offline, { certificate: true, hsts: true, page: "<p>offline</p>\n" });
  });
  afterAll(async () => {
    await onlineRig?.nginx.cleanup();
    await offlineRig?.nginx.cleanup();
  });

  test("every HTTPS answer carries Strict-Transport-Security for a year, online and offline", async () => {
    const up = await httpRequest({ port: onlineRig.httpsPort, ca: onlineRig.ca });
    expect(up.status).toBe(200);
    expect(up.headers["strict-transport-security"]).toBe("max-age=31536000");
    const down = await httpRequest({ port: offlineRig.httpsPort, ca: offlineRig.ca });
    expect(down.status).toBe(503);
    expect(down.headers["strict-transport-security"]).toBe("max-age=31536000");
    expect(down.headers["retry-after"]).toBe("3600");
  });

  test("the HTTP redirect carries no HSTS header (browsers ignore it over HTTP)", async () => {
    const answer = await httpRequest({ port: onlineRig.nginx.port });
    expect(answer.status).toBe(301);
    expect(answer.headers["strict-transport-security"]).toBeUndefined();
  });
});

test("the standard ports render without a port in the redirect", () => {
  const site = renderOnlineSite({
    mode: "online",
    domain: DOMAIN,
    upstream: { host: "10.0.0.5", port: 8080 },
    tls: {
      webroot: "/var/www/lappsgrid-acme",
      hsts: false,
      certificate: {
        chain: "/etc/letsencrypt/live/jetstream.lappsgrid.org/fullchain.pem",
        key: "/etc/letsencrypt/live/jetstream.lappsgrid.org/privkey.pem",
      },
    },
  });
  expect(site).toContain("    listen 80;\n");
  expect(site).toContain("    listen 443 ssl;\n");
  expect(site).toContain("        return 301 https://$host$request_uri;\n");
  expect(site).toContain("# tls: https\n");
});

test("a certificate path nginx could misread is refused, naming it", () => {
  expect(() =>
    renderOfflineSite({
      mode: "offline",
      domain: DOMAIN,
      pageDir: "/var/www/lappsgrid-proxy",
      tls: {
        webroot: "/var/www/acme",
        hsts: false,
        certificate: { chain: "/etc/x.pem; include /etc/passwd", key: "/k" },
      },
    }),
  ).toThrow(
    'certificate chain file: "/etc/x.pem; include /etc/passwd" is not allowed; allowed: an absolute path of letters, digits, "/", ".", "_" and "-", without ".." segments',
  );
});

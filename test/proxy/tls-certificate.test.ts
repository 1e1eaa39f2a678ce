/**
 * proxy.tls mode certificate on a real nginx: the apply script installs the stack's certificate
 * and key (the key readable by root only) and makes the HTTPS form live at once; a certificate
 * nginx refuses changes nothing that is served.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { renderApplyInput } from "../../components/proxy/apply-input";
import { renderProxyCandidate, type StackCertificate } from "../../components/proxy/candidate";
import { renderOfflineSite } from "../../components/proxy/nginx-site";
import { renderOfflinePage } from "../../components/proxy/offline-page";
import type { ProxyConfig } from "../../config/types";
import { type Backend, startBackend } from "../../harness/http-backend";
import { freePort, makeTempDir, type NginxUnderTest, startNginx } from "../../harness/nginx";
import { runApplyScript } from "../../harness/proxy-apply";
import { makeCertificate, type TestCertificate } from "../../harness/tls-certificate";
import { httpRequest } from "../helpers/http-request";

const DOMAIN = "jetstream.lappsgrid.org";

let backend: Backend;
let nginx: NginxUnderTest;
let httpsPort: number;
let tlsDir: string;
let certificate: TestCertificate;

function input(stackCertificate: StackCertificate): string {
  const proxy: ProxyConfig = {
    domain: DOMAIN,
    host: { kind: "external", address: "203.0.113.10" },
    mode: "online",
    target: { kind: "address", address: "127.0.0.1" },
    port: backend.port,
    offlineTitle: "Resting",
    offlineMessage: "Back soon.",
    health: { path: "/", statuses: "200-399", tries: 3, intervalSeconds: 1 },
    tls: { mode: "certificate", hsts: false },
  };
  return renderApplyInput(
    renderProxyCandidate(
      proxy,
      "127.0.0.1",
      {
        listen: nginx.listen,
        pageDir: nginx.pageDir,
        httpsListen: `127.0.0.1:${httpsPort}`,
        acmeWebroot: join(nginx.prefix, "acme"),
        tlsDir,
      },
      stackCertificate,
    ),
  );
}

beforeAll(async () => {
  backend = await startBackend("galaxy");
  nginx = await startNginx({
    site: (listen, pageDir) => renderOfflineSite({ mode: "offline", domain: DOMAIN, listen, pageDir }),
    page: renderOfflinePage(),
  });
  httpsPort = await freePort();
  tlsDir = join(nginx.prefix, "tls");
  certificate = makeCertificate(makeTempDir("stack-cert"), DOMAIN);
});

afterAll(async () => {
  await nginx?.cleanup();
  await backend?.close();
});

test("a certificate nginx cannot load changes nothing: the previous site serves and no file is left", async () => {
  const run = await runApplyScript(
    input({
      chain: readFileSync(certificate.chain, "utf8"),
      key: "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
    }),
    nginx.applyEnv,
  );
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    "lappsgrid-proxy-apply: nginx -t rejected the candidate; the previous site is back and still serving\n",
  );
  expect((await httpRequest({ port: nginx.port })).status).toBe(503);
  expect(existsSync(join(tlsDir, "privkey.pem"))).toBe(false);
  expect(existsSync(join(tlsDir, "fullchain.pem"))).toBe(false);
});

test("the stack's certificate is installed, the key for root only, and HTTPS serves at once", async () => {
  const chain = readFileSync(certificate.chain, "utf8");
  const key = readFileSync(certificate.key, "utf8");
  const run = await runApplyScript(input({ chain, key }), nginx.applyEnv);
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: online is live (nginx reloaded)\n",
    stderr: "",
  });
  expect(readFileSync(join(tlsDir, "fullchain.pem"), "utf8")).toBe(chain);
  expect(readFileSync(join(tlsDir, "privkey.pem"), "utf8")).toBe(key);
  expect(statSync(join(tlsDir, "privkey.pem")).mode & 0o777).toBe(0o600);
  const answer = await httpRequest({ port: httpsPort, path: "/galaxy/", ca: certificate.pem });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ backend: "galaxy", url: "/galaxy/" });
  const http = await httpRequest({ port: nginx.port, path: "/galaxy/" });
  expect(http.status).toBe(301);
  expect(http.headers.location).toBe(`https://${DOMAIN}:${httpsPort}/galaxy/`);
});

/**
 * The one decision the component and `jetstream proxy-config` share: from a validated proxy
 * block and the target's address to the site, page and probe the proxy host gets.
 */
import { renderProxyCandidate } from "../../components/proxy/candidate";
import type { ProxyConfig } from "../../config/types";

const proxy = (overrides: Partial<ProxyConfig>): ProxyConfig => ({
  domain: "galaxy.example.org",
  host: { kind: "instance", name: "lappsgrid-proxy" },
  mode: "online",
  target: { kind: "instance", name: "lappsgrid-galaxy" },
  port: 8080,
  offlineTitle: "Down & out",
  offlineMessage: "Back soon",
  health: { path: "/", statuses: "200-399", tries: 30, intervalSeconds: 10 },
  tls: { mode: "none", hsts: false },
  ...overrides,
});

test("online without the target's address is refused, naming proxy.target", () => {
  expect(() => renderProxyCandidate(proxy({}), undefined)).toThrow(
    new Error("proxy.target: the online site needs the target's address; none was given"),
  );
});

test("offline needs no address and serves the page from the proxy host's directory on port 80", () => {
  const { site, probe } = renderProxyCandidate(proxy({ mode: "offline" }), undefined);
  expect(probe).toBeUndefined();
  expect(site).toContain("    listen 80;\n    server_name galaxy.example.org;\n");
  expect(site).toContain("        root /var/www/lappsgrid-proxy;\n");
});

test("a placement moves the listen address and the page directory, nothing else", () => {
  const offline = renderProxyCandidate(proxy({ mode: "offline" }), undefined, {
    listen: "127.0.0.1:8081",
    pageDir: "/srv/page",
  });
  expect(offline.site).toContain("    listen 127.0.0.1:8081;\n");
  expect(offline.site).toContain("        root /srv/page;\n");
  const online = renderProxyCandidate(proxy({}), "10.0.0.12", { listen: "127.0.0.1:8082" });
  expect(online.site).toContain("    listen 127.0.0.1:8082;\n    server_name galaxy.example.org;\n");
  expect(online.site).toContain("    server 10.0.0.12:8080;\n");
});

test("the page carries the stack's title, message and expected-back date, escaped", () => {
  const { page } = renderProxyCandidate(
    proxy({ mode: "offline", offlineUntil: "2026-12-01T09:00Z" }),
    undefined,
  );
  expect(page).toContain("<title>Down &amp; out</title>");
  expect(page).toContain("<h1>Down &amp; out</h1>\n<p>Back soon</p>\n");
  expect(page).toContain('<p>Expected back: <time datetime="2026-12-01T09:00Z">2026-12-01T09:00Z</time></p>');
});

test.each([
  [
    "acme",
    { mode: "acme" as const, directory: "https://acme-v02.api.letsencrypt.org/directory", hsts: false },
  ],
  ["certificate", { mode: "certificate" as const, hsts: false }],
])(
  "a certificate placed by hand (%s): the HTTPS form names its files, and neither certbot nor the stack's secrets are asked for",
  (_, tls) => {
    const candidate = renderProxyCandidate(proxy({ mode: "offline", tls }), undefined, {
      httpsListen: "127.0.0.1:8443",
      acmeWebroot: "/srv/trial/acme",
      certificateFiles: { chain: "/srv/trial/tls/fullchain.pem", key: "/srv/trial/tls/privkey.pem" },
    });
    expect(candidate.acme).toBeUndefined();
    expect(candidate.tlsFiles).toBeUndefined();
    expect(candidate.tlsSite).toContain(
      "    listen 127.0.0.1:8443 ssl;\n    server_name galaxy.example.org;\n    ssl_certificate /srv/trial/tls/fullchain.pem;\n    ssl_certificate_key /srv/trial/tls/privkey.pem;\n",
    );
    expect(candidate.site).toContain("        root /srv/trial/acme;\n");
    expect(candidate.site).not.toContain("ssl");
  },
);

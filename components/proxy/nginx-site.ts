/**
 * The nginx site of jetstream.lappsgrid.org, meant to be `include`d inside nginx's `http {}`.
 * Pure functions: the component pushes their output to the proxy host, the CLI writes it to a
 * directory, the tests run it in a real nginx.
 */
import { checkDirectory, checkDomain, checkListen, checkPort, checkUpstreamHost } from "./site-params";

/** The file the offline site serves; the apply script and the bootstrap write it beside nothing else. */
export const OFFLINE_PAGE_FILE = "offline.html";

/** Seconds a client is told to wait before trying an offline service again. */
export const RETRY_AFTER_SECONDS = 3600;

/** Where the HTTPS form of a site finds its certificate, once one exists. */
export interface SiteCertificate {
  /** PEM chain: the certificate, then its intermediates (certbot's fullchain.pem). */
  chain: string;
  /** PEM private key. */
  key: string;
}

export interface SiteTls {
  /** Directory the ACME client writes `.well-known/acme-challenge/` files under (certbot --webroot). */
  webroot: string;
  /**
   * Present once a certificate exists: HTTPS serves the site and port 80 redirects to it.
   * Absent (before the first issuance): port 80 serves the site as plain HTTP does.
   */
  certificate?: SiteCertificate;
  /** nginx `listen` of the HTTPS server: `443` on the proxy host. Default 443. */
  listen?: string;
  /** Strict-Transport-Security on every HTTPS answer. */
  hsts: boolean;
}

export interface SiteCommon {
  domain: string;
  /** nginx `listen`: `80` on the proxy host, `127.0.0.1:PORT` in tests. Default 80. */
  listen?: string;
  /** HTTPS; absent: plain HTTP only, no ACME challenge location. */
  tls?: SiteTls;
}

export interface OnlineSite extends SiteCommon {
  mode: "online";
  upstream: { host: string; port: number };
}

export interface OfflineSite extends SiteCommon {
  mode: "offline";
  /** Absolute directory holding `offline.html`. */
  pageDir: string;
}

const HEADER =
  "# Rendered by lappsgrid-jetstream (components/proxy); edits are overwritten on the next switch.";

/** A year: what browsers remember HTTPS-only for, once told. */
export const HSTS_MAX_AGE_SECONDS = 31536000;

/**
 * No `default_server`: the proxy host carries this site alone (the bootstrap removes Debian's
 * default), so nginx answers every Host with it anyway, and a second `default_server` on the
 * same port would make `nginx -t` fail on hosts that kept theirs.
 */
function serverHead(domain: string, listen: string): string[] {
  return [`    listen ${listen};`, `    server_name ${checkDomain(domain)};`];
}

/** The lines inside `server {}` that make it the online site. */
function onlineBody(): string[] {
  return [
    "    # Galaxy takes uploads of many gigabytes: no size limit, streamed to the service as they arrive.",
    "    client_max_body_size 0;",
    "    proxy_request_buffering off;",
    "",
    "    location / {",
    "        proxy_pass http://lappsgrid_proxy_target;",
    "        proxy_http_version 1.1;",
    "        proxy_set_header Host $host;",
    "        proxy_set_header X-Real-IP $remote_addr;",
    "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "        proxy_set_header X-Forwarded-Proto $scheme;",
    "        proxy_set_header X-Forwarded-Host $host;",
    "        proxy_set_header Upgrade $http_upgrade;",
    "        proxy_set_header Connection $lappsgrid_proxy_connection_upgrade;",
    "        # Long-running tool runs and open WebSockets stay silent for a long time.",
    "        proxy_connect_timeout 10s;",
    "        proxy_read_timeout 3600s;",
    "        proxy_send_timeout 3600s;",
    "        send_timeout 3600s;",
    "    }",
  ];
}

/**
 * The lines inside `server {}` that make it the offline site: every path, any method, answers
 * the page with 503 and Retry-After. The page sits at an internal location; a direct request for
 * it is a 404 turned into the same 503 page. `error_page` to a URI (not a named location) makes
 * nginx serve the file for POST too.
 */
function offlineBody(pageDir: string): string[] {
  return [
    "    # Kept at server level: a location with its own add_header would drop these.",
    `    add_header Retry-After ${RETRY_AFTER_SECONDS} always;`,
    '    add_header Cache-Control "no-store" always;',
    "",
    `    error_page 503 /${OFFLINE_PAGE_FILE};`,
    `    error_page 404 =503 /${OFFLINE_PAGE_FILE};`,
    "",
    "    location / {",
    "        return 503;",
    "    }",
    "",
    `    location = /${OFFLINE_PAGE_FILE} {`,
    "        internal;",
    `        root ${pageDir};`,
    "    }",
  ];
}

/**
 * Port 80 answers ACME HTTP-01 challenges in every mode and state, online or offline, so a
 * renewal never depends on what the site serves. Its own error_page keeps the offline site's
 * "404 becomes the 503 page" away from a missing challenge file.
 */
function acmeChallengeLocation(webroot: string): string[] {
  return [
    "    location ^~ /.well-known/acme-challenge/ {",
    `        root ${checkDirectory(webroot, "ACME webroot")};`,
    "        default_type text/plain;",
    "        error_page 404 /.well-known/acme-challenge/not-found;",
    "        try_files $uri =404;",
    "    }",
  ];
}

/** The port part of a `listen` value, for the redirect's URL; 443 is left out, as browsers do. */
function httpsPortSuffix(listen: string): string {
  const port = listen.split(":").pop();
  return port === "443" ? "" : `:${port}`;
}

function httpsServer(domain: string, tls: SiteTls, certificate: SiteCertificate, body: string[]): string[] {
  return [
    "server {",
    ...serverHead(domain, `${checkListen(tls.listen ?? "443", "HTTPS listen")} ssl`),
    `    ssl_certificate ${checkDirectory(certificate.chain, "certificate chain file")};`,
    `    ssl_certificate_key ${checkDirectory(certificate.key, "certificate key file")};`,
    "    ssl_protocols TLSv1.2 TLSv1.3;",
    "    ssl_session_cache shared:lappsgrid_proxy_tls:10m;",
    "    ssl_session_timeout 1d;",
    ...(tls.hsts
      ? [`    add_header Strict-Transport-Security "max-age=${HSTS_MAX_AGE_SECONDS}" always;`]
      : []),
    "",
    ...body,
    "}",
  ];
}

/**
 * The servers of a site: plain HTTP serving `body` (with the ACME challenge location when TLS is
 * configured); once a certificate exists, HTTP only answers challenges and redirects, and an
 * HTTPS server serves `body`.
 */
function servers(site: SiteCommon, body: string[]): string[] {
  const listen = checkListen(site.listen ?? "80");
  const { tls } = site;
  if (tls === undefined) return ["server {", ...serverHead(site.domain, listen), "", ...body, "}"];
  const challenge = acmeChallengeLocation(tls.webroot);
  if (tls.certificate === undefined) {
    return ["server {", ...serverHead(site.domain, listen), "", ...challenge, "", ...body, "}"];
  }
  const suffix = httpsPortSuffix(checkListen(tls.listen ?? "443", "HTTPS listen"));
  return [
    "server {",
    ...serverHead(site.domain, listen),
    "",
    ...challenge,
    "",
    "    location / {",
    `        return 301 https://$host${suffix}$request_uri;`,
    "    }",
    "}",
    "",
    ...httpsServer(site.domain, tls, tls.certificate, body),
  ];
}

/** `# tls: ...` says which form the apply script made live: it reports it, operators grep it. */
function tlsLine(site: SiteCommon): string[] {
  if (site.tls === undefined) return [];
  return [`# tls: ${site.tls.certificate === undefined ? "waiting for a certificate" : "https"}`];
}

export function renderOnlineSite(site: OnlineSite): string {
  const host = checkUpstreamHost(site.upstream.host);
  const port = checkPort(site.upstream.port, "upstream port");
  // Names are prefixed: other sites on a shared nginx often define `$connection_upgrade` or an
  // upstream called `backend`, and a duplicate would fail the whole configuration.
  return `${[
    HEADER,
    "# mode: online",
    ...tlsLine(site),
    "map $http_upgrade $lappsgrid_proxy_connection_upgrade {",
    "    default upgrade;",
    "    ''      close;",
    "}",
    "",
    "upstream lappsgrid_proxy_target {",
    `    server ${host}:${port};`,
    "}",
    "",
    ...servers(site, onlineBody()),
  ].join("\n")}\n`;
}

export function renderOfflineSite(site: OfflineSite): string {
  const pageDir = checkDirectory(site.pageDir);
  return `${[HEADER, "# mode: offline", ...tlsLine(site), ...servers(site, offlineBody(pageDir))].join("\n")}\n`;
}

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

export interface SiteCommon {
  domain: string;
  /** nginx `listen`: `80` on the proxy host, `127.0.0.1:PORT` in tests. Default 80. */
  listen?: string;
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

export type Site = OnlineSite | OfflineSite;

const HEADER =
  "# Rendered by lappsgrid-jetstream (components/proxy); edits are overwritten on the next switch.";

/**
 * No `default_server`: the proxy host carries this site alone (the bootstrap removes Debian's
 * default), so nginx answers every Host with it anyway, and a second `default_server` on the
 * same port would make `nginx -t` fail on hosts that kept theirs.
 */
function serverHead(site: SiteCommon): string[] {
  return [`    listen ${checkListen(site.listen ?? "80")};`, `    server_name ${checkDomain(site.domain)};`];
}

export function renderOnlineSite(site: OnlineSite): string {
  const host = checkUpstreamHost(site.upstream.host);
  const port = checkPort(site.upstream.port, "upstream port");
  const head = serverHead(site);
  // Names are prefixed: other sites on a shared nginx often define `$connection_upgrade` or an
  // upstream called `backend`, and a duplicate would fail the whole configuration.
  return `${[
    HEADER,
    "# mode: online",
    "map $http_upgrade $lappsgrid_proxy_connection_upgrade {",
    "    default upgrade;",
    "    ''      close;",
    "}",
    "",
    "upstream lappsgrid_proxy_target {",
    `    server ${host}:${port};`,
    "}",
    "",
    "server {",
    ...head,
    "",
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
    "}",
  ].join("\n")}\n`;
}

/**
 * Every path, any method, answers the offline page with 503 and Retry-After. The page sits at an
 * internal location; a direct request for it is a 404 turned into the same 503 page.
 * `error_page` to a URI (not a named location) makes nginx serve the file for POST too.
 */
export function renderOfflineSite(site: OfflineSite): string {
  const pageDir = checkDirectory(site.pageDir);
  const head = serverHead(site);
  return `${[
    HEADER,
    "# mode: offline",
    "server {",
    ...head,
    "",
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
    "}",
  ].join("\n")}\n`;
}

export function renderSite(site: Site): string {
  return site.mode === "online" ? renderOnlineSite(site) : renderOfflineSite(site);
}

/**
 * Where things live on a managed proxy host. The bootstrap writes them, the apply script's
 * defaults match them, and the component renders the site for them.
 */

/** The live site and its candidates: outside every directory nginx includes by glob. */
export const PROXY_SITE_DIR = "/etc/nginx/lappsgrid-proxy";
export const PROXY_SITE_FILE = `${PROXY_SITE_DIR}/site.conf`;
/** Ubuntu's nginx.conf includes conf.d/*.conf inside http {}; this file names the live site alone. */
export const PROXY_INCLUDE_FILE = "/etc/nginx/conf.d/lappsgrid-proxy.conf";
export const PROXY_PAGE_DIR = "/var/www/lappsgrid-proxy";
/** The cloud images' default user, who has passwordless sudo. */
export const DEFAULT_SSH_USER = "ubuntu";
/** certbot's webroot: nginx answers `/.well-known/acme-challenge/` from here in every mode. */
export const PROXY_ACME_WEBROOT = "/var/www/lappsgrid-acme";
/** certbot's lineages, one directory per domain (`--cert-name` is the domain). */
export const PROXY_CERTBOT_LIVE_DIR = "/etc/letsencrypt/live";
/** One line per issuance, renewal or failure of the site's certificate: the operator's log. */
export const PROXY_TLS_LOG = "/var/log/lappsgrid-proxy-tls.log";
/** With proxy.tls mode certificate: the stack's certificate chain and key, key readable by root only. */
export const PROXY_TLS_DIR = `${PROXY_SITE_DIR}/tls`;

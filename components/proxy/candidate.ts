/**
 * From a validated `proxy` block and the target's address to what the proxy host should serve:
 * the one decision both the component and `jetstream proxy-config` make. No Pulumi here.
 */
import type { ProxyConfig } from "../../config/types";
import type { AcmeRequest, Candidate } from "./apply-input";
import { PROXY_ACME_WEBROOT, PROXY_CERTBOT_LIVE_DIR, PROXY_PAGE_DIR } from "./host-layout";
import { renderOfflineSite, renderOnlineSite, type SiteCommon, type SiteTls } from "./nginx-site";
import { renderOfflinePage } from "./offline-page";

export interface CandidatePlacement {
  /** nginx `listen`; default 80, as on the proxy host. */
  listen?: string;
  /** Directory the offline page is served from; default the proxy host's. */
  pageDir?: string;
  /** nginx `listen` of the HTTPS server; default 443. */
  httpsListen?: string;
  /** certbot's webroot; default the proxy host's. */
  acmeWebroot?: string;
  /** Directory holding certbot's lineages (`live`); default /etc/letsencrypt/live. */
  certbotLiveDir?: string;
}

/** The site's TLS settings for both forms, and what certbot needs; none without HTTPS. */
function tlsParts(
  proxy: ProxyConfig,
  placement: CandidatePlacement,
): { tls: SiteTls; acme?: AcmeRequest } | undefined {
  const { tls } = proxy;
  if (tls.mode !== "acme") return undefined;
  const webroot = placement.acmeWebroot ?? PROXY_ACME_WEBROOT;
  const lineage = `${placement.certbotLiveDir ?? PROXY_CERTBOT_LIVE_DIR}/${proxy.domain}`;
  const certificate = { chain: `${lineage}/fullchain.pem`, key: `${lineage}/privkey.pem` };
  return {
    tls: { webroot, listen: placement.httpsListen ?? "443", hsts: tls.hsts, certificate },
    acme: { domain: proxy.domain, email: tls.email, directory: tls.directory, webroot, ...certificate },
  };
}

/**
 * Both forms of a site with TLS: `site` serves plain HTTP (and ACME challenges) until the
 * certificate exists, `tlsSite` is the HTTPS form the apply script makes live once it does.
 */
function withTls(
  render: (common: SiteCommon) => string,
  common: SiteCommon,
  tls: { tls: SiteTls; acme?: AcmeRequest } | undefined,
): Pick<Candidate, "site" | "tlsSite" | "acme"> {
  if (tls === undefined) return { site: render(common) };
  return {
    site: render({ ...common, tls: { ...tls.tls, certificate: undefined } }),
    tlsSite: render({ ...common, tls: tls.tls }),
    acme: tls.acme,
  };
}

/**
 * `targetHost` is the address the online site forwards to (the target's private IP, another
 * stack's public IP, or the literal from config); it is not needed offline.
 */
export function renderProxyCandidate(
  proxy: ProxyConfig,
  targetHost: string | undefined,
  placement: CandidatePlacement = {},
): Candidate {
  const page = renderOfflinePage({
    title: proxy.offlineTitle,
    message: proxy.offlineMessage,
    until: proxy.offlineUntil,
  });
  const common = { domain: proxy.domain, listen: placement.listen ?? "80" };
  const tls = tlsParts(proxy, placement);
  if (proxy.mode === "offline") {
    const pageDir = placement.pageDir ?? PROXY_PAGE_DIR;
    return {
      ...withTls((site) => renderOfflineSite({ ...site, mode: "offline", pageDir }), common, tls),
      page,
    };
  }
  if (targetHost === undefined) {
    throw new Error("proxy.target: the online site needs the target's address; none was given");
  }
  // Probed from the proxy host at the address nginx will forward to; offline is never gated.
  const { health } = proxy;
  return {
    ...withTls(
      (site) =>
        renderOnlineSite({ ...site, mode: "online", upstream: { host: targetHost, port: proxy.port } }),
      common,
      tls,
    ),
    page,
    probe: {
      host: targetHost,
      port: proxy.port,
      path: health.path,
      statuses: health.statuses,
      tries: health.tries,
      interval: health.intervalSeconds,
    },
  };
}

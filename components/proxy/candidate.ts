/**
 * From a validated `proxy` block and the target's address to what the proxy host should serve:
 * the one decision both the component and `jetstream proxy-config` make. No Pulumi here.
 */
import type { ProxyConfig } from "../../config/types";
import type { AcmeRequest, Candidate, TlsFiles } from "./apply-input";
import { PROXY_ACME_WEBROOT, PROXY_CERTBOT_LIVE_DIR, PROXY_PAGE_DIR, PROXY_TLS_DIR } from "./host-layout";
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
  /** Directory the stack's own certificate is installed in; default the proxy host's. */
  tlsDir?: string;
  /**
   * Where the HTTPS form finds a certificate put there by hand (a trial of the site away from
   * the proxy host): neither certbot nor the stack's secrets are involved then.
   */
  certificateFiles?: { chain: string; key: string };
}

/** proxy.tls mode certificate: the PEM texts of the stack's proxyTlsCertificate and proxyTlsKey secrets. */
export interface StackCertificate {
  chain: string;
  key: string;
}

type TlsParts = { tls: SiteTls; acme?: AcmeRequest; tlsFiles?: TlsFiles };

/** The site's TLS settings for both forms, and what certbot needs; none without HTTPS. */
function tlsParts(
  proxy: ProxyConfig,
  placement: CandidatePlacement,
  stackCertificate: StackCertificate | undefined,
): TlsParts | undefined {
  const { tls } = proxy;
  const webroot = placement.acmeWebroot ?? PROXY_ACME_WEBROOT;
  if (tls.mode === "none") return undefined;
  const listen = placement.httpsListen ?? "443";
  if (placement.certificateFiles !== undefined) {
    return { tls: { webroot, listen, hsts: tls.hsts, certificate: placement.certificateFiles } };
  }
  if (tls.mode === "certificate") {
    if (stackCertificate === undefined) {
      throw new Error(
        "proxyTlsCertificate: proxy.tls.mode is certificate but no certificate and key were given",
      );
    }
    const dir = placement.tlsDir ?? PROXY_TLS_DIR;
    const paths = { chain: `${dir}/fullchain.pem`, key: `${dir}/privkey.pem` };
    return {
      tls: { webroot, listen, hsts: tls.hsts, certificate: paths },
      tlsFiles: { chainPath: paths.chain, keyPath: paths.key, ...stackCertificate },
    };
  }
  const lineage = `${placement.certbotLiveDir ?? PROXY_CERTBOT_LIVE_DIR}/${proxy.domain}`;
  const certificate = { chain: `${lineage}/fullchain.pem`, key: `${lineage}/privkey.pem` };
  return {
    tls: { webroot, listen, hsts: tls.hsts, certificate },
    acme: {
      domain: proxy.domain,
      ...(tls.email === undefined ? {} : { email: tls.email }),
      directory: tls.directory,
      webroot,
      ...certificate,
    },
  };
}

/**
 * Both forms of a site with TLS: `site` serves plain HTTP (and ACME challenges) until the
 * certificate exists, `tlsSite` is the HTTPS form the apply script makes live once it does.
 */
function withTls(
  render: (common: SiteCommon) => string,
  common: SiteCommon,
  tls: TlsParts | undefined,
): Pick<Candidate, "site" | "tlsSite" | "acme" | "tlsFiles"> {
  if (tls === undefined) return { site: render(common) };
  return {
    site: render({ ...common, tls: { ...tls.tls, certificate: undefined } }),
    tlsSite: render({ ...common, tls: tls.tls }),
    ...(tls.acme === undefined ? {} : { acme: tls.acme }),
    ...(tls.tlsFiles === undefined ? {} : { tlsFiles: tls.tlsFiles }),
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
  stackCertificate?: StackCertificate,
): Candidate {
  const page = renderOfflinePage({
    title: proxy.offlineTitle,
    message: proxy.offlineMessage,
    until: proxy.offlineUntil,
  });
  const common = { domain: proxy.domain, listen: placement.listen ?? "80" };
  const tls = tlsParts(proxy, placement, stackCertificate);
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

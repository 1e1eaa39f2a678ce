/**
 * From a validated `proxy` block and the target's address to what the proxy host should serve:
 * the one decision both the component and `jetstream proxy-config` make. No Pulumi here.
 */
import type { ProxyConfig } from "../../config/types";
import type { Candidate } from "./apply-input";
import { PROXY_PAGE_DIR } from "./host-layout";
import { renderOfflineSite, renderOnlineSite } from "./nginx-site";
import { renderOfflinePage } from "./offline-page";

export interface CandidatePlacement {
  /** nginx `listen`; default 80, as on the proxy host. */
  listen?: string;
  /** Directory the offline page is served from; default the proxy host's. */
  pageDir?: string;
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
  if (proxy.mode === "offline") {
    return {
      site: renderOfflineSite({ ...common, mode: "offline", pageDir: placement.pageDir ?? PROXY_PAGE_DIR }),
      page,
    };
  }
  if (targetHost === undefined) {
    throw new Error("proxy.target: the online site needs the target's address; none was given");
  }
  // Probed from the proxy host at the address nginx will forward to; offline is never gated.
  const { health } = proxy;
  return {
    site: renderOnlineSite({ ...common, mode: "online", upstream: { host: targetHost, port: proxy.port } }),
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

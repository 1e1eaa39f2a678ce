/**
 * The HTTPS form of a stack's site as `jetstream proxy-config` renders it for a trial away from
 * the proxy host: no certbot and no stack secrets, a certificate the operator puts in --out.
 */
import { dirname } from "node:path";
import { checkListen } from "../../components/proxy/site-params";
import type { ProxyConfig } from "../../config/types";

export const HTTPS_SITE_FILE = "site-https.conf";
export const HTTPS_CONF_FILE = "nginx-https.conf";

/** The HTTPS form of the site, for a stack whose proxy.tls mode is not none. */
export interface HttpsTrial {
  tlsMode: "acme" | "certificate";
  siteFile: string;
  confFile: string;
  listen: string;
  /** Where the HTTPS form reads its certificate chain and key; the operator puts them there. */
  chainFile: string;
  keyFile: string;
  runCommand: string;
}

/** `8080` and `0.0.0.0:8080` are one address to nginx. */
function listenAddress(listen: string): string {
  return listen.includes(":") ? listen : `0.0.0.0:${listen}`;
}

/** The HTTPS form's listen address: only for a stack with HTTPS, never the plain site's. */
export function checkHttpsListen(
  value: string | undefined,
  listen: string,
  tlsMode: ProxyConfig["tls"]["mode"],
  listenGiven = true,
): string {
  if (value !== undefined && tlsMode === "none") {
    throw new Error(
      "--https-listen: the stack's proxy.tls.mode is none, so there is no HTTPS site; allowed: leave it out, or set proxy.tls in the stack file",
    );
  }
  const httpsListen = checkListen(value ?? "443", "--https-listen");
  if (listenAddress(httpsListen) === listenAddress(listen)) {
    // The option to blame is the one given; the other one's default is named as a default.
    if (value === undefined) {
      throw new Error(
        `--listen: ${listen} is where the HTTPS form listens (the default, without --https-listen); allowed: another port, or --https-listen another one`,
      );
    }
    const setBy = listenGiven ? "--listen" : "the default, without --listen";
    throw new Error(
      `--https-listen: ${httpsListen} is where the plain HTTP site listens (${setBy}); allowed: another port, like 443 or 127.0.0.1:8443`,
    );
  }
  return httpsListen;
}

const HOW_THE_HOST_GETS_IT: Record<HttpsTrial["tlsMode"], string> = {
  acme: "the proxy host gets its certificate with certbot",
  certificate: "the apply script installs the stack's proxyTlsCertificate and proxyTlsKey",
};

/** How to run the HTTPS form: a certificate first (self-signed for a trial), then nginx, then curl. */
export function httpsLines(domain: string, https: HttpsTrial): string[] {
  const [host, port] = https.listen.includes(":") ? https.listen.split(":") : ["127.0.0.1", https.listen];
  const url = port === "443" ? `https://${domain}/` : `https://${domain}:${port}/`;
  return [
    `over HTTPS (proxy.tls mode ${https.tlsMode}: ${HOW_THE_HOST_GETS_IT[https.tlsMode]}), first put a certificate for ${domain} in ${dirname(https.chainFile)}; for a trial, a self-signed one:`,
    `  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=${domain} -addext subjectAltName=DNS:${domain} -keyout ${https.keyFile} -out ${https.chainFile}`,
    "then run it:",
    `  ${https.runCommand}`,
    "try it:",
    `  curl -i --cacert ${https.chainFile} --resolve ${domain}:${port}:${host} ${url}`,
  ];
}

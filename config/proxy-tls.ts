/**
 * `proxy.tls`, validated: which way the proxy's domain gets its certificate. ACME is chosen when
 * an e-mail is given and the mode is not written; a stack without any TLS setting keeps plain
 * HTTP, so no existing stack changes behaviour until its operator names a contact.
 */
import { DEFAULT_PROXY_TLS } from "./defaults";
import type { RawStackConfig } from "./schema";
import type { ProxyTls } from "./types";

const MODE_ALLOWED = "allowed: acme (with proxy.tls.acme.email), certificate, or none";

export function resolveProxyTls(raw: RawStackConfig, problems: string[]): ProxyTls {
  const tls = raw.proxy?.tls ?? {};
  const email = tls.acme?.email;
  const mode = tls.mode ?? (email === undefined ? "none" : "acme");
  const hsts = tls.hsts ?? DEFAULT_PROXY_TLS.hsts;
  const secretsGiven = [
    ...(raw.proxyTlsCertificate === undefined ? [] : ["proxyTlsCertificate"]),
    ...(raw.proxyTlsKey === undefined ? [] : ["proxyTlsKey"]),
  ];
  if (mode !== "acme" && tls.acme !== undefined) {
    problems.push(`proxy.tls.acme: only used with proxy.tls.mode acme, not ${mode}; ${MODE_ALLOWED}`);
  }
  if (mode !== "certificate" && secretsGiven.length > 0) {
    problems.push(
      `${secretsGiven.join(", ")}: only used with proxy.tls.mode certificate, not ${mode}; allowed: remove it, or proxy.tls.mode: certificate`,
    );
  }
  if (mode === "none") {
    if (hsts) {
      problems.push(
        "proxy.tls.hsts: true needs HTTPS, but proxy.tls.mode is none; allowed: false, or mode acme or certificate",
      );
    }
    return { mode: "none", hsts: false };
  }
  if (mode === "certificate") {
    for (const key of ["proxyTlsCertificate", "proxyTlsKey"]) {
      if (!secretsGiven.includes(key)) {
        problems.push(
          `${key}: required when proxy.tls.mode is certificate; set it with: pulumi config set --secret ${key} < ${key === "proxyTlsKey" ? "KEY.pem" : "CHAIN.pem"}`,
        );
      }
    }
    return { mode: "certificate", hsts };
  }
  if (email === undefined) {
    problems.push(
      'proxy.tls.acme.email: required when proxy.tls.mode is acme (the ACME account\'s contact); allowed: one e-mail address, like "ops@lappsgrid.org"',
    );
  }
  return {
    mode: "acme",
    email: email ?? "",
    directory: tls.acme?.directory ?? DEFAULT_PROXY_TLS.acmeDirectory,
    hsts,
  };
}

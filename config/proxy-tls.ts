/**
 * `proxy.tls`, validated: which way the proxy's domain gets its certificate. A public domain gets
 * one from Let's Encrypt unless the stack says otherwise, with or without a contact e-mail; a
 * test domain (localhost, .test, example.org, ...) keeps plain HTTP, since no public ACME server
 * issues for it.
 */
import { DEFAULT_PROXY_TLS } from "./defaults";
import { documentationDomain, notPublicDomain } from "./net";
import type { RawStackConfig } from "./schema";
import type { ProxyTls, StackConfig } from "./types";

const MODE_ALLOWED = "allowed: acme, certificate, or none";
const CONTACT_ALLOWED = 'allowed: the team\'s real address, like "ops@lappsgrid.org"';

/** Why the ACME account's contact `email` cannot be one, or undefined. */
function contactProblem(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const documentation = documentationDomain(domain);
  if (documentation !== undefined) {
    return `proxy.tls.acme.email: ${JSON.stringify(email)} is at ${documentation}, a domain reserved for documentation (RFC 2606) that Let's Encrypt refuses as a contact ("contact email has forbidden domain"); ${CONTACT_ALLOWED}`;
  }
  const why = notPublicDomain(domain);
  if (why === undefined) return undefined;
  return `proxy.tls.acme.email: ${JSON.stringify(email)} is at ${domain}, ${why}, where no mail is delivered; ${CONTACT_ALLOWED}`;
}

/** Why an ACME server cannot issue a certificate for `domain`, or undefined. */
function acmeDomainProblem(domain: string): string | undefined {
  const why = notPublicDomain(domain);
  if (why === undefined) return undefined;
  const reach = why.includes("localhost")
    ? "which no ACME server can reach or issue for"
    : "which no public ACME server issues for";
  return `proxy.tls.mode: acme cannot get a certificate for proxy.domain ${JSON.stringify(domain)}: it is ${why}, ${reach}; allowed: proxy.tls.mode none or certificate, or a public domain whose DNS points at the proxy`;
}

export function resolveProxyTls(raw: RawStackConfig, domain: string, problems: string[]): ProxyTls {
  const tls = raw.proxy?.tls ?? {};
  const email = tls.acme?.email;
  const publicDomain = notPublicDomain(domain) === undefined;
  const mode = tls.mode ?? (tls.acme !== undefined || publicDomain ? "acme" : "none");
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
  const domainProblem = acmeDomainProblem(domain);
  if (domainProblem !== undefined) problems.push(domainProblem);
  const badContact = email === undefined ? undefined : contactProblem(email);
  if (badContact !== undefined) problems.push(badContact);
  return {
    mode: "acme",
    ...(email === undefined ? {} : { email }),
    directory: tls.acme?.directory ?? DEFAULT_PROXY_TLS.acmeDirectory,
    hsts,
  };
}

/**
 * What the operator should know before `pulumi up` although the stack is valid: an ACME account
 * without a contact never hears from Let's Encrypt about expiry or account problems.
 */
export function proxyTlsWarnings(config: StackConfig): string[] {
  const proxy = config.proxy;
  if (proxy?.tls.mode !== "acme" || proxy.tls.email !== undefined) return [];
  return [
    `proxy.tls: certificates for ${proxy.domain} come from Let's Encrypt with an account that has no contact e-mail (certbot --register-unsafely-without-email), so nobody hears of a certificate about to expire or of account problems; set proxy.tls.acme.email to the team's address, like "ops@lappsgrid.org"`,
  ];
}

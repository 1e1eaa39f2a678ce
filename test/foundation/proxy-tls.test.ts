/** `proxy.tls`: what each mode takes, its defaults, and what every bad value is told. */
import * as pulumi from "@pulumi/pulumi";
import { validateStackConfig } from "../../config";
import { loadStackConfig } from "../../config/program";
import { proxyTlsWarnings } from "../../config/proxy-tls";
import { problemsOf } from "../helpers/config";

const instances = { proxy: { role: "proxy", ip: "assign" }, galaxy: {} };
const stackWith = (tls: unknown, extra: Record<string, unknown> = {}) => ({
  instances,
  proxy: { target: "galaxy", ...(tls === undefined ? {} : { tls }) },
  ...extra,
});
const SECRET = { secure: "v1:cGxhY2Vob2xkZXI=" };

const onDomain = (domain: string, tls?: unknown) => ({
  instances,
  proxy: { target: "galaxy", domain, ...(tls === undefined ? {} : { tls }) },
});

test("a real domain without proxy.tls gets a Let's Encrypt certificate, registered without a contact", () => {
  expect(validateStackConfig(stackWith(undefined), "iu").proxy?.tls).toEqual({
    mode: "acme",
    directory: "https://acme-v02.api.letsencrypt.org/directory",
    hsts: false,
  });
});

test("acme written without an e-mail registers without a contact", () => {
  expect(validateStackConfig(stackWith({ mode: "acme" }), "iu").proxy?.tls).toEqual({
    mode: "acme",
    directory: "https://acme-v02.api.letsencrypt.org/directory",
    hsts: false,
  });
});

test.each([
  ["localhost"],
  ["galaxy.localhost"],
  ["galaxy.test"],
  ["site.invalid"],
  ["lappsgrid.example"],
  ["proxy.local"],
  ["example.org"],
  ["jetstream.example.com"],
  ["mirror.example.net"],
  ["galaxy.internal"],
  ["proxy.home.arpa"],
  ["proxy"],
])("a test domain (%s) without proxy.tls keeps plain HTTP", (domain) => {
  expect(validateStackConfig(onDomain(domain), "iu").proxy?.tls).toEqual({ mode: "none", hsts: false });
});

test("a stack without an ACME contact is told, as a warning, that Let's Encrypt cannot write about expiry", () => {
  expect(proxyTlsWarnings(validateStackConfig(stackWith(undefined), "iu"))).toEqual([
    "proxy.tls: certificates for jetstream.lappsgrid.org come from Let's Encrypt with an account that has no contact e-mail (certbot --register-unsafely-without-email), so nobody hears of a certificate about to expire or of account problems; set proxy.tls.acme.email to the team's address, like \"ops@lappsgrid.org\"",
  ]);
});

test("no warning with a contact, with plain HTTP or with the stack's own certificate", () => {
  expect(
    proxyTlsWarnings(validateStackConfig(stackWith({ acme: { email: "ops@lappsgrid.org" } }), "iu")),
  ).toEqual([]);
  expect(proxyTlsWarnings(validateStackConfig(stackWith({ mode: "none" }), "iu"))).toEqual([]);
  expect(proxyTlsWarnings(validateStackConfig(onDomain("galaxy.test"), "iu"))).toEqual([]);
});

test("an ACME e-mail alone turns on ACME against Let's Encrypt production, without HSTS", () => {
  expect(validateStackConfig(stackWith({ acme: { email: "ops@lappsgrid.org" } }), "iu").proxy?.tls).toEqual({
    mode: "acme",
    email: "ops@lappsgrid.org",
    directory: "https://acme-v02.api.letsencrypt.org/directory",
    hsts: false,
  });
});

test("the ACME directory and HSTS are taken as given", () => {
  const tls = {
    mode: "acme",
    acme: { email: "ops@lappsgrid.org", directory: "https://127.0.0.1:14000/dir" },
    hsts: true,
  };
  expect(validateStackConfig(stackWith(tls), "iu").proxy?.tls).toEqual({
    mode: "acme",
    email: "ops@lappsgrid.org",
    directory: "https://127.0.0.1:14000/dir",
    hsts: true,
  });
});

test("certificate mode takes the chain and key as secrets", () => {
  const config = validateStackConfig(
    stackWith({ mode: "certificate", hsts: true }, { proxyTlsCertificate: SECRET, proxyTlsKey: SECRET }),
    "iu",
  );
  expect(config.proxy?.tls).toEqual({ mode: "certificate", hsts: true });
});

const DIRECTORY_ALLOWED =
  "allowed: an https:// URL of an ACME directory, like Let's Encrypt's \"https://acme-v02.api.letsencrypt.org/directory\" or its staging one";

test.each([
  [
    "an unknown mode",
    stackWith({ mode: "letsencrypt" }),
    'proxy.tls.mode: "letsencrypt" is not a TLS mode; allowed: acme, none, certificate',
  ],
  [
    "a contact at example.org (the README's placeholder)",
    stackWith({ acme: { email: "OPERATORS@EXAMPLE.ORG" } }),
    'proxy.tls.acme.email: "OPERATORS@EXAMPLE.ORG" is at example.org, a domain reserved for documentation (RFC 2606) that Let\'s Encrypt refuses as a contact ("contact email has forbidden domain"); allowed: the team\'s real address, like "ops@lappsgrid.org"',
  ],
  [
    "a contact at example.com",
    stackWith({ acme: { email: "ops@mail.example.com" } }),
    'proxy.tls.acme.email: "ops@mail.example.com" is at example.com, a domain reserved for documentation (RFC 2606) that Let\'s Encrypt refuses as a contact ("contact email has forbidden domain"); allowed: the team\'s real address, like "ops@lappsgrid.org"',
  ],
  [
    "a contact at example.net",
    stackWith({ acme: { email: "ops@example.net" } }),
    'proxy.tls.acme.email: "ops@example.net" is at example.net, a domain reserved for documentation (RFC 2606) that Let\'s Encrypt refuses as a contact ("contact email has forbidden domain"); allowed: the team\'s real address, like "ops@lappsgrid.org"',
  ],
  [
    "a contact under a test domain",
    stackWith({ acme: { email: "ops@lappsgrid.test" } }),
    'proxy.tls.acme.email: "ops@lappsgrid.test" is at lappsgrid.test, under .test, reserved for testing (RFC 6761), where no mail is delivered; allowed: the team\'s real address, like "ops@lappsgrid.org"',
  ],
  [
    "acme for localhost",
    onDomain("localhost", { mode: "acme" }),
    'proxy.tls.mode: acme cannot get a certificate for proxy.domain "localhost": it is this host itself (localhost), which no ACME server can reach or issue for; allowed: proxy.tls.mode none or certificate, or a public domain whose DNS points at the proxy',
  ],
  [
    "acme for a .test domain",
    onDomain("galaxy.test", { mode: "acme" }),
    'proxy.tls.mode: acme cannot get a certificate for proxy.domain "galaxy.test": it is under .test, reserved for testing (RFC 6761), which no public ACME server issues for; allowed: proxy.tls.mode none or certificate, or a public domain whose DNS points at the proxy',
  ],
  [
    "acme for a .invalid domain",
    onDomain("site.invalid", { mode: "acme" }),
    'proxy.tls.mode: acme cannot get a certificate for proxy.domain "site.invalid": it is under .invalid, reserved as never existing (RFC 6761), which no public ACME server issues for; allowed: proxy.tls.mode none or certificate, or a public domain whose DNS points at the proxy',
  ],
  [
    "acme for an IP address (refused as a domain, whatever the TLS mode)",
    onDomain("149.165.157.82", { mode: "acme" }),
    'proxy.domain: "149.165.157.82" is not a domain name; allowed: letters, digits, "-" and "."',
  ],
  [
    "acme for a single-label name",
    onDomain("proxy", { mode: "acme" }),
    'proxy.tls.mode: acme cannot get a certificate for proxy.domain "proxy": it is a single-label name, not in public DNS, which no public ACME server issues for; allowed: proxy.tls.mode none or certificate, or a public domain whose DNS points at the proxy',
  ],
  [
    "an ACME contact alone for a documentation domain",
    onDomain("jetstream.example.org", { acme: { email: "ops@lappsgrid.org" } }),
    'proxy.tls.mode: acme cannot get a certificate for proxy.domain "jetstream.example.org": it is under example.org, reserved for documentation (RFC 2606), which no public ACME server issues for; allowed: proxy.tls.mode none or certificate, or a public domain whose DNS points at the proxy',
  ],
  [
    "an e-mail that is not one",
    stackWith({ acme: { email: "ops at lappsgrid" } }),
    'proxy.tls.acme.email: "ops at lappsgrid" is not an e-mail address; allowed: one e-mail address, like "ops@lappsgrid.org"',
  ],
  [
    "a directory over plain HTTP",
    stackWith({ acme: { email: "ops@lappsgrid.org", directory: "http://acme.example/dir" } }),
    `proxy.tls.acme.directory: "http://acme.example/dir" is not an ACME directory URL; ${DIRECTORY_ALLOWED}`,
  ],
  [
    "a typo inside acme",
    stackWith({ acme: { emial: "ops@lappsgrid.org" } }),
    "proxy.tls.acme.emial: unknown key; allowed keys: email, directory",
  ],
  [
    "hsts as text",
    stackWith({ hsts: "yes" }),
    'proxy.tls.hsts: "yes" is text, not a boolean (YAML 1.2 reads yes, no, on and off as text); allowed: true or false',
  ],
  [
    "hsts without HTTPS",
    stackWith({ mode: "none", hsts: true }),
    "proxy.tls.hsts: true needs HTTPS, but proxy.tls.mode is none; allowed: false, or mode acme or certificate",
  ],
  [
    "acme settings with another mode",
    stackWith({ mode: "none", acme: { email: "ops@lappsgrid.org" } }),
    "proxy.tls.acme: only used with proxy.tls.mode acme, not none; allowed: acme, certificate, or none",
  ],
  [
    "certificate mode without its key",
    stackWith({ mode: "certificate" }, { proxyTlsCertificate: SECRET }),
    "proxyTlsKey: required when proxy.tls.mode is certificate; set it with: pulumi config set --secret proxyTlsKey < KEY.pem",
  ],
  [
    "a certificate secret without certificate mode",
    stackWith({ acme: { email: "ops@lappsgrid.org" } }, { proxyTlsCertificate: SECRET }),
    "proxyTlsCertificate: only used with proxy.tls.mode certificate, not acme; allowed: remove it, or proxy.tls.mode: certificate",
  ],
  [
    "a private key in plain text",
    stackWith(
      { mode: "certificate" },
      { proxyTlsCertificate: SECRET, proxyTlsKey: "-----BEGIN PRIVATE KEY-----" },
    ),
    "proxyTlsKey: must be a secret, not plain text; allowed: the `secure:` value `pulumi config set --secret proxyTlsKey < KEY.pem` writes",
  ],
])("%s is refused, naming the key and what is allowed", (_, values, problem) => {
  expect(problemsOf(values)).toEqual([problem]);
});

test("certificate mode with neither secret names both, each with the file it takes", () => {
  expect(problemsOf(stackWith({ mode: "certificate" }))).toEqual([
    "proxyTlsCertificate: required when proxy.tls.mode is certificate; set it with: pulumi config set --secret proxyTlsCertificate < CHAIN.pem",
    "proxyTlsKey: required when proxy.tls.mode is certificate; set it with: pulumi config set --secret proxyTlsKey < KEY.pem",
  ]);
});

test("both certificate secrets with plain HTTP are named in one line", () => {
  expect(
    problemsOf(stackWith({ mode: "none" }, { proxyTlsCertificate: SECRET, proxyTlsKey: SECRET })),
  ).toEqual([
    "proxyTlsCertificate, proxyTlsKey: only used with proxy.tls.mode certificate, not none; allowed: remove it, or proxy.tls.mode: certificate",
  ]);
});

describe("the program takes the TLS certificate and key only as secrets", () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: () => {
          throw new Error("no resource may be registered");
        },
        call: () => {
          throw new Error("no data source may be read");
        },
      },
      "lappsgrid-jetstream",
      "iu",
    );
  });
  const config = (key: string) => ({
    "lappsgrid-jetstream:instances": JSON.stringify(instances),
    "lappsgrid-jetstream:proxy": JSON.stringify({ target: "galaxy", tls: { mode: "certificate" } }),
    "lappsgrid-jetstream:proxyTlsCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    "lappsgrid-jetstream:proxyTlsKey": key,
  });

  test("a plain-text proxyTlsKey stops the program without echoing it", () => {
    pulumi.runtime.setAllConfig(
      config("-----BEGIN PRIVATE KEY-----\nSECRETBYTES\n-----END PRIVATE KEY-----"),
      ["lappsgrid-jetstream:proxyTlsCertificate"],
    );
    let message = "";
    try {
      loadStackConfig();
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toBe(
      "invalid config in Pulumi.iu.yaml:\nproxyTlsKey: must be a secret, not plain text; allowed: the `secure:` value `pulumi config set --secret proxyTlsKey < KEY.pem` writes",
    );
    expect(message).not.toContain("SECRETBYTES");
  });

  test("both set with `pulumi config set --secret` are accepted", () => {
    pulumi.runtime.setAllConfig(
      config("-----BEGIN PRIVATE KEY-----\nSECRETBYTES\n-----END PRIVATE KEY-----"),
      ["lappsgrid-jetstream:proxyTlsCertificate", "lappsgrid-jetstream:proxyTlsKey"],
    );
    expect(loadStackConfig().proxy?.tls).toEqual({ mode: "certificate", hsts: false });
  });
});

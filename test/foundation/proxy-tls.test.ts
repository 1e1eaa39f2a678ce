/** `proxy.tls`: what each mode takes, its defaults, and what every bad value is told. */
import * as pulumi from "@pulumi/pulumi";
import { validateStackConfig } from "../../config";
import { loadStackConfig } from "../../config/program";
import { problemsOf } from "../helpers/config";

const instances = { proxy: { role: "proxy", ip: "assign" }, galaxy: {} };
const stackWith = (tls: unknown, extra: Record<string, unknown> = {}) => ({
  instances,
  proxy: { target: "galaxy", ...(tls === undefined ? {} : { tls }) },
  ...extra,
});
const SECRET = { secure: "v1:cGxhY2Vob2xkZXI=" };

test("a stack without proxy.tls keeps plain HTTP", () => {
  expect(validateStackConfig(stackWith(undefined), "iu").proxy?.tls).toEqual({ mode: "none", hsts: false });
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
    "acme without an e-mail",
    stackWith({ mode: "acme" }),
    'proxy.tls.acme.email: required when proxy.tls.mode is acme (the ACME account\'s contact); allowed: one e-mail address, like "ops@lappsgrid.org"',
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
    'proxy.tls.hsts: "yes" is not allowed; allowed: true or false',
  ],
  [
    "hsts without HTTPS",
    stackWith({ mode: "none", hsts: true }),
    "proxy.tls.hsts: true needs HTTPS, but proxy.tls.mode is none; allowed: false, or mode acme or certificate",
  ],
  [
    "acme settings with another mode",
    stackWith({ mode: "none", acme: { email: "ops@lappsgrid.org" } }),
    "proxy.tls.acme: only used with proxy.tls.mode acme, not none; allowed: acme (with proxy.tls.acme.email), certificate, or none",
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

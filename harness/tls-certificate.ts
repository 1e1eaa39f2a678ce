/** A self-signed certificate for one domain, made by openssl: the trust root of HTTPS tests. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCertificate {
  /** PEM chain file (here the certificate alone). */
  chain: string;
  /** PEM key file. */
  key: string;
  /** The certificate's PEM, for a client's `ca`. */
  pem: string;
}

export function makeCertificate(dir: string, domain: string): TestCertificate {
  const chain = join(dir, "fullchain.pem");
  const key = join(dir, "privkey.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      chain,
      "-days",
      "2",
      "-subj",
      `/CN=${domain}`,
      "-addext",
      `subjectAltName=DNS:${domain}`,
    ],
    { stdio: "pipe" },
  );
  return { chain, key, pem: readFileSync(chain, "utf8") };
}

/**
 * proxy.tls from a stack file through the real program (offline evaluation): the proxy's
 * command carries the ACME settings, and the stack's own certificate only as a secret.
 */
import { evaluateProgram, resourceNamed } from "../helpers/program";

// A stack without an inventory: nothing here adopts IU's hand-made resources.
const LAB = "lab";
const INSTANCES = `  lappsgrid-jetstream:instances:
    proxy: { role: proxy, size: tiny, ip: 149.165.157.82 }
`;

test("an ACME e-mail in the stack file puts certbot's settings in the proxy command's stdin", async () => {
  const evaluation = await evaluateProgram(
    LAB,
    `config:
${INSTANCES}  lappsgrid-jetstream:proxy:
    target: 149.165.168.5
    tls:
      acme: { email: ops@lappsgrid.org }
`,
  );
  const stdin = resourceNamed(evaluation, "public-proxy-site").inputs.stdin as string;
  expect(stdin).toContain(
    "#== acme\ndomain jetstream.lappsgrid.org\nemail ops@lappsgrid.org\ndirectory https://acme-v02.api.letsencrypt.org/directory\n",
  );
});

test("the stack's certificate and key reach the proxy command as a secret, never in plain text", async () => {
  const evaluation = await evaluateProgram(
    LAB,
    `config:
${INSTANCES}  lappsgrid-jetstream:proxy:
    target: 149.165.168.5
    tls: { mode: certificate }
  lappsgrid-jetstream:proxyTlsCertificate:
    secure: v1:Y2VydGlmaWNhdGU=
  lappsgrid-jetstream:proxyTlsKey:
    secure: v1:a2V5
`,
  );
  expect(resourceNamed(evaluation, "public-proxy-site").inputs.stdin).toBe("[secret]");
});

test("a private key in plain text in the stack file stops the evaluation, naming the key", async () => {
  const message = await evaluateProgram(
    LAB,
    `config:
${INSTANCES}  lappsgrid-jetstream:proxy:
    target: 149.165.168.5
    tls: { mode: certificate }
  lappsgrid-jetstream:proxyTlsCertificate:
    secure: v1:Y2VydGlmaWNhdGU=
  lappsgrid-jetstream:proxyTlsKey: "-----BEGIN PRIVATE KEY----- PLAINBYTES"
`,
  ).then(
    () => "accepted",
    (error: Error) => error.message,
  );
  expect(message).toContain(
    "proxyTlsKey: must be a secret, not plain text; allowed: the `secure:` value `pulumi config set --secret proxyTlsKey < KEY.pem` writes",
  );
  expect(message).not.toContain("PLAINBYTES");
});

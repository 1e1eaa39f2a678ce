/**
 * `jetstream proxy-config` as the README uses it: render the IU stack's offline and online
 * sites into a directory, run each with the printed command in a stock nginx, see both.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Backend, startBackend } from "../../harness/http-backend";
import { freePort, makeTempDir, waitForPort } from "../../harness/nginx";
import { runJetstream } from "../helpers/cli";
import { httpRequest } from "../helpers/http-request";

const PROJECT_DIR = join(__dirname, "..", "..");

let work: string;
let backend: Backend;
const running: ChildProcess[] = [];

beforeAll(async () => {
  work = makeTempDir("proxy-config");
  backend = await startBackend("galaxy");
});
afterAll(async () => {
  for (const child of running) {
    if (child.exitCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await gone;
    }
  }
  await backend?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `jetstream proxy-config ARGS` as the bin would; resolves to what it printed, rejects with its error. */
async function proxyConfig(args: string[]): Promise<string> {
  const run = runJetstream(["proxy-config", ...args]);
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

/** Starts nginx with the command proxy-config printed, exactly as a user would paste it. */
async function runPrinted(printed: string, port: number): Promise<void> {
  const lines = printed.split("\n");
  const command = lines[lines.indexOf("run it (in the foreground; Ctrl-C stops it):") + 1].trim();
  expect(command.startsWith("nginx -p ")).toBe(true);
  const [, ...args] = command.split(" ");
  const child = spawn("/usr/sbin/nginx", args, { stdio: "ignore" });
  running.push(child);
  await waitForPort(port);
}

/** The file-system paths of a configuration: what these directives name (error_page takes URIs). */
function filePaths(text: string): string[] {
  const directive = /^\s*(pid|error_log|include|root|alias|\w+_temp_path)\s+(\S+?);?(\s|$)/;
  return text
    .split("\n")
    .map((line) => directive.exec(line)?.[2])
    .filter((path): path is string => path !== undefined);
}

test("renders the IU stack's offline site, and a stock nginx runs it as printed", async () => {
  const out = join(work, "iu-offline");
  const port = await freePort();
  const printed = await proxyConfig([
    "--stack",
    "iu",
    "--dir",
    PROJECT_DIR,
    "--out",
    out,
    "--listen",
    `127.0.0.1:${port}`,
    "--mode",
    "offline",
  ]);
  expect(printed).toBe(
    [
      `wrote ${out}/site.conf (offline; include it inside http {})`,
      `wrote ${out}/site-https.conf (the same site over HTTPS on 443, as the proxy host serves it once its certificate exists; include it inside http {} instead)`,
      `wrote ${out}/offline.html`,
      `wrote ${out}/nginx.conf`,
      `wrote ${out}/nginx-https.conf`,
      "run it (in the foreground; Ctrl-C stops it):",
      `  nginx -p ${out} -c ${out}/nginx.conf -e ${out}/error.log`,
      "try it:",
      `  curl -i -H 'Host: jetstream.lappsgrid.org' http://127.0.0.1:${port}/`,
      `over HTTPS (proxy.tls mode acme: the proxy host gets its certificate with certbot), first put a certificate for jetstream.lappsgrid.org in ${out}/tls; for a trial, a self-signed one:`,
      `  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=jetstream.lappsgrid.org -addext subjectAltName=DNS:jetstream.lappsgrid.org -keyout ${out}/tls/privkey.pem -out ${out}/tls/fullchain.pem`,
      "then run it:",
      `  nginx -p ${out} -c ${out}/nginx-https.conf -e ${out}/error.log`,
      "try it:",
      `  curl -i --cacert ${out}/tls/fullchain.pem --resolve jetstream.lappsgrid.org:443:127.0.0.1 https://jetstream.lappsgrid.org/`,
      "",
    ].join("\n"),
  );
  await runPrinted(printed, port);
  const answer = await httpRequest({ port, path: "/galaxy/api/x" });
  expect(answer.status).toBe(503);
  expect(answer.headers["retry-after"]).toBe("3600");
  expect(answer.body).toBe(readFileSync(join(out, "offline.html"), "utf8"));
  expect(answer.body).toContain("<title>LAPPS Grid on Jetstream is offline</title>");
});

test("renders the IU stack's online site to --upstream, and a stock nginx forwards to it", async () => {
  const out = join(work, "iu-online");
  const port = await freePort();
  const printed = await proxyConfig([
    "--stack",
    "iu",
    "--dir",
    PROJECT_DIR,
    "--out",
    out,
    "--listen",
    `127.0.0.1:${port}`,
    "--mode",
    "online",
    "--upstream",
    `127.0.0.1:${backend.port}`,
  ]);
  expect(printed.split("\n")[0]).toBe(
    `wrote ${out}/site.conf (online, forwarding to 127.0.0.1:${backend.port}; include it inside http {})`,
  );
  await runPrinted(printed, port);
  const answer = await httpRequest({ port, path: "/galaxy/" });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ backend: "galaxy", url: "/galaxy/" });
});

test("every path in the rendered configuration points into the output directory", async () => {
  const out = join(work, "paths");
  await proxyConfig(["--stack", "iu", "--dir", PROJECT_DIR, "--out", out, "--mode", "offline"]);
  const paths = [
    ...filePaths(readFileSync(join(out, "nginx.conf"), "utf8")),
    ...filePaths(readFileSync(join(out, "site.conf"), "utf8")),
    ...filePaths(readFileSync(join(out, "nginx-https.conf"), "utf8")),
    ...filePaths(readFileSync(join(out, "site-https.conf"), "utf8")),
  ];
  // nginx.conf: pid, error_log, five temp paths, the site; the site: the ACME webroot and the page.
  expect(paths).toHaveLength(20);
  for (const path of paths) expect(path.startsWith(`${out}/`) || path === out).toBe(true);
  expect(readFileSync(join(out, "site.conf"), "utf8")).toContain("    listen 80;\n");
  const https = readFileSync(join(out, "site-https.conf"), "utf8");
  expect(https).toContain("    listen 443 ssl;\n");
  expect(https).toContain(`    ssl_certificate ${out}/tls/fullchain.pem;\n`);
  expect(https).toContain(`    ssl_certificate_key ${out}/tls/privkey.pem;\n`);
});

test("with proxy.tls, a stock nginx serves the HTTPS form as printed, with the certificate the printed command makes", async () => {
  const out = join(work, "iu-https");
  const port = await freePort();
  const httpsPort = await freePort();
  const printed = await proxyConfig([
    "--stack",
    "iu",
    "--dir",
    PROJECT_DIR,
    "--out",
    out,
    "--listen",
    `127.0.0.1:${port}`,
    "--https-listen",
    `127.0.0.1:${httpsPort}`,
    "--mode",
    "online",
    "--upstream",
    `127.0.0.1:${backend.port}`,
  ]);
  const lines = printed.split("\n");
  expect(lines[1]).toBe(
    `wrote ${out}/site-https.conf (the same site over HTTPS on 127.0.0.1:${httpsPort}, as the proxy host serves it once its certificate exists; include it inside http {} instead)`,
  );
  const openssl = lines[lines.findIndex((line) => line.startsWith("over HTTPS")) + 1].trim().split(" ");
  expect(openssl[0]).toBe("openssl");
  execFileSync("openssl", openssl.slice(1), { stdio: "pipe" });
  const nginx = lines[lines.indexOf("then run it:") + 1].trim();
  expect(nginx).toBe(`nginx -p ${out} -c ${out}/nginx-https.conf -e ${out}/error.log`);
  execFileSync("/usr/sbin/nginx", ["-t", ...nginx.split(" ").slice(1)], { stdio: "pipe" });
  const child = spawn("/usr/sbin/nginx", nginx.split(" ").slice(1), { stdio: "ignore" });
  running.push(child);
  await waitForPort(httpsPort);
  const curl = lines[lines.length - 2].trim().split(" ");
  expect(curl).toEqual([
    "curl",
    "-i",
    "--cacert",
    `${out}/tls/fullchain.pem`,
    "--resolve",
    `jetstream.lappsgrid.org:${httpsPort}:127.0.0.1`,
    `https://jetstream.lappsgrid.org:${httpsPort}/`,
  ]);
  const { stdout: answer } = await promisify(execFile)("curl", [
    "-sS",
    "--max-time",
    "10",
    ...curl.slice(1, 6),
    `https://jetstream.lappsgrid.org:${httpsPort}/galaxy/`,
  ]);
  expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
  expect(JSON.parse(answer.split("\r\n\r\n")[1])).toMatchObject({ backend: "galaxy", url: "/galaxy/" });
  const redirect = await httpRequest({ port, path: "/galaxy/?x=1" });
  expect(redirect.status).toBe(301);
  expect(redirect.headers.location).toBe(`https://jetstream.lappsgrid.org:${httpsPort}/galaxy/?x=1`);
});

test("a stack with proxy.tls mode none gets the plain HTTP site alone", async () => {
  const project = join(work, "plain-project");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "Pulumi.yaml"), "name: lappsgrid-jetstream\nruntime: nodejs\n");
  writeFileSync(
    join(project, "Pulumi.plain.yaml"),
    [
      "config:",
      "  lappsgrid-jetstream:proxy:",
      "    host: 149.165.157.82",
      "    mode: offline",
      "    tls: { mode: none }",
      "",
    ].join("\n"),
  );
  const out = join(work, "plain");
  const printed = await proxyConfig(["--stack", "plain", "--dir", project, "--out", out]);
  expect(printed).toBe(
    [
      `wrote ${out}/site.conf (offline; include it inside http {})`,
      `wrote ${out}/offline.html`,
      `wrote ${out}/nginx.conf`,
      "run it (in the foreground; Ctrl-C stops it):",
      `  nginx -p ${out} -c ${out}/nginx.conf -e ${out}/error.log`,
      "try it:",
      "  curl -i -H 'Host: jetstream.lappsgrid.org' http://127.0.0.1:80/",
      "",
    ].join("\n"),
  );
  expect(readdirSync(out).sort()).toEqual(["nginx.conf", "offline.html", "site.conf", "temp"]);
  await expect(
    proxyConfig(["--stack", "plain", "--dir", project, "--out", out, "--https-listen", "8443"]),
  ).rejects.toThrow(
    "--https-listen: the stack's proxy.tls.mode is none, so there is no HTTPS site; allowed: leave it out, or set proxy.tls in the stack file",
  );
});

test("a stack whose target is an address forwards there without --upstream", async () => {
  const project = join(work, "project");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "Pulumi.yaml"), "name: lappsgrid-jetstream\nruntime: nodejs\n");
  writeFileSync(
    join(project, "Pulumi.demo.yaml"),
    [
      "config:",
      "  lappsgrid-jetstream:proxy:",
      "    host: 149.165.157.82",
      "    target: galaxy.lappsgrid.org",
      "    port: 8443",
      "",
    ].join("\n"),
  );
  const out = join(work, "demo");
  const printed = await proxyConfig(["--stack", "demo", "--dir", project, "--out", out]);
  expect(printed.split("\n")[0]).toBe(
    `wrote ${out}/site.conf (online, forwarding to galaxy.lappsgrid.org:8443; include it inside http {})`,
  );
  expect(readFileSync(join(out, "site.conf"), "utf8")).toContain("    server galaxy.lappsgrid.org:8443;\n");
});

test.each([
  ["a bad --mode", ["--mode", "sideways"], '--mode: "sideways" is not allowed; allowed: online, offline'],
  [
    "a --listen with a directive in it",
    ["--listen", "80; include /etc/passwd"],
    '--listen: "80; include /etc/passwd" is not allowed; allowed: a port (80) or an IPv4 address and a port ("127.0.0.1:8080")',
  ],
  [
    "an --upstream that is not HOST:PORT",
    ["--mode", "online", "--upstream", "10.0.0.5"],
    '--upstream: "10.0.0.5" is not allowed; allowed: HOST:PORT with HOST an IPv4 address or a host name (letters, digits, "-" and ".")',
  ],
  [
    "an --upstream host with a brace",
    ["--mode", "online", "--upstream", "a}b:80"],
    '--upstream: "a}b" is not allowed; allowed: an IPv4 address or a host name (letters, digits, "-" and ".")',
  ],
  [
    "an --https-listen that is not a listen address",
    ["--https-listen", "443 ssl"],
    '--https-listen: "443 ssl" is not allowed; allowed: a port (80) or an IPv4 address and a port ("127.0.0.1:8080")',
  ],
  [
    "an --https-listen on the HTTP port",
    ["--listen", "127.0.0.1:8080", "--https-listen", "127.0.0.1:8080"],
    "--https-listen: 127.0.0.1:8080 is where the plain HTTP site listens (--listen); allowed: another port, like 443 or 127.0.0.1:8443",
  ],
  [
    "--upstream for an offline site",
    ["--mode", "offline", "--upstream", "10.0.0.5:8080"],
    "--upstream: only for an online site; allowed with --mode online (or a stack whose mode is online)",
  ],
])("%s is refused with the option named", async (_, args, message) => {
  await expect(
    proxyConfig(["--stack", "iu", "--dir", PROJECT_DIR, "--out", join(work, "refused"), ...args]),
  ).rejects.toThrow(message);
});

test("the IU stack's online site forwards to the hand-made Galaxy's private address, no --upstream needed", async () => {
  const out = join(work, "iu-galaxy-address");
  const printed = await proxyConfig([
    "--stack",
    "iu",
    "--dir",
    PROJECT_DIR,
    "--out",
    out,
    "--mode",
    "online",
  ]);
  expect(printed.split("\n")[0]).toBe(
    `wrote ${out}/site.conf (online, forwarding to 10.0.0.12:8080; include it inside http {})`,
  );
});

test("an online instance target without --upstream is refused with the option named", async () => {
  // A stack whose Galaxy is its own instance (test/fixtures/stacks): its address comes at `pulumi up`.
  const dir = join(work, "built-galaxy");
  mkdirSync(dir);
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  copyFileSync(
    join(PROJECT_DIR, "test", "fixtures", "stacks", "Pulumi.iu.yaml"),
    join(dir, "Pulumi.iu.yaml"),
  );
  await expect(
    proxyConfig(["--stack", "iu", "--dir", dir, "--out", join(work, "refused"), "--mode", "online"]),
  ).rejects.toThrow(
    "--upstream: required for the online site of stack iu: its target lappsgrid-galaxy, an instance of this stack gets an address only at `pulumi up`; allowed: HOST:PORT of the service, e.g. --upstream 10.0.0.12:8080",
  );
});

test("an --out path nginx could not take is refused", async () => {
  await expect(
    proxyConfig([
      "--stack",
      "iu",
      "--dir",
      PROJECT_DIR,
      "--out",
      join(work, "with space"),
      "--mode",
      "offline",
    ]),
  ).rejects.toThrow(
    `--out: "${join(work, "with space")}" is not allowed; allowed: an absolute path of letters`,
  );
});

test("an unknown stack is refused naming it", async () => {
  await expect(
    proxyConfig(["--stack", "nowhere", "--dir", PROJECT_DIR, "--out", join(work, "x"), "--mode", "offline"]),
  ).rejects.toThrow(`--stack: no stack "nowhere" in ${PROJECT_DIR}; allowed: iu, tacc`);
});

test("a stack with its own certificate (proxy.tls mode certificate) gets the HTTPS form without its secrets being read", async () => {
  const project = join(work, "certificate-project");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "Pulumi.yaml"), "name: lappsgrid-jetstream\nruntime: nodejs\n");
  writeFileSync(
    join(project, "Pulumi.own.yaml"),
    [
      "config:",
      "  lappsgrid-jetstream:proxy:",
      "    host: 149.165.157.82",
      "    mode: offline",
      "    tls: { mode: certificate }",
      "  lappsgrid-jetstream:proxyTlsCertificate:",
      "    secure: v1:Y2VydGlmaWNhdGU=",
      "  lappsgrid-jetstream:proxyTlsKey:",
      "    secure: v1:a2V5",
      "",
    ].join("\n"),
  );
  const out = join(work, "own");
  const printed = await proxyConfig(["--stack", "own", "--dir", project, "--out", out]);
  expect(printed).toContain(
    `over HTTPS (proxy.tls mode certificate: the apply script installs the stack's proxyTlsCertificate and proxyTlsKey), first put a certificate for jetstream.lappsgrid.org in ${out}/tls; for a trial, a self-signed one:\n`,
  );
  expect(readFileSync(join(out, "site-https.conf"), "utf8")).toContain(
    `    ssl_certificate ${out}/tls/fullchain.pem;\n    ssl_certificate_key ${out}/tls/privkey.pem;\n`,
  );
  expect(readdirSync(join(out, "tls"))).toEqual([]);
});

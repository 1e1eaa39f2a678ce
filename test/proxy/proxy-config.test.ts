/**
 * `jetstream proxy-config` as the README uses it: render the IU stack's offline and online
 * sites into a directory, run each with the printed command in a stock nginx, see both.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
      `wrote ${out}/offline.html`,
      `wrote ${out}/nginx.conf`,
      "run it (in the foreground; Ctrl-C stops it):",
      `  nginx -p ${out} -c ${out}/nginx.conf -e ${out}/error.log`,
      "try it:",
      `  curl -i -H 'Host: jetstream.lappsgrid.org' http://127.0.0.1:${port}/`,
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
  ];
  expect(paths).toHaveLength(9);
  for (const path of paths) expect(path.startsWith(`${out}/`) || path === out).toBe(true);
  expect(readFileSync(join(out, "site.conf"), "utf8")).toContain("    listen 80;\n");
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

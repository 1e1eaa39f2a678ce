/**
 * The apply script over real SSH, fed as remote.Command feeds it: the component's command line
 * and the component's stdin (taken from the component under mocks), to a loopback sshd whose
 * environment points the script at a temporary nginx. The host starts with an old apply script
 * installed, as a running proxy host has: the command line must replace it before it applies.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { APPLY_SCRIPT_NAME } from "../../components/proxy/apply-input";
import { APPLY_SCRIPT_FILE } from "../../components/proxy/apply-script";
import { PROXY_PAGE_DIR } from "../../components/proxy/host-layout";
// Aliased: a bare `Proxy` would shadow the JS global in this module.
import { Proxy as ProxyComponent } from "../../components/proxy/index";
import { renderOfflineSite } from "../../components/proxy/nginx-site";
import { DEFAULT_PROXY } from "../../config/defaults";
import type { ProxyConfig } from "../../config/types";
import { type Backend, startBackend } from "../../harness/http-backend";
import { makeTempDir, type NginxUnderTest, startNginx } from "../../harness/nginx";
import { httpRequest } from "../helpers/http-request";
import { type Sshd, startSshd } from "../helpers/sshd";

pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call(args) {
      throw new Error(`unexpected call to ${args.token}`);
    },
  },
  "lappsgrid-jetstream",
  "iu",
  false,
  "lappsgrid",
);

let backend: Backend;
let nginx: NginxUnderTest;
let sshd: Sshd;
let binDir: string;

/** An apply script from before a fix: it refuses everything, so running it shows. */
const OLD_SCRIPT = '#!/bin/sh\necho "old apply script" >&2\nexit 3\n';

let components = 0;

/** The command line and the stdin the component hands to remote.Command for this proxy block. */
async function componentRun(proxy: ProxyConfig): Promise<{ command: string; stdin: string }> {
  components += 1;
  const component = new ProxyComponent(`proxy-${proxy.mode}-${components}`, {
    proxy,
    hostAddress: "127.0.0.1",
    sshPrivateKey: pulumi.secret("unused under mocks"),
  });
  const [create, update, stdin] = await Promise.all(
    [component.site.create, component.site.update, component.site.stdin].map(
      (output) => new Promise<string>((resolve) => output.apply((value) => resolve(value ?? ""))),
    ),
  );
  // An update runs `update`: it must be the same installer and apply as a first create.
  expect(update).toBe(create);
  return { command: create, stdin };
}

function installOldScript(): void {
  writeFileSync(join(binDir, APPLY_SCRIPT_NAME), OLD_SCRIPT, { mode: 0o755 });
}

function installedScript(): { text: string; mode: number } {
  const file = join(binDir, APPLY_SCRIPT_NAME);
  return { text: readFileSync(file, "utf8"), mode: statSync(file).mode & 0o777 };
}

/**
 * The only bytes changed: the proxy host listens on port 80 and serves the page from
 * /var/www; the sandbox's nginx listens on a free loopback port and keeps the page in its prefix.
 */
function intoSandbox(stdin: string): string {
  expect(stdin.split("\n").filter((line) => line === "    listen 80;")).toHaveLength(1);
  return stdin
    .replace("    listen 80;", `    listen ${nginx.listen};`)
    .replace(`root ${PROXY_PAGE_DIR};`, `root ${nginx.pageDir};`);
}

function proxyConfig(overrides: Partial<ProxyConfig>): ProxyConfig {
  return {
    domain: DEFAULT_PROXY.domain,
    host: { kind: "external", address: "127.0.0.1" },
    mode: "online",
    target: { kind: "address", address: "127.0.0.1" },
    port: backend.port,
    offlineTitle: "LAPPS Grid is resting",
    offlineMessage: "Back when needed.",
    health: { path: "/", statuses: "200-399", tries: 3, intervalSeconds: 1 },
    tls: { mode: "none", hsts: false },
    ...overrides,
  };
}

beforeAll(async () => {
  backend = await startBackend("galaxy");
  // As on a fresh proxy host: the bootstrap's offline site until the first apply.
  nginx = await startNginx({
    site: (listen, pageDir) =>
      renderOfflineSite({ mode: "offline", domain: DEFAULT_PROXY.domain, listen, pageDir }),
  });
  binDir = makeTempDir("ssh-bin");
  // Stands in for sudo: sshd already logs in as the user who owns the sandbox's nginx, and real
  // sudo would reset the environment that points the script there.
  writeFileSync(join(binDir, "sudo"), '#!/bin/sh\n[ "$1" = "-n" ] && shift\nexec "$@"\n', { mode: 0o755 });
  sshd = await startSshd({
    ...nginx.applyEnv,
    // Where the command line installs the script; on a proxy host sudo drops this variable and
    // the script goes to /usr/local/sbin.
    LAPPSGRID_PROXY_SCRIPT_DIR: binDir,
    PATH: `${binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
  });
});

afterAll(async () => {
  await sshd?.stop();
  await nginx?.cleanup();
  await backend?.close();
  if (binDir) rmSync(binDir, { recursive: true, force: true });
});

test("a host with an old apply script gets the new one and switches nginx online over SSH", async () => {
  installOldScript();
  const { command, stdin } = await componentRun(proxyConfig({}));
  const run = await sshd.run(command, intoSandbox(stdin));
  expect(installedScript()).toEqual({ text: readFileSync(APPLY_SCRIPT_FILE, "utf8"), mode: 0o755 });
  // The script is renamed into place: no temporary copy is left beside it.
  expect(readdirSync(binDir).sort()).toEqual([APPLY_SCRIPT_NAME, "sudo"]);
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: online is live (nginx reloaded)\n",
    stderr: "",
  });
  const answer = await httpRequest({ port: nginx.port, path: "/galaxy/" });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ backend: "galaxy", url: "/galaxy/" });
});

test("the component's command and stdin switch nginx offline over SSH, with the configured page", async () => {
  installOldScript();
  const { command, stdin } = await componentRun(proxyConfig({ mode: "offline" }));
  const run = await sshd.run(command, intoSandbox(stdin));
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: offline is live (nginx reloaded)\n",
    stderr: "",
  });
  const answer = await httpRequest({ port: nginx.port, path: "/galaxy/api/x", method: "POST", body: "{}" });
  expect(answer.status).toBe(503);
  expect(answer.headers["retry-after"]).toBe("3600");
  expect(answer.body).toContain("<title>LAPPS Grid is resting</title>");
  expect(answer.body).toContain("<p>Back when needed.</p>");
});

test("a broken candidate over SSH exits non-zero with nginx's message and the old site keeps serving", async () => {
  const { command, stdin: good } = await componentRun(proxyConfig({}));
  const stdin = intoSandbox(good).replace(
    "    client_max_body_size 0;",
    "    client_max_body_size 0;\n    proxy_pass_everything yes;",
  );
  const run = await sshd.run(command, stdin);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain(
    `nginx: [emerg] unknown directive "proxy_pass_everything" in ${nginx.siteFile}`,
  );
  expect(run.stderr).toContain(
    "lappsgrid-proxy-apply: nginx -t rejected the candidate; the previous site is back and still serving",
  );
  expect((await httpRequest({ port: nginx.port })).status).toBe(503);
});

test("stdin cut inside the script installs nothing, applies nothing, and says so", async () => {
  installOldScript();
  const before = await httpRequest({ port: nginx.port });
  const { command, stdin } = await componentRun(proxyConfig({}));
  const script = readFileSync(APPLY_SCRIPT_FILE, "utf8");
  const run = await sshd.run(command, stdin.slice(0, 1000));
  expect(run.code).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(
    /^lappsgrid-proxy-apply: stdin did not start with the whole apply script \(\d+ bytes, sha256 [0-9a-f]{64}\); nothing installed, nothing applied\n$/,
  );
  expect(run.stderr).toContain(`(${Buffer.byteLength(script)} bytes,`);
  expect(installedScript()).toEqual({ text: OLD_SCRIPT, mode: 0o755 });
  expect(readdirSync(binDir).sort()).toEqual([APPLY_SCRIPT_NAME, "sudo"]);
  expect((await httpRequest({ port: nginx.port })).status).toBe(before.status);
});

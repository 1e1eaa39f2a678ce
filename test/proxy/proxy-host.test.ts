/**
 * The apply script exactly as the proxy host runs it: the host bootstrapped from the
 * component's user data over Debian's stock nginx layout, then the component's command line and
 * stdin run by the `ubuntu` user through real `sudo -n` and the cloud-init sudoers rule, with
 * every default path (no LAPPSGRID_PROXY_* override reaches the script) and the wait for
 * cloud-init's boot-finished. All of it inside a private mount and network namespace, so the
 * machine's /etc, /var and port 80 are never touched.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { APPLY_SCRIPT_FILE } from "../../components/proxy/apply-script";
import { Proxy as ProxyComponent, renderProxyHostUserData } from "../../components/proxy/index";
import type { ProxyConfig } from "../../config/types";
import { CLOUD_INIT_SUDOERS_FILE, type ProxyHost, startProxyHost } from "../helpers/proxy-host";

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

const BOOT_FINISHED = "/var/lib/cloud/instance/boot-finished";
const BACKEND = `require("node:http").createServer((request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ backend: "galaxy", url: request.url, host: request.headers.host }));
}).listen(8080, "127.0.0.1", () => console.log("listening"));`;

let host: ProxyHost;
let components = 0;

function proxyConfig(overrides: Partial<ProxyConfig>): ProxyConfig {
  return {
    domain: "jetstream.lappsgrid.org",
    host: { kind: "external", address: "203.0.113.10" },
    mode: "online",
    target: { kind: "address", address: "127.0.0.1" },
    port: 8080,
    offlineTitle: "LAPPS Grid is resting",
    offlineMessage: "Back when needed.",
    health: { path: "/", statuses: "200-399", tries: 5, intervalSeconds: 1 },
    tls: { mode: "none", hsts: false },
    ...overrides,
  };
}

/** The command line and stdin the component hands to remote.Command, taken from the component. */
async function componentRun(proxy: ProxyConfig): Promise<{ command: string; stdin: string }> {
  components += 1;
  const component = new ProxyComponent(`proxy-host-${components}`, {
    proxy,
    hostAddress: "203.0.113.10",
    sshPrivateKey: pulumi.secret("unused under mocks"),
  });
  const [command, stdin] = await Promise.all(
    [component.site.create, component.site.stdin].map(
      (output) => new Promise<string>((resolve) => output.apply((value) => resolve(value ?? ""))),
    ),
  );
  return { command, stdin };
}

/** GET through the namespace's port 80, with the public Host name. */
async function get(path: string): Promise<{ status: number; headers: string; body: string }> {
  const run = await host.asRoot([
    "curl",
    "-sS",
    "-i",
    "-H",
    "Host: jetstream.lappsgrid.org",
    `http://127.0.0.1${path}`,
  ]);
  if (run.code !== 0) throw new Error(`curl failed (${run.code}): ${run.stderr}`);
  const [headers, ...body] = run.stdout.split("\r\n\r\n");
  return { status: Number(headers.split(" ")[1]), headers, body: body.join("\r\n\r\n") };
}

async function waitUntilServing(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const run = await host.asRoot(["curl", "-s", "-o", "/dev/null", "http://127.0.0.1/"]);
    if (run.code === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("nginx in the namespace does not answer on port 80");
}

/** What cloud-init does with the user data: write_files, then runcmd (systemctl aside). */
async function bootstrap(): Promise<void> {
  const userData = parse(renderProxyHostUserData()) as {
    write_files: { path: string; permissions: string; content: string }[];
    runcmd: string[][];
  };
  for (const file of userData.write_files) {
    const written = await host.asRoot(
      [
        "sh",
        "-c",
        'mkdir -p "$(dirname "$1")" && cat >"$1" && chmod "$2" "$1"',
        "write",
        file.path,
        file.permissions,
      ],
      file.content,
    );
    expect(written).toMatchObject({ code: 0, stderr: "" });
  }
  expect(userData.runcmd).toEqual([
    ["rm", "-f", "/etc/nginx/sites-enabled/default"],
    ["systemctl", "enable", "nginx"],
    ["systemctl", "reload-or-restart", "nginx"],
  ]);
  expect(await host.asRoot(userData.runcmd[0])).toMatchObject({ code: 0 });
  // systemd's nginx.service starts nginx as the master that writes /run/nginx.pid; here it runs in
  // the foreground so the test can stop it.
  host.spawnAsRoot(["nginx", "-g", "daemon off;"]);
  await waitUntilServing();
}

beforeAll(async () => {
  host = await startProxyHost();
  const conf = readFileSync(join(host.root, "etc/nginx/nginx.conf"), "utf8");
  // The stock layout this test stands on; a machine without it cannot say anything about the host.
  expect(conf).toContain("include /etc/nginx/conf.d/*.conf;");
  expect(conf).toContain("include /etc/nginx/sites-enabled/*;");
  expect(conf).toContain("pid /run/nginx.pid;");
  expect(readdirSync(join(host.root, "etc/nginx/sites-enabled"))).toEqual(["default"]);
  await bootstrap();
  host.spawnAsRoot(["node", "-e", BACKEND]);
  for (let attempt = 0; attempt < 100; attempt++) {
    const run = await host.asRoot(["curl", "-s", "http://127.0.0.1:8080/"]);
    if (run.code === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60000);

afterAll(async () => {
  await host?.cleanup();
});

test("the bootstrapped host serves the offline page on port 80 before any apply", async () => {
  const answer = await get("/galaxy/");
  expect(answer.status).toBe(503);
  expect(answer.headers).toContain("Retry-After: 3600");
  expect(answer.body).toContain("<title>LAPPS Grid on Jetstream is offline</title>");
});

test("the first apply waits for cloud-init's boot-finished, then nginx serves the online site", async () => {
  const { command, stdin } = await componentRun(proxyConfig({ mode: "online" }));
  expect(command.startsWith("sudo -n sh -c '")).toBe(true);
  // sudo resets the environment: neither variable may reach the installer or the script.
  const decoy = join(host.root, "home/ubuntu");
  const apply = host.startAsUbuntu(command, stdin, {
    LAPPSGRID_PROXY_SCRIPT_DIR: "/home/ubuntu",
    LAPPSGRID_PROXY_SITE: "/home/ubuntu/site.conf",
    LAPPSGRID_PROXY_BOOT_MARKER: "",
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(apply.child.exitCode).toBeNull();
  expect((await get("/")).status).toBe(503);

  expect(await host.asRoot(["touch", BOOT_FINISHED])).toMatchObject({ code: 0 });
  const run = await apply.done;
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: online is live (nginx reloaded)\n",
    stderr: "",
  });

  const answer = await get("/galaxy/api/version");
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({
    backend: "galaxy",
    url: "/galaxy/api/version",
    host: "jetstream.lappsgrid.org",
  });
  expect(readFileSync(join(host.root, "usr/local/sbin/lappsgrid-proxy-apply"), "utf8")).toBe(
    readFileSync(APPLY_SCRIPT_FILE, "utf8"),
  );
  expect(readdirSync(decoy)).toEqual([]);
  expect(readdirSync(join(host.root, "etc/nginx/lappsgrid-proxy")).sort()).toEqual([
    "site.conf",
    "site.conf.lock",
  ]);
  expect(readFileSync(join(host.root, "etc/nginx/lappsgrid-proxy/site.conf"), "utf8")).toContain(
    "    server 127.0.0.1:8080;\n",
  );
}, 30000);

test("an offline apply serves the stack's offline page from /var/www/lappsgrid-proxy", async () => {
  const { command, stdin } = await componentRun(proxyConfig({ mode: "offline", target: undefined }));
  const run = await host.startAsUbuntu(command, stdin).done;
  expect(run).toEqual({
    code: 0,
    stdout: "lappsgrid-proxy-apply: offline is live (nginx reloaded)\n",
    stderr: "",
  });
  const answer = await get("/galaxy/");
  expect(answer.status).toBe(503);
  expect(answer.headers).toContain("Retry-After: 3600");
  expect(answer.body).toContain("<title>LAPPS Grid is resting</title>");
  expect(answer.body).toContain("Back when needed.");
  expect(readdirSync(join(host.root, "var/www/lappsgrid-proxy"))).toEqual(["offline.html"]);
}, 30000);

test("without the cloud-init sudoers rule, sudo -n refuses and the live site stays", async () => {
  expect(await host.asRoot(["mv", CLOUD_INIT_SUDOERS_FILE, "/run/cloud-init-users.off"])).toMatchObject({
    code: 0,
  });
  try {
    const { command, stdin } = await componentRun(proxyConfig({ mode: "online" }));
    const run = await host.startAsUbuntu(command, stdin).done;
    expect(run).toEqual({ code: 1, stdout: "", stderr: "sudo: a password is required\n" });
    expect((await get("/")).status).toBe(503);
  } finally {
    expect(await host.asRoot(["mv", "/run/cloud-init-users.off", CLOUD_INIT_SUDOERS_FILE])).toMatchObject({
      code: 0,
    });
  }
}, 30000);

test("CI installs what this test drives: sudo, unshare/nsenter/setpriv, ip and curl", () => {
  const installer = readFileSync(join(__dirname, "..", "..", ".ci", "install-test-tools"), "utf8");
  expect(installer).toContain("  sudo util-linux iproute2 curl\n");
});

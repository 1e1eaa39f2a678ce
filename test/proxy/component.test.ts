/**
 * The Proxy component under Pulumi's mock runtime: what it registers, with exact inputs, and
 * what changes (only the site command's stdin) when the mode or the target changes.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { renderApplyCommand, renderInstaller } from "../../components/proxy/apply-input";
import { APPLY_SCRIPT_FILE } from "../../components/proxy/apply-script";
// Aliased: a bare `Proxy` would shadow the JS global in this module.
import {
  type ProxyArgs,
  Proxy as ProxyComponent,
  renderProxyHostUserData,
} from "../../components/proxy/index";
import { DEFAULT_PROXY } from "../../config/defaults";
import type { ProxyConfig } from "../../config/types";
import { makeTempDir } from "../../harness/nginx";
import { DEFAULT_OFFLINE_PAGE_HTML, PROXY_HOST_USER_DATA } from "../helpers/proxy-host-user-data";

interface Registration {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, any>;
}

let registrations: Registration[] = [];
const OTHER_STACK_INSTANCES = {
  "lappsgrid-galaxy": { publicIp: "149.165.170.20", privateIp: "10.0.0.12" },
  "lappsgrid-proxy": { publicIp: "149.165.170.21" },
};

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registrations.push({
        type: args.type,
        name: args.name,
        custom: args.custom ?? false,
        inputs: args.inputs,
      });
      if (args.type === "pulumi:pulumi:StackReference") {
        return {
          id: args.inputs.name,
          state: {
            name: args.inputs.name,
            outputs: { instances: OTHER_STACK_INSTANCES },
            secretOutputNames: [],
          },
        };
      }
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      throw new Error(`unexpected call to ${args.token}`);
    },
  },
  "lappsgrid-jetstream",
  "iu",
  false,
  "lappsgrid",
);

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n";

function proxyConfig(overrides: Partial<ProxyConfig>): ProxyConfig {
  return {
    domain: DEFAULT_PROXY.domain,
    host: { kind: "instance", name: "lappsgrid-proxy" },
    mode: "online",
    target: { kind: "instance", name: "lappsgrid-galaxy" },
    port: 8080,
    offlineTitle: DEFAULT_PROXY.offlineTitle,
    offlineMessage: DEFAULT_PROXY.offlineMessage,
    health: { path: "/", statuses: "200-399", tries: 30, intervalSeconds: 10 },
    tls: { mode: "none", hsts: false },
    ...overrides,
  };
}

/** Builds the component alone and waits until every child is registered. */
async function build(proxy: ProxyConfig, extra: Partial<ProxyArgs> = {}) {
  registrations = [];
  const component = new ProxyComponent("proxy", {
    proxy,
    hostAddress: "149.165.157.10",
    targetAddress: "10.0.0.12",
    sshPrivateKey: pulumi.secret(SSH_KEY),
    ...extra,
  });
  const [urn, siteUrn, upstream] = await Promise.all([
    promiseOf(component.urn),
    promiseOf(component.site.urn),
    promiseOf(component.upstream),
    promiseOf(component.site.stdin),
  ]);
  const byName = (name: string) => {
    const found = registrations.filter((r) => r.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };
  return { component, urn, siteUrn, upstream, registrations: [...registrations], site: byName("proxy-site") };
}

/** Stands in for the proxy host's openstack server. */
class ProxyHostServer extends pulumi.CustomResource {
  constructor(name: string) {
    super("openstack:compute/instance:Instance", name, {});
  }
}

/** A registration with stdin left out, to compare everything else. */
function withoutStdin(registration: Registration) {
  const { stdin: _stdin, ...inputs } = registration.inputs;
  return { ...registration, inputs };
}

/** The apply script as shipped, read apart from the component. */
const SCRIPT = readFileSync(APPLY_SCRIPT_FILE, "utf8");
const SCRIPT_BYTES = Buffer.byteLength(SCRIPT);
const SCRIPT_SHA256 = createHash("sha256").update(SCRIPT).digest("hex");

const HEADER =
  "# Rendered by lappsgrid-jetstream (components/proxy); edits are overwritten on the next switch.";

/** The online site for the default domain, written out: only the upstream varies here. */
const onlineSite = (upstream: string) =>
  [
    HEADER,
    "# mode: online",
    "map $http_upgrade $lappsgrid_proxy_connection_upgrade {",
    "    default upgrade;",
    "    ''      close;",
    "}",
    "",
    "upstream lappsgrid_proxy_target {",
    `    server ${upstream};`,
    "}",
    "",
    "server {",
    "    listen 80;",
    "    server_name jetstream.lappsgrid.org;",
    "",
    "    # Galaxy takes uploads of many gigabytes: no size limit, streamed to the service as they arrive.",
    "    client_max_body_size 0;",
    "    proxy_request_buffering off;",
    "",
    "    location / {",
    "        proxy_pass http://lappsgrid_proxy_target;",
    "        proxy_http_version 1.1;",
    "        proxy_set_header Host $host;",
    "        proxy_set_header X-Real-IP $remote_addr;",
    "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "        proxy_set_header X-Forwarded-Proto $scheme;",
    "        proxy_set_header X-Forwarded-Host $host;",
    "        proxy_set_header Upgrade $http_upgrade;",
    "        proxy_set_header Connection $lappsgrid_proxy_connection_upgrade;",
    "        # Long-running tool runs and open WebSockets stay silent for a long time.",
    "        proxy_connect_timeout 10s;",
    "        proxy_read_timeout 3600s;",
    "        proxy_send_timeout 3600s;",
    "        send_timeout 3600s;",
    "    }",
    "}",
    "",
  ].join("\n");

const OFFLINE_SITE = [
  HEADER,
  "# mode: offline",
  "server {",
  "    listen 80;",
  "    server_name jetstream.lappsgrid.org;",
  "",
  "    # Kept at server level: a location with its own add_header would drop these.",
  "    add_header Retry-After 3600 always;",
  '    add_header Cache-Control "no-store" always;',
  "",
  "    error_page 503 /offline.html;",
  "    error_page 404 =503 /offline.html;",
  "",
  "    location / {",
  "        return 503;",
  "    }",
  "",
  "    location = /offline.html {",
  "        internal;",
  "        root /var/www/lappsgrid-proxy;",
  "    }",
  "}",
  "",
].join("\n");

/**
 * The apply script, then the framed candidate, written out: the command line installs the one
 * and runs it on the other. Online, the site forwards to `host:port` and the probe checks it
 * with the default health settings (path /, 200-399, 30 tries 10 s apart).
 */
const expectedStdin = (target?: { host: string; port: number }) =>
  `${SCRIPT}lappsgrid-proxy-apply 1\n#== site\n` +
  (target === undefined ? OFFLINE_SITE : onlineSite(`${target.host}:${target.port}`)) +
  `#== page\n${DEFAULT_OFFLINE_PAGE_HTML}` +
  (target === undefined
    ? ""
    : `#== probe\nhost ${target.host}\nport ${target.port}\npath /\nstatuses 200-399\ntries 30\ninterval 10\n`) +
  "#== end\n";

const EXPECTED_COMMAND = `sudo -n sh -c 'set -eu
dir=\${LAPPSGRID_PROXY_SCRIPT_DIR:-/usr/local/sbin}
new=$(mktemp "$dir/.lappsgrid-proxy-apply.XXXXXX")
trap "rm -f -- \\"\\$new\\"" EXIT
head -c ${SCRIPT_BYTES} >"$new"
if ! printf "%s  %s\\n" ${SCRIPT_SHA256} "$new" | sha256sum -c --status; then
  echo "lappsgrid-proxy-apply: stdin did not start with the whole apply script (${SCRIPT_BYTES} bytes, sha256 ${SCRIPT_SHA256}); nothing installed, nothing applied" >&2
  exit 1
fi
chmod 0755 "$new"
mv -f "$new" "$dir/lappsgrid-proxy-apply"
trap - EXIT
exec "$dir/lappsgrid-proxy-apply"'`;

test("registers the component and exactly one command, parented under it", async () => {
  const built = await build(proxyConfig({}));
  expect(built.registrations.map((r) => [r.type, r.name, r.custom])).toEqual([
    ["lappsgrid:jetstream:Proxy", "proxy", false],
    ["command:remote:Command", "proxy-site", true],
  ]);
  expect(built.siteUrn).toBe(
    "urn:pulumi:iu::lappsgrid-jetstream::lappsgrid:jetstream:Proxy$command:remote:Command::proxy-site",
  );
});

/** How the mock runtime hands over an input that holds a secret. */
const SECRET_SIGNATURE = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

test("the command runs the apply script over SSH with the rendered site on stdin", async () => {
  const proxy = proxyConfig({});
  const built = await build(proxy);
  const { connection, ...rest } = built.site.inputs;
  expect(Object.keys(built.site.inputs).sort()).toEqual([
    "addPreviousOutputInEnv",
    "connection",
    "create",
    "stdin",
    "update",
  ]);
  expect(rest).toEqual({
    create: EXPECTED_COMMAND,
    update: EXPECTED_COMMAND,
    stdin: expectedStdin({ host: "10.0.0.12", port: 8080 }),
    // Ubuntu's sshd refuses PULUMI_COMMAND_STDOUT (AcceptEnv) and the provider warns on every update.
    addPreviousOutputInEnv: false,
  });
  expect(built.site.inputs.stdin).toContain("    server 10.0.0.12:8080;");
  expect(built.upstream).toBe("10.0.0.12:8080");
  // The key makes the whole connection a secret: the engine encrypts it in state.
  expect(connection).toEqual({
    ...SECRET_SIGNATURE,
    value: {
      host: "149.165.157.10",
      user: "ubuntu",
      privateKey: SSH_KEY,
      // At least 611 s of retrying: a new proxy host is ACTIVE minutes before sshd answers.
      dialErrorLimit: 130,
      perDialTimeout: 10,
      port: 22,
    },
  });
});

test("a host key in the proxy block pins the proxy host's identity", async () => {
  const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0stk3yf0rth3pr0xyh0st";
  const built = await build(proxyConfig({ hostKey }));
  expect(built.site.inputs.connection.value).toEqual({
    host: "149.165.157.10",
    user: "ubuntu",
    privateKey: SSH_KEY,
    hostKey,
    dialErrorLimit: 130,
    perDialTimeout: 10,
    port: 22,
  });
});

test("a plain-text SSH key is made a secret by the component", async () => {
  const built = await build(proxyConfig({}), { sshPrivateKey: SSH_KEY });
  expect(built.site.inputs.connection).toMatchObject(SECRET_SIGNATURE);
  expect(built.site.inputs.stdin).not.toContain("not-a-real-key");
});

test("switching the mode changes only the command's stdin", async () => {
  const online = await build(proxyConfig({ mode: "online" }));
  const offline = await build(proxyConfig({ mode: "offline" }));
  expect(offline.registrations.map(withoutStdin)).toEqual(online.registrations.map(withoutStdin));
  expect(offline.site.inputs.stdin).toBe(expectedStdin());
  expect(offline.site.inputs.stdin).not.toBe(online.site.inputs.stdin);
  expect(offline.upstream).toBeUndefined();
});

test.each<[string, Partial<ProxyConfig>, Partial<ProxyArgs>, string]>([
  ["another instance", {}, { targetAddress: "10.0.0.40" }, "10.0.0.40"],
  ["a literal address", { target: { kind: "address", address: "149.165.168.5" } }, {}, "149.165.168.5"],
  [
    "a host name",
    { target: { kind: "address", address: "galaxy.lappsgrid.org" } },
    {},
    "galaxy.lappsgrid.org",
  ],
  ["another port", { port: 9090 }, {}, "10.0.0.12"],
])("moving the target to %s changes only the command's stdin", async (_, change, args, host) => {
  const before = await build(proxyConfig({}));
  const proxy = proxyConfig(change);
  const after = await build(proxy, args);
  expect(after.registrations.map(withoutStdin)).toEqual(before.registrations.map(withoutStdin));
  expect(after.site.inputs.stdin).toBe(expectedStdin({ host, port: proxy.port }));
  expect(after.upstream).toBe(`${host}:${proxy.port}`);
});

test("a <stack>/<name> target resolves through that stack's outputs", async () => {
  const proxy = proxyConfig({ target: { kind: "stack", stack: "tacc", name: "lappsgrid-galaxy" } });
  const built = await build(proxy);
  expect(built.registrations.map((r) => [r.type, r.name])).toEqual([
    ["lappsgrid:jetstream:Proxy", "proxy"],
    ["pulumi:pulumi:StackReference", "proxy-tacc-stack"],
    ["command:remote:Command", "proxy-site"],
  ]);
  const reference = built.registrations[1];
  expect(reference.inputs).toEqual({ name: "lappsgrid/lappsgrid-jetstream/tacc" });
  expect(built.upstream).toBe("149.165.170.20:8080");
  expect(built.site.inputs.stdin).toBe(expectedStdin({ host: "149.165.170.20", port: 8080 }));
});

test("offline with a <stack>/<name> target registers the same resources as online", async () => {
  const target = { kind: "stack" as const, stack: "tacc", name: "lappsgrid-galaxy" };
  const online = await build(proxyConfig({ target }));
  const offline = await build(proxyConfig({ target, mode: "offline" }));
  expect(offline.registrations.map(withoutStdin)).toEqual(online.registrations.map(withoutStdin));
});

test("the proxy host's user data stays the text written out after building offline or with another target", async () => {
  await build(proxyConfig({ mode: "offline" }));
  expect(renderProxyHostUserData()).toBe(PROXY_HOST_USER_DATA);
  await build(proxyConfig({ target: { kind: "address", address: "149.165.168.5" } }));
  expect(renderProxyHostUserData()).toBe(PROXY_HOST_USER_DATA);
});

test("the command waits for the proxy host and runs again on a new server, not on a switch", async () => {
  registrations = [];
  const server = new ProxyHostServer("proxy-host");
  const online = await build(proxyConfig({}), { hostServer: server });
  const offline = await build(proxyConfig({ mode: "offline" }), { hostServer: server });
  expect(online.site.inputs.triggers).toEqual(["proxy-host-id"]);
  expect(offline.site.inputs.triggers).toEqual(online.site.inputs.triggers);
});

test("a new apply script changes only the command lines and stdin, never the replacing triggers", async () => {
  const server = new ProxyHostServer("proxy-host-2");
  const built = await build(proxyConfig({}), { hostServer: server });
  // In command 1.2.1 only `triggers` replaces a Command; create, update and stdin update it in place.
  expect(built.site.inputs.triggers).toEqual(["proxy-host-2-id"]);
  const newer = `${SCRIPT}# a fix\n`;
  expect(renderApplyCommand(newer)).not.toBe(renderApplyCommand(SCRIPT));
  expect(renderApplyCommand(newer)).toContain(
    `head -c ${SCRIPT_BYTES + 8} >"$new"\nif ! printf "%s  %s\\n" ${createHash("sha256").update(newer).digest("hex")} "$new"`,
  );
});

test("the installer the command line runs is shellcheck-clean and holds no single quote", () => {
  const installer = renderInstaller(SCRIPT);
  expect(installer).not.toContain("'");
  const dir = makeTempDir("installer");
  try {
    const file = join(dir, "installer.sh");
    writeFileSync(file, `#!/bin/sh\n${installer}\n`);
    // Throws (and fails the test) when shellcheck is missing or reports anything.
    expect(execFileSync("shellcheck", ["--severity=style", file], { encoding: "utf8" })).toBe("");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("online to an instance without its address fails naming proxy.target", () => {
  expect(
    () =>
      new ProxyComponent("proxy-unknown-target", {
        proxy: proxyConfig({}),
        hostAddress: "149.165.157.10",
        sshPrivateKey: pulumi.secret(SSH_KEY),
      }),
  ).toThrow("proxy.target: mode is online but the target's address is unknown (target kind instance)");
});

test("with ACME, stdin carries both forms of the site and what certbot needs, in plain text", async () => {
  const tls = {
    mode: "acme" as const,
    email: "ops@lappsgrid.org",
    directory: "https://acme-staging-v02.api.letsencrypt.org/directory",
    hsts: false,
  };
  const built = await build(proxyConfig({ tls }));
  const stdin = built.site.inputs.stdin as string;
  expect(stdin).toContain(
    [
      "#== acme",
      "domain jetstream.lappsgrid.org",
      "email ops@lappsgrid.org",
      "directory https://acme-staging-v02.api.letsencrypt.org/directory",
      "webroot /var/www/lappsgrid-acme",
      "chain /etc/letsencrypt/live/jetstream.lappsgrid.org/fullchain.pem",
      "key /etc/letsencrypt/live/jetstream.lappsgrid.org/privkey.pem",
      "#== end",
    ].join("\n"),
  );
  expect(stdin).toContain("#== tls-site\n");
  expect(stdin).toContain("    listen 443 ssl;\n");
  expect(stdin).toContain(
    "    ssl_certificate /etc/letsencrypt/live/jetstream.lappsgrid.org/fullchain.pem;\n",
  );
});

test("with the stack's own certificate, stdin carries it and becomes a secret", async () => {
  const chain = "-----BEGIN CERTIFICATE-----\nY2hhaW4=\n-----END CERTIFICATE-----\n";
  const key = "-----BEGIN PRIVATE KEY-----\na2V5LWJ5dGVz\n-----END PRIVATE KEY-----\n";
  const built = await build(proxyConfig({ tls: { mode: "certificate", hsts: true } }), {
    tlsCertificate: { chain: pulumi.secret(chain), key: pulumi.secret(key) },
  });
  expect(built.site.inputs.stdin).toMatchObject(SECRET_SIGNATURE);
  const stdin = built.site.inputs.stdin.value as string;
  expect(stdin).toContain(
    `#== tls-files\nchain /etc/nginx/lappsgrid-proxy/tls/fullchain.pem\nkey /etc/nginx/lappsgrid-proxy/tls/privkey.pem\n#== tls-chain\n${chain}#== tls-key\n${key}#== end\n`,
  );
  expect(stdin).toContain('    add_header Strict-Transport-Security "max-age=31536000" always;\n');
});

test("certificate mode without the certificate is refused by the component, naming the key", async () => {
  expect(
    () =>
      new ProxyComponent("proxy-without-certificate", {
        proxy: proxyConfig({ tls: { mode: "certificate", hsts: false } }),
        hostAddress: "149.165.157.10",
        targetAddress: "10.0.0.12",
        sshPrivateKey: pulumi.secret(SSH_KEY),
      }),
  ).toThrow("proxyTlsCertificate: proxy.tls.mode is certificate but the program passed no tlsCertificate");
});

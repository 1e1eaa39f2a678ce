/**
 * A real nginx under a temporary prefix on loopback, for tests and the benchmark: its own
 * nginx.conf (pid, logs, temp paths inside the prefix) that includes one site file by name,
 * exactly as the proxy host includes the live site.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderStandaloneNginxConf } from "../components/proxy/standalone-nginx";

export const NGINX_BINARY = "/usr/sbin/nginx";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A world-readable temporary directory: nginx workers run as nobody when the tests run as root. */
export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lappsgrid-${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** The same main configuration `jetstream proxy-config` writes. */
export function renderNginxConf(prefix: string, siteFile: string): string {
  return renderStandaloneNginxConf(prefix, siteFile);
}

export interface NginxUnderTest {
  prefix: string;
  confFile: string;
  /** The live site file, as LAPPSGRID_PROXY_SITE. */
  siteFile: string;
  /** Directory of offline.html, as LAPPSGRID_PROXY_PAGE_DIR. */
  pageDir: string;
  port: number;
  /** `listen` value for rendered sites. */
  listen: string;
  /** The nginx command line with this prefix's options. */
  command: string[];
  /** Environment that points the apply script at this nginx. */
  applyEnv: Record<string, string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs `nginx -s SIGNAL` for this prefix (`stop` is the old scripts' restart's first half). */
  signal(name: "stop" | "reload" | "quit"): void;
  errorLog(): string;
  cleanup(): Promise<void>;
}

export async function startNginx(options: {
  site: (listen: string, pageDir: string) => string;
  page?: string;
}) {
  const prefix = makeTempDir("nginx");
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const siteDir = join(prefix, "site");
  const pageDir = join(prefix, "www");
  mkdirSync(join(prefix, "temp"), { mode: 0o755 });
  mkdirSync(siteDir, { mode: 0o755 });
  mkdirSync(pageDir, { mode: 0o755 });
  const siteFile = join(siteDir, "site.conf");
  const confFile = join(prefix, "nginx.conf");
  writeFileSync(confFile, renderNginxConf(prefix, siteFile));
  writeFileSync(siteFile, options.site(listen, pageDir));
  if (options.page !== undefined) writeFileSync(join(pageDir, "offline.html"), options.page);
  const command = [NGINX_BINARY, "-p", prefix, "-c", confFile, "-e", join(prefix, "error.log")];
  let child: ChildProcess | undefined;
  const nginx: NginxUnderTest = {
    prefix,
    confFile,
    siteFile,
    pageDir,
    port,
    listen,
    command,
    applyEnv: {
      LAPPSGRID_PROXY_NGINX: command.join(" "),
      LAPPSGRID_PROXY_SITE: siteFile,
      LAPPSGRID_PROXY_PAGE_DIR: pageDir,
      LAPPSGRID_PROXY_PID_FILE: join(prefix, "nginx.pid"),
      LAPPSGRID_PROXY_BOOT_MARKER: "",
    },
    async start() {
      const started = spawn(command[0], command.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      started.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      // A missing nginx fails the test loudly (spawn error), never skips it.
      const exited = new Promise<never>((_, reject) => {
        started.once("error", reject);
        started.once("exit", (code) => reject(new Error(`nginx exited with ${code}: ${stderr}`)));
      });
      child = started;
      await Promise.race([waitForPort(port), exited]);
      exited.catch(() => undefined);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const gone = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGTERM");
      await gone;
    },
    signal(name) {
      execFileSync(command[0], [...command.slice(1), "-s", name], { stdio: "pipe" });
    },
    errorLog() {
      try {
        return readFileSync(join(prefix, "error.log"), "utf8");
      } catch {
        return "";
      }
    },
    async cleanup() {
      await nginx.stop();
      rmSync(prefix, { recursive: true, force: true });
    },
  };
  await nginx.start();
  return nginx;
}

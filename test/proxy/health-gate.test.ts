/**
 * The health gate with a real nginx, real backends and the load generator running throughout:
 * the apply script switches online only to a target that answers its probe with an accepted
 * status; a target that is down, silent or answering 500 leaves the old site serving, and no
 * request is dropped (or forwarded to the failed target) meanwhile.
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { type HealthProbe, renderApplyInput } from "../../components/proxy/apply-input";
import { renderOfflineSite, renderOnlineSite } from "../../components/proxy/nginx-site";
import { renderOfflinePage } from "../../components/proxy/offline-page";
import { type Backend, startBackend } from "../../harness/http-backend";
import { type Load, startLoad } from "../../harness/http-load";
import { freePort, type NginxUnderTest, startNginx } from "../../harness/nginx";
import { runApplyScript } from "../../harness/proxy-apply";
import { httpRequest } from "../helpers/http-request";

const DOMAIN = "jetstream.lappsgrid.org";
const page = renderOfflinePage();

/** An HTTP server on `port` answering every request with `status` and a backend report. */
async function listenHttp(
  port: number,
  name: string,
  status: number,
  seen: IncomingMessage[] = [],
): Promise<Server> {
  const server = createHttpServer((request, response) => {
    seen.push(request);
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify({ backend: name }));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

function close(server: Server | TcpServer | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

describe("health-gated switching with a real nginx", () => {
  let galaxy: Backend;
  let nginx: NginxUnderTest;
  let load: Load;

  const probe = (port: number, overrides: Partial<HealthProbe> = {}): HealthProbe => ({
    host: "127.0.0.1",
    port,
    path: "/",
    statuses: "200-399",
    tries: 3,
    interval: 1,
    ...overrides,
  });
  const online = (port: number, overrides: Partial<HealthProbe> = {}) =>
    renderApplyInput({
      site: renderOnlineSite({
        mode: "online",
        domain: DOMAIN,
        listen: nginx.listen,
        upstream: { host: "127.0.0.1", port },
      }),
      page,
      probe: probe(port, overrides),
    });

  beforeAll(async () => {
    galaxy = await startBackend("galaxy");
    nginx = await startNginx({
      site: (listen) =>
        renderOnlineSite({
          mode: "online",
          domain: DOMAIN,
          listen,
          upstream: { host: "127.0.0.1", port: galaxy.port },
        }),
    });
    load = startLoad({ port: nginx.port, keepAliveClients: 5, newConnectionClients: 5, maxMs: 120000 });
    await load.waitFor("online:galaxy", Date.now());
  });
  afterAll(async () => {
    await load?.stop();
    await nginx?.cleanup();
    await galaxy?.close();
  });

  /** Each refused switch: exit 1, the probe's last answer, the live site untouched, no request lost. */
  async function expectRefused(stdin: string, stderr: string, env: Record<string, string> = {}) {
    const liveBefore = readFileSync(nginx.siteFile, "utf8");
    const before = load.report();
    const run = await runApplyScript(stdin, { ...nginx.applyEnv, ...env });
    expect(run).toEqual({ code: 1, stdout: "", stderr });
    expect(readFileSync(nginx.siteFile, "utf8")).toBe(liveBefore);
    const since = Date.now();
    await load.waitFor("online:galaxy", since);
    const after = load.report();
    expect(after.failures).toEqual([]);
    expect(after.failed).toBe(0);
    expect(Object.keys(after.observed).sort()).toEqual(Object.keys(before.observed).sort());
  }

  test("a target that is down is refused and the old site keeps serving", async () => {
    const port = await freePort();
    await expectRefused(
      online(port),
      `lappsgrid-proxy-apply: http://127.0.0.1:${port}/ failed its health check (tries: 3, 1 s apart; accepted statuses 200-399); last answer: connection refused; the previous site is still serving\n`,
    );
  });

  test("a target answering 500 is refused and never receives the site's traffic", async () => {
    const port = await freePort();
    const broken = await listenHttp(port, "broken", 500);
    try {
      await expectRefused(
        online(port),
        `lappsgrid-proxy-apply: http://127.0.0.1:${port}/ failed its health check (tries: 3, 1 s apart; accepted statuses 200-399); last answer: HTTP/1.1 500 Internal Server Error; the previous site is still serving\n`,
      );
      expect(load.report().observed["online:broken"]).toBeUndefined();
    } finally {
      await close(broken);
    }
  });

  test("a target that accepts the connection but never answers is refused after the probe timeout", async () => {
    const silent = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await expectRefused(
        online(port, { tries: 2 }),
        `lappsgrid-proxy-apply: http://127.0.0.1:${port}/ failed its health check (tries: 2, 1 s apart; accepted statuses 200-399); last answer: no answer within 1 s; the previous site is still serving\n`,
        { LAPPSGRID_PROXY_PROBE_TIMEOUT: "1" },
      );
    } finally {
      silent.close();
    }
  });

  test("each try waits 5 s by default for an answer", async () => {
    const silent = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      await expectRefused(
        online(port, { tries: 1 }),
        `lappsgrid-proxy-apply: http://127.0.0.1:${port}/ failed its health check (tries: 1, 1 s apart; accepted statuses 200-399); last answer: no answer within 5 s; the previous site is still serving\n`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    } finally {
      silent.close();
    }
  });

  test("a status outside the accepted list is refused, one inside it is taken", async () => {
    const port = await freePort();
    const seen: IncomingMessage[] = [];
    const teapot = await listenHttp(port, "teapot", 200, seen);
    try {
      await expectRefused(
        online(port, { statuses: "300-399,401-401", tries: 1 }),
        `lappsgrid-proxy-apply: http://127.0.0.1:${port}/ failed its health check (tries: 1, 1 s apart; accepted statuses 300-399,401-401); last answer: HTTP/1.1 200 OK; the previous site is still serving\n`,
      );
      const run = await runApplyScript(
        online(port, { statuses: "200-200", path: "/api/version?probe=1" }),
        nginx.applyEnv,
      );
      expect(run).toEqual({
        code: 0,
        stdout: "lappsgrid-proxy-apply: online is live (nginx reloaded)\n",
        stderr: "",
      });
      await load.waitFor("online:teapot", Date.now());
      const probes = seen.filter((request) => request.headers["user-agent"] === "lappsgrid-proxy-apply");
      expect(probes.map((request) => `${request.method} ${request.url} ${request.headers.host}`)).toEqual([
        `GET / 127.0.0.1:${port}`,
        `GET /api/version?probe=1 127.0.0.1:${port}`,
      ]);
    } finally {
      const back = await runApplyScript(online(galaxy.port), nginx.applyEnv);
      expect(back.code).toBe(0);
      await load.waitFor("online:galaxy", Date.now());
      await close(teapot);
    }
    expect(load.report().failed).toBe(0);
  });

  test("a target slow to come up is taken once it answers, without a dropped request", async () => {
    const port = await freePort();
    let slow: Server | undefined;
    const startsLater = setTimeout(async () => {
      slow = await listenHttp(port, "slow", 200);
    }, 2500);
    try {
      const started = Date.now();
      const run = await runApplyScript(online(port, { tries: 10 }), nginx.applyEnv);
      expect(run).toEqual({
        code: 0,
        stdout: "lappsgrid-proxy-apply: online is live (nginx reloaded)\n",
        stderr: "",
      });
      // It went live only after the server came up; "online is live" (not a refusal) shows the
      // tries had not run out. No upper bound in seconds: a loaded machine slows the probes.
      expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
      await load.waitFor("online:slow", Date.now());
      expect(load.report().failed).toBe(0);
    } finally {
      clearTimeout(startsLater);
      const back = await runApplyScript(online(galaxy.port), nginx.applyEnv);
      expect(back.code).toBe(0);
      await load.waitFor("online:galaxy", Date.now());
      await close(slow);
    }
  });

  test.each([
    ["an unknown setting", "hots 127.0.0.1\n", "unknown probe setting 'hots'; nothing applied"],
    [
      "a missing setting",
      "host 127.0.0.1\nport 1\npath /\ntries 1\ninterval 1\n",
      "the probe has no 'statuses'; nothing applied",
    ],
  ])("a probe with %s is refused and nothing changes", async (_, settings, message) => {
    const liveBefore = readFileSync(nginx.siteFile, "utf8");
    const stdin = online(galaxy.port).replace(
      /#== probe\n[\s\S]*#== end\n$/,
      `#== probe\n${settings}#== end\n`,
    );
    const run = await runApplyScript(stdin, nginx.applyEnv);
    expect(run).toEqual({ code: 1, stdout: "", stderr: `lappsgrid-proxy-apply: ${message}\n` });
    expect(readFileSync(nginx.siteFile, "utf8")).toBe(liveBefore);
  });

  test("going offline is never gated, whatever state the target is in", async () => {
    const run = await runApplyScript(
      renderApplyInput({
        site: renderOfflineSite({
          mode: "offline",
          domain: DOMAIN,
          listen: nginx.listen,
          pageDir: nginx.pageDir,
        }),
        page,
      }),
      nginx.applyEnv,
    );
    expect(run).toEqual({
      code: 0,
      stdout: "lappsgrid-proxy-apply: offline is live (nginx reloaded)\n",
      stderr: "",
    });
    expect((await httpRequest({ port: nginx.port })).status).toBe(503);
    await load.waitFor("offline", Date.now());
    const back = await runApplyScript(online(galaxy.port), nginx.applyEnv);
    expect(back.code).toBe(0);
    await load.waitFor("online:galaxy", Date.now());
    const report = load.report();
    console.log(`health gate load: ${JSON.stringify(report)}`);
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
  });
});

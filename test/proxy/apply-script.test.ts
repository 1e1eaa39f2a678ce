/**
 * The apply script against a real nginx: switches under load lose no request, a broken
 * candidate changes nothing, and the script passes shellcheck.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { dirname, join } from "node:path";
import { renderApplyInput } from "../../components/proxy/apply-input";
import { APPLY_SCRIPT_FILE } from "../../components/proxy/apply-script";
import { renderOfflineSite, renderOnlineSite } from "../../components/proxy/nginx-site";
import { renderOfflinePage } from "../../components/proxy/offline-page";
import { type Backend, startBackend } from "../../harness/http-backend";
import { type LoadReport, startLoad } from "../../harness/http-load";
import { type NginxUnderTest, startNginx } from "../../harness/nginx";
import { runApplyScript } from "../../harness/proxy-apply";
import { httpRequest } from "../helpers/http-request";

// The switch under load waits up to 30 s for each of its six steps on a busy machine.
jest.setTimeout(240_000);

const DOMAIN = "jetstream.lappsgrid.org";
const page = renderOfflinePage();

describe("apply script with a real nginx", () => {
  let galaxy: Backend;
  let tacc: Backend;
  let nginx: NginxUnderTest;

  const online = (backend: Backend) =>
    renderApplyInput({
      site: renderOnlineSite({
        mode: "online",
        domain: DOMAIN,
        listen: nginx.listen,
        upstream: { host: "127.0.0.1", port: backend.port },
      }),
      page,
    });
  const offline = () =>
    renderApplyInput({
      site: renderOfflineSite({
        mode: "offline",
        domain: DOMAIN,
        listen: nginx.listen,
        pageDir: nginx.pageDir,
      }),
      page,
    });

  beforeAll(async () => {
    galaxy = await startBackend("galaxy");
    tacc = await startBackend("tacc");
    nginx = await startNginx({
      site: (listen) =>
        renderOnlineSite({
          mode: "online",
          domain: DOMAIN,
          listen,
          upstream: { host: "127.0.0.1", port: galaxy.port },
        }),
    });
  });
  afterAll(async () => {
    await nginx?.cleanup();
    await galaxy?.close();
    await tacc?.close();
  });

  test("switching online -> offline -> another target -> online under load loses no request", async () => {
    const load = startLoad({
      port: nginx.port,
      keepAliveClients: 10,
      newConnectionClients: 10,
      maxMs: 60000,
    });
    let report: LoadReport;
    try {
      await load.waitFor("online:galaxy", Date.now(), 30000);
      const steps: [string, string][] = [
        ["offline", offline()],
        ["online:tacc", online(tacc)],
        ["offline", offline()],
        ["online:galaxy", online(galaxy)],
        ["online:tacc", online(tacc)],
        ["online:galaxy", online(galaxy)],
      ];
      for (const [expected, stdin] of steps) {
        const started = Date.now();
        const run = await runApplyScript(stdin, nginx.applyEnv);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        // Bounds for a machine the rest of the suite keeps busy: a switch takes well under a
        // second alone, but its first answers may wait behind other test files' work.
        await load.waitFor(expected, Date.now(), 30000);
        expect(Date.now() - started).toBeLessThan(30000);
        // Let the load run on the new site for a while before the next switch.
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      // Stopped whatever happened, but judged only after every switch passed: an assertion
      // here would replace the failing step's own error with a count.
      report = await load.stop();
    }
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    // Load ran through every switch (each mode seen below); how much depends on the machine.
    expect(report.total).toBeGreaterThan(100);
    expect(report.observed.offline).toBeGreaterThan(0);
    expect(report.observed["online:galaxy"]).toBeGreaterThan(0);
    expect(report.observed["online:tacc"]).toBeGreaterThan(0);
  });

  test("prints the mode it made live", async () => {
    const run = await runApplyScript(offline(), nginx.applyEnv);
    expect(run).toEqual({
      code: 0,
      stdout: "lappsgrid-proxy-apply: offline is live (nginx reloaded)\n",
      stderr: "",
    });
    expect((await httpRequest({ port: nginx.port })).status).toBe(503);
  });

  test("a broken candidate leaves the old site serving and fails with nginx's message", async () => {
    await runApplyScript(online(galaxy), nginx.applyEnv);
    const liveBefore = readFileSync(nginx.siteFile, "utf8");
    const pageFile = join(nginx.pageDir, "offline.html");
    const pageBefore = readFileSync(pageFile, "utf8");
    const broken = online(tacc)
      .replace("proxy_http_version 1.1;", "proxy_http_version 1.1;\n        bogus_directive on;")
      .replace("<h1>", "<h1>A new title: ");
    const run = await runApplyScript(broken, nginx.applyEnv);
    // The line as nginx counts it in the site file: the framing's two leading lines are not in it.
    const line = broken.split("\n").indexOf("        bogus_directive on;") - 1;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `nginx: [emerg] unknown directive "bogus_directive" in ${nginx.siteFile}:${line}`,
    );
    expect(run.stderr).toContain(`nginx: configuration file ${nginx.confFile} test failed`);
    expect(run.stderr).toContain(
      "lappsgrid-proxy-apply: nginx -t rejected the candidate; the previous site is back and still serving",
    );
    expect(readFileSync(nginx.siteFile, "utf8")).toBe(liveBefore);
    expect(readFileSync(pageFile, "utf8")).toBe(pageBefore);
    // No candidate or previous copy left behind.
    expect(readdirSync(dirname(nginx.siteFile)).sort()).toEqual(["site.conf", "site.conf.lock"]);
    expect(readdirSync(nginx.pageDir)).toEqual(["offline.html"]);
    const answer = await httpRequest({ port: nginx.port });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).backend).toBe("galaxy");
  });

  test("an upstream nginx cannot resolve is refused and the old site keeps serving", async () => {
    await runApplyScript(offline(), nginx.applyEnv);
    const unresolvable = renderApplyInput({
      site: renderOnlineSite({
        mode: "online",
        domain: DOMAIN,
        listen: nginx.listen,
        upstream: { host: "galaxy.invalid", port: 8080 },
      }),
      page,
    });
    const run = await runApplyScript(unresolvable, nginx.applyEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('host not found in upstream "galaxy.invalid:8080"');
    expect((await httpRequest({ port: nginx.port })).status).toBe(503);
  });

  test("a candidate nginx cannot bind is rolled back and the old site keeps serving", async () => {
    await runApplyScript(offline(), nginx.applyEnv);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      const liveBefore = readFileSync(nginx.siteFile, "utf8");
      const candidate = renderApplyInput({
        site: renderOfflineSite({
          mode: "offline",
          domain: DOMAIN,
          listen: `127.0.0.1:${taken}`,
          pageDir: nginx.pageDir,
        }),
        page,
      });
      // `nginx -t` does not bind, so only the reload itself finds the port taken.
      const run = await runApplyScript(candidate, { ...nginx.applyEnv, LAPPSGRID_PROXY_RELOAD_TIMEOUT: "2" });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        "lappsgrid-proxy-apply: nginx did not take the candidate within 2 s (its error log says why); the previous site is back\n",
      );
      expect(nginx.errorLog()).toContain(`bind() to 127.0.0.1:${taken} failed (98: Address already in use)`);
      expect(readFileSync(nginx.siteFile, "utf8")).toBe(liveBefore);
      expect((await httpRequest({ port: nginx.port })).status).toBe(503);
    } finally {
      squatter.close();
    }
  });

  test.each([
    ["empty stdin", "", "no input on stdin"],
    [
      "a truncated candidate",
      "lappsgrid-proxy-apply 1\n#== site\nserver {\n",
      "stdin ended before '#== end'",
    ],
    ["another framing", "hello\n", "stdin does not start with 'lappsgrid-proxy-apply 1'"],
  ])("%s is refused and nothing changes", async (_, stdin, message) => {
    const liveBefore = readFileSync(nginx.siteFile, "utf8");
    const run = await runApplyScript(stdin, nginx.applyEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(readFileSync(nginx.siteFile, "utf8")).toBe(liveBefore);
  });
});

test("the apply script is shellcheck-clean", () => {
  // Throws (and fails the test) when shellcheck is missing or reports anything.
  const output = execFileSync("shellcheck", ["--severity=style", APPLY_SCRIPT_FILE], { encoding: "utf8" });
  expect(output).toBe("");
});

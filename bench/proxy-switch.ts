/**
 * `npm run bench:proxy [-- --switches N]`: a real nginx on loopback under load from 20 clients
 * (10 on keep-alive connections, 10 opening one connection per request), switched N times
 * between online and offline two ways, measured in one run:
 *   restart: the old scripts' way: swap the site file, then `nginx -s stop` and start again
 *            (what `service nginx restart` does);
 *   reload:  ours: the apply script (nginx -t, atomic rename, graceful reload);
 *   reload over HTTPS: the same with the site's HTTPS form (proxy.tls), the load over TLS.
 * Prints requests, failed requests and switch latency (from the switch's start to the first
 * answer of the new mode to a request sent after that start).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { alignColumns } from "../cli/columns";
import { renderApplyInput } from "../components/proxy/apply-input";
import { renderOfflineSite, renderOnlineSite, type SiteTls } from "../components/proxy/nginx-site";
import { renderOfflinePage } from "../components/proxy/offline-page";
import { startBackend } from "../harness/http-backend";
import { type LoadReport, startLoad } from "../harness/http-load";
import { freePort, type NginxUnderTest, startNginx } from "../harness/nginx";
import { runApplyScript } from "../harness/proxy-apply";
import { makeCertificate } from "../harness/tls-certificate";

const DOMAIN = "jetstream.lappsgrid.org";
const KEEP_ALIVE_CLIENTS = 10;
const NEW_CONNECTION_CLIENTS = 10;
/** Load runs this long on each mode before the next switch. */
const SETTLE_MS = 300;

function switchesFromArgs(argv: string[]): number {
  const at = argv.indexOf("--switches");
  if (at < 0) return 10;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error(
      `--switches: ${JSON.stringify(argv[at + 1])} is not allowed; allowed: a whole number from 1 to 1000`,
    );
  }
  return value;
}

interface WayResult {
  way: string;
  report: LoadReport;
  latenciesMs: number[];
}

type Mode = { kind: "offline" } | { kind: "online"; backend: string; port: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function siteFor(listen: string, pageDir: string, mode: Mode, tls?: SiteTls): string {
  return mode.kind === "offline"
    ? renderOfflineSite({ mode: "offline", domain: DOMAIN, listen, pageDir, tls })
    : renderOnlineSite({
        mode: "online",
        domain: DOMAIN,
        listen,
        tls,
        upstream: { host: "127.0.0.1", port: mode.port },
      });
}

const observedKind = (mode: Mode) => (mode.kind === "offline" ? "offline" : `online:${mode.backend}`);

async function measure(
  way: string,
  nginx: NginxUnderTest,
  modes: Mode[],
  switchTo: (mode: Mode) => Promise<void>,
  https?: { port: number; ca: string },
): Promise<WayResult> {
  const load = startLoad({
    port: https?.port ?? nginx.port,
    ca: https?.ca,
    keepAliveClients: KEEP_ALIVE_CLIENTS,
    newConnectionClients: NEW_CONNECTION_CLIENTS,
    maxMs: 10 * 60 * 1000,
  });
  const latenciesMs: number[] = [];
  try {
    await load.waitFor(observedKind(modes[modes.length - 1]), Date.now(), 30000);
    await sleep(SETTLE_MS);
    for (const mode of modes) {
      const started = Date.now();
      await switchTo(mode);
      const served = await load.waitFor(observedKind(mode), started, 30000);
      latenciesMs.push(served - started);
      await sleep(SETTLE_MS);
    }
  } finally {
    await load.stop();
  }
  return { way, report: load.report(), latenciesMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function table(results: WayResult[]): string {
  const header = ["way", "requests", "failed", "retried*", "switch median ms", "switch max ms"];
  const rows = results.map((r) => [
    r.way,
    String(r.report.total),
    String(r.report.failed),
    String(r.report.retried),
    String(median(r.latenciesMs)),
    String(Math.max(...r.latenciesMs)),
  ]);
  return alignColumns([header, ...rows], {
    align: (column) => (column === 0 ? "left" : "right"),
    underlineHeader: true,
  }).join("\n");
}

async function main(): Promise<void> {
  const switches = switchesFromArgs(process.argv);
  const galaxy = await startBackend("galaxy");
  const page = renderOfflinePage();
  const online: Mode = { kind: "online", backend: galaxy.name, port: galaxy.port };
  // Alternate, ending where each way starts: online.
  const modes: Mode[] = Array.from({ length: switches }, (_, i) =>
    i % 2 === 0 ? { kind: "offline" } : online,
  );
  const nginx = await startNginx({ site: (listen, pageDir) => siteFor(listen, pageDir, online), page });
  // nginx -v answers on stderr.
  const version = spawnSync(nginx.command[0], ["-v"], { encoding: "utf8" }).stderr.replace(
    "nginx version: ",
    "",
  );
  try {
    const restart = await measure("restart (site swap + nginx stop/start)", nginx, modes, async (mode) => {
      writeFileSync(`${nginx.siteFile}.new`, siteFor(nginx.listen, nginx.pageDir, mode));
      renameSync(`${nginx.siteFile}.new`, nginx.siteFile);
      await nginx.stop();
      await nginx.start();
    });
    const reload = await measure("reload (apply script)", nginx, modes, async (mode) => {
      const run = await runApplyScript(
        renderApplyInput({ site: siteFor(nginx.listen, nginx.pageDir, mode), page }),
        nginx.applyEnv,
      );
      if (run.code !== 0) throw new Error(`apply script failed: ${run.stderr}`);
    });
    // The HTTPS form with a certificate at hand, as on a proxy host after its first issuance.
    const certificate = makeCertificate(nginx.prefix, DOMAIN);
    const webroot = join(nginx.prefix, "acme-webroot");
    mkdirSync(webroot, { recursive: true });
    const https = { port: await freePort(), ca: certificate.pem };
    const tls: SiteTls = {
      webroot,
      listen: `127.0.0.1:${https.port}`,
      hsts: false,
      certificate: { chain: certificate.chain, key: certificate.key },
    };
    const applyTls = async (mode: Mode) => {
      const run = await runApplyScript(
        renderApplyInput({ site: siteFor(nginx.listen, nginx.pageDir, mode, tls), page }),
        nginx.applyEnv,
      );
      if (run.code !== 0) throw new Error(`apply script failed: ${run.stderr}`);
    };
    await applyTls(online);
    const reloadTls = await measure("reload over HTTPS (apply script)", nginx, modes, applyTls, https);
    process.stdout.write(
      `${[
        `proxy switch benchmark: ${switches} switches each way (offline <-> online), ${KEEP_ALIVE_CLIENTS} keep-alive + ${NEW_CONNECTION_CLIENTS} new-connection clients, ${version.trim() || "nginx"} on loopback`,
        "",
        table([restart, reload, reloadTls]),
        "",
        "failed: connection refused or reset, or any answer but the backend's 200 or the offline page's 503.",
        "* retried: a GET whose reused keep-alive connection the server closed before answering, sent again",
        "  once on a new connection as browsers and curl do; counted as failed if the retry fails.",
        "switch: from the switch's start to the first answer in the new mode to a request sent after it.",
        ...[restart, reload, reloadTls].flatMap((r) =>
          r.report.failures.length
            ? [`first failures (${r.way}): ${r.report.failures.slice(0, 3).join("; ")}`]
            : [],
        ),
      ].join("\n")}\n`,
    );
    if (reload.report.failed > 0 || reloadTls.report.failed > 0) process.exitCode = 1;
  } finally {
    await nginx.cleanup();
    await galaxy.close();
  }
}

main().catch((error: Error) => {
  console.error(`bench:proxy: ${error.message}`);
  process.exitCode = 1;
});

/**
 * A load generator for switch tests and the benchmark: N clients on reused keep-alive
 * connections and N clients opening a new connection per request, all GET / with the proxy's
 * Host. Every answer is classified: a backend's name, "offline" for the offline page, or a
 * failure (connection refused or reset, any other status). Bounded: it stops itself at maxMs.
 *
 * Like browsers, curl and Go's client (RFC 9112 section 9.3.1), a GET that dies on a reused
 * keep-alive connection before any answer is sent again once on a new connection: a server
 * may close an idle connection at any moment (nginx does on reload), and such a request never
 * reached it. Those retries are counted apart; a retry that fails is a failure.
 */
import { Agent, request } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface LoadOptions {
  port: number;
  host?: string;
  keepAliveClients?: number;
  newConnectionClients?: number;
  /** Hard stop, whatever the caller does. */
  maxMs?: number;
  /** PEM root to trust: the load goes over HTTPS, verified for `host`. */
  ca?: string;
}

export interface LoadReport {
  total: number;
  failed: number;
  /** Requests sent again after their reused keep-alive connection was closed under them. */
  retried: number;
  /** Answers per classification ("offline", backend names). */
  observed: Record<string, number>;
  /** The first failures, for the assertion message. */
  failures: string[];
}

export interface Load {
  /** What the most recent answer was, with the time it arrived. */
  latest(): { kind: string; at: number };
  /** Resolves when an answer of `kind` arrives that was requested after `since`. */
  waitFor(kind: string, since: number, timeoutMs?: number): Promise<number>;
  report(): LoadReport;
  stop(): Promise<LoadReport>;
}

function classify(status: number, body: string): string | undefined {
  if (status === 200) {
    try {
      return `online:${(JSON.parse(body) as { backend: string }).backend}`;
    } catch {
      return undefined;
    }
  }
  if (status === 503 && body.includes("<!DOCTYPE html>")) return "offline";
  return undefined;
}

export function startLoad(options: LoadOptions): Load {
  const host = options.host ?? "jetstream.lappsgrid.org";
  const report: LoadReport = { total: 0, failed: 0, retried: 0, observed: {}, failures: [] };
  let running = true;
  let latest = { kind: "none", at: 0 };
  const waiters: { kind: string; since: number; resolve: (at: number) => void }[] = [];
  const hardStop = setTimeout(() => {
    running = false;
  }, options.maxMs ?? 120000);

  function record(kind: string | undefined, startedAt: number, detail: string): void {
    report.total += 1;
    if (kind === undefined) {
      report.failed += 1;
      if (report.failures.length < 20) report.failures.push(detail);
      return;
    }
    const now = Date.now();
    report.observed[kind] = (report.observed[kind] ?? 0) + 1;
    latest = { kind, at: now };
    for (const waiter of [...waiters]) {
      if (waiter.kind === kind && startedAt >= waiter.since) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(now);
      }
    }
  }

  function once(agent: Agent | false, retry = false): Promise<void> {
    const startedAt = Date.now();
    return new Promise((resolve) => {
      const send = options.ca === undefined ? request : httpsRequest;
      const req = send(
        {
          host: "127.0.0.1",
          port: options.port,
          path: "/",
          agent,
          headers: agent === false ? { host, connection: "close" } : { host },
          ...(options.ca === undefined ? {} : { ca: options.ca, servername: host }),
          timeout: 10000,
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            record(classify(status, body), startedAt, `HTTP ${status}: ${body.slice(0, 80)}`);
            resolve();
          });
          response.on("error", (error) => {
            record(undefined, startedAt, `response: ${error.message}`);
            resolve();
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out after 10 s")));
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && error.code === "ECONNRESET" && !retry) {
          report.retried += 1;
          resolve(once(false, true));
          return;
        }
        record(undefined, startedAt, `${error.code ?? ""} ${error.message}`);
        resolve();
      });
      req.end();
    });
  }

  async function client(agent: Agent | false): Promise<void> {
    while (running) await once(agent);
    if (agent) agent.destroy();
  }

  const clients: Promise<void>[] = [];
  for (let i = 0; i < (options.keepAliveClients ?? 10); i++) {
    const keepAlive = { keepAlive: true, maxSockets: 1 };
    clients.push(client(options.ca === undefined ? new Agent(keepAlive) : new HttpsAgent(keepAlive)));
  }
  for (let i = 0; i < (options.newConnectionClients ?? 10); i++) clients.push(client(false));

  return {
    latest: () => latest,
    waitFor(kind, since, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${kind}" answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          kind,
          since,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        });
      });
    },
    report: () => ({ ...report, observed: { ...report.observed }, failures: [...report.failures] }),
    async stop() {
      running = false;
      clearTimeout(hardStop);
      await Promise.all(clients);
      return this.report();
    },
  };
}

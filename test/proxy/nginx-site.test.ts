/** The rendered sites running in a real nginx on loopback, with a Node backend behind them. */
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import type { Socket } from "node:net";
import { renderOfflineSite, renderOnlineSite } from "../../components/proxy/nginx-site";
import { renderOfflinePage } from "../../components/proxy/offline-page";
import {
  type Backend,
  type BackendReport,
  decodeTextFrame,
  encodeTextFrame,
  startBackend,
  websocketAccept,
} from "../../harness/http-backend";
import { type NginxUnderTest, startNginx } from "../../harness/nginx";
import { httpRequest } from "../helpers/http-request";

const DOMAIN = "jetstream.lappsgrid.org";

describe("online site in a real nginx", () => {
  let backend: Backend;
  let nginx: NginxUnderTest;

  beforeAll(async () => {
    backend = await startBackend("galaxy");
    nginx = await startNginx({
      site: (listen) =>
        renderOnlineSite({
          mode: "online",
          domain: DOMAIN,
          listen,
          upstream: { host: "127.0.0.1", port: backend.port },
        }),
    });
  });
  afterAll(async () => {
    await nginx?.cleanup();
    await backend?.close();
  });

  test("forwards to the target with Host, X-Real-IP and X-Forwarded-For/Proto/Host", async () => {
    const answer = await httpRequest({
      port: nginx.port,
      path: "/galaxy/api/version?x=1",
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.body) as BackendReport;
    expect(report.backend).toBe("galaxy");
    expect(report.url).toBe("/galaxy/api/version?x=1");
    expect(report.headers.host).toBe(DOMAIN);
    expect(report.headers["x-real-ip"]).toBe("127.0.0.1");
    expect(report.headers["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.1");
    expect(report.headers["x-forwarded-proto"]).toBe("http");
    expect(report.headers["x-forwarded-host"]).toBe(DOMAIN);
    // A plain request must not ask the backend to upgrade.
    expect(report.headers.connection).toBe("close");
    expect(report.headers.upgrade).toBeUndefined();
  });

  test("answers for another Host too, being the only site", async () => {
    const answer = await httpRequest({ port: nginx.port, headers: { host: "149.165.0.10" } });
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as BackendReport).headers.host).toBe("149.165.0.10");
  });

  test("a 20 MB upload arrives intact", async () => {
    const body = randomBytes(20 * 1024 * 1024);
    const answer = await httpRequest({
      port: nginx.port,
      method: "POST",
      path: "/api/tools/fetch",
      headers: { "content-type": "application/octet-stream" },
      body,
    });
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.body) as BackendReport;
    expect(report.method).toBe("POST");
    expect(report.bodyBytes).toBe(body.length);
    expect(report.bodySha256).toBe(createHash("sha256").update(body).digest("hex"));
  });

  test("a WebSocket upgrade works end to end", async () => {
    const key = randomBytes(16).toString("base64");
    const { status, accept, socket, head } = await new Promise<{
      status: number;
      accept: string;
      socket: Socket;
      head: Buffer;
    }>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port: nginx.port,
        path: "/api/events",
        agent: false,
        headers: {
          host: DOMAIN,
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-key": key,
          "sec-websocket-version": "13",
        },
      });
      req.on("upgrade", (response, socket: Socket, head: Buffer) =>
        resolve({
          status: response.statusCode ?? 0,
          accept: String(response.headers["sec-websocket-accept"]),
          socket,
          head,
        }),
      );
      req.on("response", (response) => reject(new Error(`no upgrade: HTTP ${response.statusCode}`)));
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(101);
    expect(accept).toBe(websocketAccept(key));
    const frames: string[] = [];
    let buffered = head;
    const nextFrame = () =>
      new Promise<string>((resolve) => {
        const tryDecode = () => {
          const text = decodeTextFrame(buffered);
          if (text === undefined) return false;
          buffered = Buffer.alloc(0);
          resolve(text);
          return true;
        };
        if (tryDecode()) return;
        const onData = (chunk: Buffer) => {
          buffered = Buffer.concat([buffered, chunk]);
          if (tryDecode()) socket.off("data", onData);
        };
        socket.on("data", onData);
      });
    frames.push(await nextFrame());
    socket.write(encodeTextFrame("ping", true));
    frames.push(await nextFrame());
    socket.destroy();
    expect(frames).toEqual(["hello from galaxy", "galaxy echoes ping"]);
  });
});

describe("offline site in a real nginx", () => {
  let nginx: NginxUnderTest;
  const page = renderOfflinePage({ title: "Galaxy is <offline>", message: "Back soon & then some." });

  beforeAll(async () => {
    nginx = await startNginx({
      site: (listen, pageDir) => renderOfflineSite({ mode: "offline", domain: DOMAIN, listen, pageDir }),
      page,
    });
  });
  afterAll(async () => {
    await nginx?.cleanup();
  });

  test.each([
    ["GET", "/"],
    ["GET", "/galaxy/api/x"],
    ["POST", "/api/tools"],
    ["GET", "/offline.html"],
    ["PUT", "/api/histories/1"],
  ])("%s %s answers the offline page with 503 and Retry-After", async (method, path) => {
    const answer = await httpRequest({
      port: nginx.port,
      method,
      path,
      body: method === "GET" ? undefined : "x=1",
    });
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("3600");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.headers["content-type"]).toBe("text/html");
    expect(answer.body).toBe(page);
  });

  test("HEAD answers 503 with Retry-After", async () => {
    const answer = await httpRequest({ port: nginx.port, method: "HEAD", path: "/anything" });
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("3600");
  });

  test("another Host gets the offline page too", async () => {
    const answer = await httpRequest({ port: nginx.port, headers: { host: "example.org" } });
    expect(answer.status).toBe(503);
    expect(answer.body).toBe(page);
  });
});

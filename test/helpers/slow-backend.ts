/**
 * A stand-in for Galaxy's slow side, behind the proxy: it answers after `?delayMs=N`, reports
 * the moment the first bytes of a request body arrive (to tell a streamed upload from one the
 * proxy buffered), and holds WebSockets that echo each text frame with its own name.
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { connect } from "node:net";
import { decodeTextFrame, encodeTextFrame, websocketAccept } from "../../harness/http-backend";

export interface SlowAnswer {
  backend: string;
  method: string;
  url: string;
  bodyBytes: number;
  bodySha256: string;
}

export interface SlowBackend {
  name: string;
  port: number;
  /** Resolves once the backend holds the first body bytes of a request for `url`. */
  firstBodyBytes(url: string, timeoutMs: number): Promise<number>;
  /** Resolves once a request for `url` has reached the backend (it is in flight from then). */
  arrived(url: string, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

export async function startSlowBackend(name: string): Promise<SlowBackend> {
  const events = new EventEmitter();
  const received = new Map<string, number>();
  function seen(key: string, value: number): void {
    received.set(key, value);
    events.emit(key, value);
  }
  function waitFor(key: string, timeoutMs: number, what: string): Promise<number> {
    const already = received.get(key);
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        events.removeAllListeners(key);
        reject(new Error(`${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      events.once(key, (value: number) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }
  const server = createServer((request, response) => {
    const url = request.url ?? "";
    const delayMs = Number(new URL(url, "http://backend").searchParams.get("delayMs") ?? "0");
    const digest = createHash("sha256");
    let bodyBytes = 0;
    seen(`arrived ${url}`, 0);
    request.on("data", (chunk: Buffer) => {
      if (bodyBytes === 0) seen(`body ${url}`, chunk.length);
      bodyBytes += chunk.length;
      digest.update(chunk);
    });
    request.on("end", () => {
      const answer: SlowAnswer = {
        backend: name,
        method: request.method ?? "",
        url,
        bodyBytes,
        bodySha256: digest.digest("hex"),
      };
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(answer));
      }, delayMs);
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (request, socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    const key = String(request.headers["sec-websocket-key"] ?? "");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${websocketAccept(key)}\r\n\r\n`,
    );
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const text = decodeTextFrame(buffered);
      if (text !== undefined) {
        buffered = Buffer.alloc(0);
        socket.write(encodeTextFrame(`${name} echoes ${text}`, false));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    firstBodyBytes: (url, timeoutMs) =>
      waitFor(`body ${url}`, timeoutMs, `no body bytes of ${url} reached the backend`),
    arrived: (url, timeoutMs) =>
      waitFor(`arrived ${url}`, timeoutMs, `no request for ${url} reached the backend`),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A request whose body the caller writes piece by piece; `answer` settles with the response. */
export function openUpload(options: { port: number; path: string; bytes: number }) {
  const req = httpRequest({
    host: "127.0.0.1",
    port: options.port,
    path: options.path,
    method: "POST",
    agent: false,
    headers: {
      host: "jetstream.lappsgrid.org",
      "content-type": "application/octet-stream",
      "content-length": String(options.bytes),
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    req.on("error", reject);
  });
  answer.catch(() => undefined);
  return {
    answer,
    /** Writes `chunk` and resolves once the socket has taken it. */
    write: (chunk: Buffer) => new Promise<void>((resolve) => req.write(chunk, () => resolve())),
    end: () => req.end(),
    abort: () => req.destroy(),
  };
}

export interface WebSocketClient {
  /** Sends a text frame and resolves with the next text frame received. */
  exchange(text: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the connection closes. */
  closed: Promise<void>;
  close(): void;
}

/** A WebSocket client through the proxy: the upgrade handshake, then short text frames. */
export function openWebSocket(port: number, path = "/api/events"): Promise<WebSocketClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    const waiting: ((text: string) => void)[] = [];
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString();
        buffered = buffered.subarray(end + 4);
        if (!head.startsWith("HTTP/1.1 101")) {
          reject(new Error(`no upgrade: ${head.split("\r\n")[0]}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        resolve({
          exchange(text, timeoutMs = 10000) {
            return new Promise((answered, failed) => {
              const timer = setTimeout(
                () => failed(new Error(`no WebSocket answer to "${text}" in ${timeoutMs} ms`)),
                timeoutMs,
              );
              closed.then(() => failed(new Error(`WebSocket closed before answering "${text}"`)));
              waiting.push((reply) => {
                clearTimeout(timer);
                answered(reply);
              });
              socket.write(encodeTextFrame(text, true));
            });
          },
          closed,
          close: () => socket.destroy(),
        });
      }
      const text = decodeTextFrame(buffered);
      if (text !== undefined) {
        buffered = Buffer.alloc(0);
        waiting.shift()?.(text);
      }
    });
    socket.write(
      [
        `GET ${path} HTTP/1.1`,
        "Host: jetstream.lappsgrid.org",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        "",
        "",
      ].join("\r\n"),
    );
  });
}

/**
 * A stand-in for Galaxy behind the proxy: a Node http server on loopback that reports what it
 * received (headers, body size and digest) and speaks just enough WebSocket for one echo.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface BackendReport {
  backend: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  bodySha256: string;
}

const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export function websocketAccept(key: string): string {
  return createHash("sha1")
    .update(key + WEBSOCKET_GUID)
    .digest("base64");
}

/** One unfragmented text frame of under 126 bytes; clients must mask, servers must not. */
export function encodeTextFrame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  if (payload.length >= 126) throw new Error("test frames stay under 126 bytes");
  const mask = masked ? Buffer.from([0x12, 0x34, 0x56, 0x78]) : Buffer.alloc(0);
  const body = masked ? payload.map((byte, i) => byte ^ mask[i % 4]) : payload;
  return Buffer.concat([Buffer.from([0x81, (masked ? 0x80 : 0) | payload.length]), mask, Buffer.from(body)]);
}

/** Decodes one short text frame from the start of `data`, or undefined when incomplete. */
export function decodeTextFrame(data: Buffer): string | undefined {
  if (data.length < 2) return undefined;
  const masked = (data[1] & 0x80) !== 0;
  const length = data[1] & 0x7f;
  const start = 2 + (masked ? 4 : 0);
  if (data.length < start + length) return undefined;
  const payload = data.subarray(start, start + length);
  if (!masked) return payload.toString();
  const mask = data.subarray(2, 6);
  return Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4])).toString();
}

export interface Backend {
  name: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startBackend(name: string): Promise<Backend> {
  const server = createServer((request, response) => {
    const digest = createHash("sha256");
    let bodyBytes = 0;
    request.on("data", (chunk: Buffer) => {
      bodyBytes += chunk.length;
      digest.update(chunk);
    });
    request.on("end", () => {
      const report: BackendReport = {
        backend: name,
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        bodyBytes,
        bodySha256: digest.digest("hex"),
      };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(report));
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (request, socket: Socket) => {
    sockets.add(socket);
    const key = String(request.headers["sec-websocket-key"] ?? "");
    socket.write(
      [
        "HTTP/1.1 101 Switching Protocols",
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Accept: ${websocketAccept(key)}`,
        "",
        "",
      ].join("\r\n"),
    );
    socket.write(encodeTextFrame(`hello from ${name}`, false));
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const text = decodeTextFrame(buffered);
      if (text !== undefined) {
        buffered = Buffer.alloc(0);
        socket.write(encodeTextFrame(`${name} echoes ${text}`, false));
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

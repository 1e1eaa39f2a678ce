/** One HTTP request to a loopback port, answered as status, headers and body text. */
import { type IncomingHttpHeaders, request } from "node:http";

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function httpRequest(options: {
  port: number;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: options.port,
        path: options.path ?? "/",
        method: options.method ?? "GET",
        agent: false,
        headers: { host: "jetstream.lappsgrid.org", ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** One HTTP (or, given a CA, HTTPS) request to a loopback port, answered as status, headers and body text. */
import { type IncomingHttpHeaders, request } from "node:http";
import { request as httpsRequest } from "node:https";

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
  /** PEM root to trust: the request goes over HTTPS, verified for the Host header's name. */
  ca?: string;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { host: "jetstream.lappsgrid.org", ...options.headers };
    const send = options.ca === undefined ? request : httpsRequest;
    const req = send(
      {
        host: "127.0.0.1",
        port: options.port,
        path: options.path ?? "/",
        method: options.method ?? "GET",
        agent: false,
        headers,
        ...(options.ca === undefined ? {} : { ca: options.ca, servername: headers.host }),
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

/**
 * What the online site promises Galaxy's users, on a real nginx: hour-long requests and silent
 * WebSockets outlive nginx's default 60 s proxy_read_timeout, and an upload streams to the
 * service as it arrives. Each claim is checked beside a control: the same rendered site without
 * the directive that makes it true, which must fail the same check, so the check can fail.
 */
import { createHash } from "node:crypto";
import { renderOnlineSite } from "../../components/proxy/nginx-site";
import { type NginxUnderTest, startNginx } from "../../harness/nginx";
import { httpRequest } from "../helpers/http-request";
import { openUpload, openWebSocket, type SlowBackend, startSlowBackend } from "../helpers/slow-backend";

/** nginx's default proxy_read_timeout is 60 s: the service stays silent a little longer. */
const SILENT_MS = 62000;
const MIB = 1024 * 1024;

let galaxy: SlowBackend;
let ours: NginxUnderTest;
let control: NginxUnderTest;

function site(listen: string): string {
  return renderOnlineSite({
    mode: "online",
    domain: "jetstream.lappsgrid.org",
    listen,
    upstream: { host: "127.0.0.1", port: galaxy.port },
  });
}

/** The rendered site minus the lines setting `directive`, whatever their value. */
function without(text: string, directive: string): string {
  return text
    .split("\n")
    .filter((line) => !line.trim().startsWith(`${directive} `))
    .join("\n");
}

beforeAll(async () => {
  galaxy = await startSlowBackend("galaxy");
  ours = await startNginx({ site });
  control = await startNginx({
    site: (listen) => without(without(site(listen), "proxy_read_timeout"), "proxy_request_buffering"),
  });
});

afterAll(async () => {
  await ours?.cleanup();
  await control?.cleanup();
  await galaxy?.close();
});

test(
  "a request answered after 62 s and a WebSocket silent for 62 s outlive nginx's default 60 s read timeout",
  async () => {
    const socket = await openWebSocket(ours.port);
    const controlSocket = await openWebSocket(control.port);
    expect(await socket.exchange("before")).toBe("galaxy echoes before");
    expect(await controlSocket.exchange("before")).toBe("galaxy echoes before");
    let controlSocketClosedAt = 0;
    const started = Date.now();
    controlSocket.closed.then(() => {
      controlSocketClosedAt = Date.now() - started;
    });

    const [answer, controlAnswer] = await Promise.all([
      httpRequest({ port: ours.port, path: `/api/jobs?delayMs=${SILENT_MS}` }),
      httpRequest({ port: control.port, path: `/api/jobs?delayMs=${SILENT_MS}` }),
    ]);

    expect(controlAnswer.status).toBe(504);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      backend: "galaxy",
      url: `/api/jobs?delayMs=${SILENT_MS}`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(SILENT_MS);
    // The socket through our site stayed open through the silence; the control's was cut at 60 s.
    expect(await socket.exchange("after")).toBe("galaxy echoes after");
    expect(controlSocketClosedAt).toBeGreaterThanOrEqual(59000);
    expect(controlSocketClosedAt).toBeLessThan(SILENT_MS);
    socket.close();
  },
  SILENT_MS + 30000,
);

test("a 32 MiB upload streams: the service holds its first bytes while the client is still sending", async () => {
  const body = Buffer.alloc(32 * MIB);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + 3) % 251;
  const upload = openUpload({ port: ours.port, path: "/api/upload?streamed", bytes: body.length });
  await upload.write(body.subarray(0, MIB));

  const first = await galaxy.firstBodyBytes("/api/upload?streamed", 10000);
  expect(first).toBeGreaterThan(0);
  await upload.write(body.subarray(MIB));
  upload.end();

  const answer = await upload.answer;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({
    backend: "galaxy",
    method: "POST",
    bodyBytes: 33554432,
    bodySha256: createHash("sha256").update(body).digest("hex"),
  });
});

test("control: without proxy_request_buffering off, nginx holds the upload back until its end", async () => {
  const body = Buffer.alloc(4 * MIB, 1);
  const upload = openUpload({ port: control.port, path: "/api/upload?buffered", bytes: body.length });
  await upload.write(body.subarray(0, MIB));
  await expect(galaxy.firstBodyBytes("/api/upload?buffered", 3000)).rejects.toThrow(
    "no body bytes of /api/upload?buffered reached the backend within 3000 ms",
  );
  await upload.write(body.subarray(MIB));
  upload.end();
  expect((await upload.answer).status).toBe(200);
});

/**
 * Let's Encrypt's ACME test server on loopback: Debian's pebble, with pebble-challtestsrv as its
 * DNS server answering 127.0.0.1 for every name (so the proxy's real domain reaches the nginx
 * under test), and HTTP-01 validation sent to that nginx's port. Pebble serves ACME over HTTPS
 * only: its listener certificate comes from a throwaway CA made here with openssl, which certbot
 * trusts through REQUESTS_CA_BUNDLE. Everything lives in a temporary directory.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { freePort, makeTempDir, waitForPort } from "../../harness/nginx";

export interface Pebble {
  dir: string;
  /** The ACME directory URL certbot is given. */
  directory: string;
  /** PEM of the throwaway CA behind pebble's own HTTPS listener. */
  listenerCaFile: string;
  /** The root pebble signs issued certificates with (regenerated on every start). */
  issuingRoot(): Promise<string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: "pipe" });
}

/** A CA and a certificate for 127.0.0.1 signed by it: pebble's HTTPS listener. */
function listenerCertificate(dir: string): { ca: string; cert: string; key: string } {
  const ca = join(dir, "listener-ca.pem");
  const caKey = join(dir, "listener-ca.key");
  const cert = join(dir, "listener.pem");
  const key = join(dir, "listener.key");
  const csr = join(dir, "listener.csr");
  const ext = join(dir, "listener.ext");
  openssl(
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"].concat([
      "-keyout",
      caKey,
      "-out",
      ca,
      "-days",
      "2",
      "-subj",
      "/CN=lappsgrid test listener CA",
    ]),
  );
  openssl(
    ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"].concat([
      "-keyout",
      key,
      "-out",
      csr,
      "-subj",
      "/CN=127.0.0.1",
    ]),
  );
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl(
    [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      ca,
      "-CAkey",
      caKey,
      "-CAcreateserial",
      "-out",
      cert,
      "-days",
      "2",
    ].concat(["-extfile", ext]),
  );
  return { ca, cert, key };
}

/** `httpPort`: where pebble sends HTTP-01 validation requests (the nginx under test). */
export async function startPebble(httpPort: number): Promise<Pebble> {
  const dir = makeTempDir("pebble");
  const listener = listenerCertificate(dir);
  const [acmePort, managementPort, dnsPort, dnsManagementPort, tlsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const config = join(dir, "pebble-config.json");
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: listener.cert,
        privateKey: listener.key,
        httpPort,
        tlsPort,
        ocspResponderURL: "",
        externalAccountBindingRequired: false,
      },
    }),
  );
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  const run = (command: string, args: string[], env: Record<string, string>) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    children.push(child);
  };
  const stopAll = async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await gone;
    }
  };
  const pebble: Pebble = {
    dir,
    directory: `https://127.0.0.1:${acmePort}/dir`,
    listenerCaFile: listener.ca,
    issuingRoot: () =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port: managementPort, path: "/roots/0", ca: readFileSync(listener.ca) },
          (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => {
              body += chunk.toString();
            });
            response.on("end", () => resolve(body));
          },
        );
        req.on("error", reject);
        req.end();
      }),
    async start() {
      // Every name resolves to 127.0.0.1 and nothing else (no AAAA), as the domain's DNS would
      // point at the proxy's floating IP.
      run(
        "pebble-challtestsrv",
        [
          "-dns01",
          `127.0.0.1:${dnsPort}`,
          "-http01",
          "",
          "-https01",
          "",
          "-tlsalpn01",
          "",
          "-management",
          `127.0.0.1:${dnsManagementPort}`,
          "-defaultIPv4",
          "127.0.0.1",
          "-defaultIPv6",
          "",
        ],
        {},
      );
      run("pebble", ["-config", config, "-dnsserver", `127.0.0.1:${dnsPort}`, "-strict=false"], {
        PEBBLE_VA_NOSLEEP: "1",
        PEBBLE_WFE_NONCEREJECT: "0",
        PEBBLE_AUTHZREUSE: "0",
      });
      try {
        // Pebble makes its CA's keys at start: seconds on a loaded two-core machine.
        await waitForPort(acmePort, 60000);
        await waitForPort(managementPort, 60000);
      } catch (error) {
        await stopAll();
        throw new Error(`pebble did not start: ${String(error)}\n${logs.join("")}`);
      }
    },
    stop: stopAll,
    async cleanup() {
      await stopAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await pebble.start();
  return pebble;
}

/**
 * The proxy's forwarding that cannot work, and its messages: `proxy-config` forwarding to the
 * socket nginx listens on, proxy ports of services that do not speak HTTP.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forwardsToItself } from "../../cli/proxy/upstream-loop";
import { copyProject, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";
const LOOP_ALLOWED = "the site would forward to itself; allowed: the service's HOST:PORT, another port";

/** `proxy-config --stack iu --mode online --listen LISTEN --upstream UPSTREAM` into a new folder. */
function proxyConfig(listen: string, upstream: string) {
  const out = join(mkdtempSync(join(tmpdir(), "upstream-")), "site");
  const result = runVerb([
    "proxy-config",
    "--stack",
    "iu",
    "--dir",
    copyProject(),
    "--out",
    out,
    "--mode",
    "online",
    "--listen",
    listen,
    "--upstream",
    upstream,
  ]);
  return { code: result.code, stderr: result.stderr, wrote: existsSync(out) };
}

describe("proxy-config refuses an upstream that is the socket nginx listens on", () => {
  test.each([
    [
      "10.0.0.12:8080",
      "10.0.0.12:8080",
      "10.0.0.12:8080 is the address nginx listens on (--listen 10.0.0.12:8080)",
    ],
    [
      "127.0.0.1:8090",
      "localhost:8090",
      "localhost:8090 is the address nginx listens on (--listen 127.0.0.1:8090)",
    ],
    [
      "8080",
      "127.0.0.1:8080",
      "127.0.0.1:8080 is on this machine, where nginx listens on port 8080 of every address (--listen 8080)",
    ],
    [
      "0.0.0.0:8080",
      "localhost:8080",
      "localhost:8080 is on this machine, where nginx listens on port 8080 of every address (--listen 0.0.0.0:8080)",
    ],
  ])("--listen %s --upstream %s is refused and nothing is written", (listen, upstream, why) => {
    expect(proxyConfig(listen, upstream)).toEqual({
      code: 1,
      stderr: `jetstream: --upstream: ${why}: ${LOOP_ALLOWED}\n`,
      wrote: false,
    });
  });

  test.each([
    ["127.0.0.1:8090", "127.0.0.2:8090"],
    ["127.0.0.2:8090", "localhost:8090"],
    ["10.0.0.12:8080", "10.0.0.13:8080"],
    ["10.0.0.12:8080", "10.0.0.12:8081"],
  ])("--listen %s --upstream %s, another socket, is accepted", (listen, upstream) => {
    expect(proxyConfig(listen, upstream)).toEqual({ code: 0, stderr: "", wrote: true });
  });

  test("with nginx on every address, an upstream on one of this machine's addresses and that port is a loop", () => {
    expect(forwardsToItself("8080", { host: "192.0.2.2", port: 8080 }, ["127.0.0.1", "192.0.2.2"])).toBe(
      "192.0.2.2:8080 is on this machine, where nginx listens on port 8080 of every address (--listen 8080)",
    );
    expect(
      forwardsToItself("8080", { host: "192.0.2.3", port: 8080 }, ["127.0.0.1", "192.0.2.2"]),
    ).toBeUndefined();
    expect(
      forwardsToItself("8080", { host: "192.0.2.2", port: 8081 }, ["127.0.0.1", "192.0.2.2"]),
    ).toBeUndefined();
  });
});

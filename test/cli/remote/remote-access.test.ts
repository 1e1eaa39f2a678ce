/**
 * Where `ssh`, `visit` and `forget` go: addresses from the live outputs or --address, the login
 * user from the image, the proxy host as jump host; `forget` against a real known_hosts with the
 * real ssh-keygen; `visit` opening a browser only where there is one.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runForget } from "../../../cli/remote/forget";
import { loginUser } from "../../../cli/remote/login-user";
import { parseAddress, planRoute, type RouteRequest } from "../../../cli/remote/route";
import { openUrl, parsePortPath, visitUrl } from "../../../cli/remote/visit";
import { validateStackConfig } from "../../../config";
import { copyProject, runVerb } from "../support";

const config = validateStackConfig(
  {
    images: { docker: "Featured-Ubuntu22-Docker", master: "lappsgrid-master" },
    instances: {
      proxy: { role: "proxy", ip: "149.165.157.82", image: "ubuntu" },
      galaxy: { image: "docker" },
      rocky: { image: "centos" },
      master: { image: "master", ip: "assign" },
    },
    proxy: { target: "galaxy" },
  },
  "iu",
);
const route = (request: Partial<RouteRequest>) =>
  planRoute({ stack: "iu", name: "galaxy", config, ...request });

describe("the login user comes from the image", () => {
  test.each([
    ["Featured-Ubuntu24", "ubuntu"],
    ["Featured-Ubuntu22-Docker", "ubuntu"],
    ["Featured-RockyLinux9", "rocky"],
    ["CentOS-7", "centos"],
    ["Featured-AlmaLinux9", "almalinux"],
    ["debian-12", "debian"],
    ["lappsgrid-master", "ubuntu"],
  ])("%s logs in as %s", (image, user) => {
    expect(loginUser(image)).toBe(user);
  });
});

describe("the route to an instance", () => {
  test("a public address from the live outputs is reached directly", () => {
    expect(
      route({
        name: "master",
        live: { "lappsgrid-master": { publicIp: "149.165.170.9", privateIp: "10.0.0.9" } },
      }),
    ).toEqual({ instance: "lappsgrid-master", target: { host: "149.165.170.9", port: 22, user: "ubuntu" } });
  });

  test("a private address only goes through the proxy host's live public address", () => {
    expect(
      route({
        name: "rocky",
        live: {
          "lappsgrid-rocky": { privateIp: "10.0.0.14" },
          "lappsgrid-proxy": { publicIp: "149.165.157.82" },
        },
      }),
    ).toEqual({
      instance: "lappsgrid-rocky",
      target: { host: "10.0.0.14", port: 22, user: "rocky" },
      jump: { host: "149.165.157.82", port: 22, user: "ubuntu" },
      jumpName: "lappsgrid-proxy",
    });
  });

  test("--address in the stack's subnet jumps through the proxy host's adopted address", () => {
    expect(route({ address: "10.0.0.12" })).toEqual({
      instance: "lappsgrid-galaxy",
      target: { host: "10.0.0.12", port: 22, user: "ubuntu" },
      jump: { host: "149.165.157.82", port: 22, user: "ubuntu" },
      jumpName: "lappsgrid-proxy",
    });
  });

  test("--address outside the subnet goes directly; --user and USER@ choose the user", () => {
    expect(route({ address: "admin@149.165.170.9:2222" })).toEqual({
      instance: "lappsgrid-galaxy",
      target: { host: "149.165.170.9", port: 2222, user: "admin" },
    });
    expect(route({ address: "admin@149.165.170.9", user: "root" }).target.user).toBe("root");
  });

  test("a private instance in a stack with no reachable proxy host says to give --jump", () => {
    const noProxy = validateStackConfig({ instances: { galaxy: {} } }, "tacc");
    expect(() =>
      planRoute({
        stack: "tacc",
        name: "galaxy",
        config: noProxy,
        live: { "lappsgrid-galaxy": { privateIp: "10.0.0.5" } },
      }),
    ).toThrow(
      "lappsgrid-galaxy has only a private address and the stack has no proxy host with a public one to jump through; give the jump host with --jump HOST[:PORT]",
    );
  });

  test.each([
    [
      "an instance not in the stack",
      { name: "nope" },
      'NAME: no instance "nope" in stack iu; allowed: galaxy, master, proxy, rocky',
    ],
    [
      "an address with a space",
      { address: "10.0.0.1 x" },
      '--address: "10.0.0.1 x" is not an address; allowed: [USER@]HOST[:PORT] (an IPv4 address or a host name, port 1-65535)',
    ],
    [
      "a port out of range",
      { address: "10.0.0.1:70000" },
      '--address: "10.0.0.1:70000" is not an address; allowed: [USER@]HOST[:PORT] (an IPv4 address or a host name, port 1-65535)',
    ],
    [
      "a jump host with a bad port",
      { address: "10.0.0.12", jump: "149.165.157.82:0" },
      '--jump: "149.165.157.82:0" is not an address; allowed: [USER@]HOST[:PORT] (an IPv4 address or a host name, port 1-65535)',
    ],
  ])("%s is refused naming the argument", (_, request, message) => {
    expect(() => route(request)).toThrow(message);
  });

  test("parseAddress keeps the user, host and port apart", () => {
    expect(parseAddress("rocky@galaxy.example.org:2200", "--address")).toEqual({
      user: "rocky",
      host: "galaxy.example.org",
      port: 2200,
    });
  });
});

describe("jetstream visit", () => {
  let project: string;
  beforeAll(() => {
    project = copyProject();
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test.each([
    [undefined, { path: "/" }],
    ["8080", { port: 8080, path: "/" }],
    ["8080/galaxy/", { port: 8080, path: "/galaxy/" }],
    ["/api/version", { path: "/api/version" }],
  ])("PORT/PATH %s", (value, expected) => {
    expect(parsePortPath(value)).toEqual(expected);
  });

  test.each(["galaxy", "80:80", "99999/x", "8080/a b"])(
    "PORT/PATH %s is refused naming what is allowed",
    (value) => {
      expect(() => parsePortPath(value)).toThrow(
        `PORT/PATH: ${JSON.stringify(value)} is not a port and path; allowed: 8080, 8080/some/path or /some/path`,
      );
    },
  );

  const outputs = (instances: Record<string, unknown>) => async () => ({ instances });

  test("the URL uses the live public address, port and path", async () => {
    const url = await visitUrl(
      "galaxy",
      "8080/galaxy",
      { dir: project, stack: "iu" },
      outputs({ "lappsgrid-galaxy": { publicIp: "149.165.170.20" } }),
    );
    expect(url).toEqual({ url: "http://149.165.170.20:8080/galaxy", warnings: [] });
  });

  test("the proxy's online target without a public address is visited at the proxy's domain", async () => {
    const url = await visitUrl(
      "galaxy",
      "/api",
      { dir: project, stack: "iu" },
      outputs({ "lappsgrid-galaxy": {} }),
    );
    expect(url).toEqual({ url: "http://jetstream.lappsgrid.org/api", warnings: [] });
  });

  test("another instance without a public address is refused, naming ssh and --address", async () => {
    await expect(
      visitUrl("proxy", undefined, { dir: project, stack: "iu" }, outputs({ "lappsgrid-proxy": {} })),
    ).rejects.toThrow(
      "lappsgrid-proxy has no public address, and the proxy does not forward to it; log in with `jetstream ssh proxy`, or give an address with --address HOST",
    );
  });

  test.each([
    ["149.165.170.20:8080", "a port"],
    ["ubuntu@149.165.170.20", "a user"],
  ])("visit --address %s is refused: it would drop %s", async (address) => {
    await expect(
      visitUrl("galaxy", undefined, { dir: project, stack: "iu", address }, outputs({})),
    ).rejects.toThrow(
      `--address: ${JSON.stringify(address)} is not a host for visit; allowed: an IPv4 address or host name, with the port in PORT/PATH (8080/galaxy)`,
    );
  });

  test("visit --address HOST with PORT/PATH", async () => {
    expect(
      await visitUrl(
        "galaxy",
        "8080/galaxy",
        { dir: project, stack: "iu", address: "149.165.170.20" },
        outputs({}),
      ),
    ).toEqual({ url: "http://149.165.170.20:8080/galaxy", warnings: [] });
  });

  test("visit of a name neither the stack file nor its outputs have says so, not 'no public address'", async () => {
    await expect(
      visitUrl("galxy", undefined, { dir: project, stack: "iu" }, outputs({ "lappsgrid-galaxy": {} })),
    ).rejects.toThrow(
      'NAME: no instance "galxy" in stack iu (nor in its outputs); allowed: lappsgrid-galaxy, lappsgrid-proxy, or an address with --address HOST',
    );
  });

  test("a browser is opened only with xdg-open on PATH and a display", async () => {
    const bin = mkdtempSync(join(tmpdir(), "jetstream-xdg-"));
    const record = join(bin, "opened");
    writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$1" > "${record}"\n`);
    chmodSync(join(bin, "xdg-open"), 0o755);
    try {
      expect(openUrl("http://149.165.170.20:8080/", { PATH: bin })).toBe("http://149.165.170.20:8080/\n");
      expect(openUrl("http://149.165.170.20:8080/", { PATH: "/nonexistent", DISPLAY: ":0" })).toBe(
        "http://149.165.170.20:8080/\n",
      );
      expect(existsSync(record)).toBe(false);
      expect(openUrl("http://149.165.170.20:8080/", { PATH: bin, DISPLAY: ":0" })).toBe(
        "http://149.165.170.20:8080/\n(opened with xdg-open)\n",
      );
      for (let i = 0; i < 100 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(record, "utf8")).toBe("http://149.165.170.20:8080/\n");
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe("jetstream forget", () => {
  let project: string;
  let knownHosts: string;
  const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2QzNy1vU3dMm0Z1p1kq4iSb8xQmKp0V3l8m5p1bX7Y";
  beforeEach(() => {
    project = copyProject();
    knownHosts = join(project, "known_hosts");
    writeFileSync(
      knownHosts,
      [
        `149.165.170.20 ${KEY}`,
        `10.0.0.12 ${KEY}`,
        `[127.0.0.1]:2222 ${KEY}`,
        `149.165.157.82 ${KEY}`,
        "",
      ].join("\n"),
    );
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  test("removes the instance's live public and private addresses from the project's known_hosts", async () => {
    const report = await runForget("galaxy", { dir: project, stack: "iu" }, async () => ({
      instances: { "lappsgrid-galaxy": { publicIp: "149.165.170.20", privateIp: "10.0.0.12" } },
    }));
    expect(report).toEqual({
      report: `forgot 149.165.170.20 (lappsgrid-galaxy) in ${knownHosts}\nforgot 10.0.0.12 (lappsgrid-galaxy) in ${knownHosts}\n`,
      warnings: [],
    });
    expect(readFileSync(knownHosts, "utf8")).toBe(`[127.0.0.1]:2222 ${KEY}\n149.165.157.82 ${KEY}\n`);
  });

  test("the proxy host's adopted address from the stack file is forgotten too", async () => {
    const report = await runForget("proxy", { dir: project, stack: "iu" }, async () => ({ instances: {} }));
    expect(report).toEqual({
      report: `forgot 149.165.157.82 (lappsgrid-proxy) in ${knownHosts}\n`,
      warnings: [],
    });
  });

  test("--address forgets the given addresses (with a port as ssh records it) without reading outputs", async () => {
    const report = await runForget(
      "galaxy",
      { dir: project, stack: "iu", address: ["127.0.0.1:2222", "10.9.9.9"] },
      async () => {
        throw new Error("outputs must not be read");
      },
    );
    expect(report).toEqual({
      report: `forgot [127.0.0.1]:2222 (lappsgrid-galaxy) in ${knownHosts}\n10.9.9.9 (lappsgrid-galaxy) was not in ${knownHosts}\n`,
      warnings: [],
    });
  });

  test("an instance without any address is refused naming --address", async () => {
    await expect(
      runForget("galaxy", { dir: project, stack: "iu" }, async () => ({
        instances: { "lappsgrid-galaxy": {} },
      })),
    ).rejects.toThrow(
      "lappsgrid-galaxy has no address in the stack's outputs or file; give the ones to forget with --address HOST[:PORT]",
    );
  });

  test("the CLI runs forget as a verb and prints what it removed", () => {
    const run = runVerb(["forget", "galaxy", "--stack", "iu", "--address", "149.165.170.20"], {
      cwd: project,
    });
    expect(run).toEqual({
      code: 0,
      stdout: `forgot 149.165.170.20 (lappsgrid-galaxy) in ${knownHosts}\n`,
      stderr: "",
    });
  });
});

test("ssh, visit and forget are verbs of the CLI", () => {
  const help = runVerb(["--help"]);
  expect(help.stdout).toContain("ssh [options] <name> [command...]");
  expect(help.stdout).toContain("visit [options] <name> [port/path]");
  expect(help.stdout).toContain("forget [options] <name>");
});

test("the README's table of the old script's commands has no row left without a verb", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
  const oldCommands = readme.split("\n").filter((line) => line.startsWith("| `jetstream "));
  expect(oldCommands.filter((line) => line.includes("not carried over"))).toEqual([]);
  for (const verb of ["ssh", "visit", "forget"]) {
    const row = oldCommands.find((line) => line.startsWith(`| \`jetstream ${verb} NAME`)) ?? "";
    expect(row.split("|")[2].trim()).toMatch(new RegExp(`^\`jetstream ${verb} NAME`));
  }
});

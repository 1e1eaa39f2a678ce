/**
 * proxy / online / offline as functions: the exact proxy lines they write, their summaries,
 * warnings and refusals, in this process (the verb tests run the CLI outside jest; these
 * are what the mutation score of switch.ts stands on).
 */
import { setProxyMode, switchProxy } from "../../../cli/proxy/switch";
import type { OtherStack } from "../../../cli/stack-file/other-stacks";
import { stackText, VerbRefusal } from "../../../cli/stack-file/text";
import { LAB_HEAD } from "../../helpers/lab-stack";
import { hubWithProxy } from "../../helpers/other-stack";

const INSTANCES = [
  ...LAB_HEAD,
  "    galaxy:",
  "      size: large",
  "    web:",
  "      state: shelved",
  "    db:",
  "      state: stopped",
];

/** A proxy host, its target galaxy (active), web (shelved), db (stopped); then the proxy block's lines. */
function lab(...proxy: string[]): string {
  return [...INSTANCES, "  lappsgrid-jetstream:proxy:", ...proxy, ""].join("\n");
}

const ONLINE = lab(
  "    domain: lab.example.org",
  "    mode: online",
  "    target: lappsgrid-galaxy",
  "    port: 8080",
);

/** Another stack with a proxy of its own, an active instance (app) and a stopped one (batch). */
function hub(): OtherStack {
  return hubWithProxy(["    mode: offline"], ["    app: {}", "    batch:", "      state: stopped"]);
}

function refused(edit: () => unknown): string {
  try {
    edit();
  } catch (error) {
    expect(error).toBeInstanceOf(VerbRefusal);
    return (error as VerbRefusal).message;
  }
  throw new Error("expected the proxy edit to be refused");
}

const proxy = (text: string, target: string, port?: string, others: OtherStack[] = []) =>
  switchProxy(stackText("lab", text), target, port, others);
const mode = (text: string, wanted: "online" | "offline", others: OtherStack[] = []) =>
  setProxyMode(stackText("lab", text), wanted, others);

describe("proxy TARGET [PORT] changes the target and port lines", () => {
  test("an instance of this stack by its short name is written under its full name", () => {
    const offline = ONLINE.replace("mode: online", "mode: offline");
    expect(proxy(offline, "web")).toMatchObject({
      text: offline.replace("    target: lappsgrid-galaxy\n", "    target: lappsgrid-web\n"),
      summary: "proxy: target lappsgrid-galaxy -> lappsgrid-web",
    });
  });

  test("the current target by its short name with another PORT changes only the port line", () => {
    expect(proxy(ONLINE, "galaxy", "8081")).toEqual({
      text: ONLINE.replace("    port: 8080\n", "    port: 8081\n"),
      summary: "proxy: port 8080 -> 8081",
      warnings: [],
    });
  });

  test("an address and a port: both lines change, the port written as a number", () => {
    expect(proxy(ONLINE, "10.0.0.99", "8081")).toEqual({
      text: ONLINE.replace(
        "    target: lappsgrid-galaxy\n    port: 8080\n",
        "    target: 10.0.0.99\n    port: 8081\n",
      ),
      summary: "proxy: target lappsgrid-galaxy -> 10.0.0.99, port 8080 -> 8081",
      warnings: [],
    });
  });

  test("no PORT sets a port written earlier back to 8080", () => {
    const text = ONLINE.replace("    port: 8080\n", "    port: 9000\n");
    expect(proxy(text, "lappsgrid-galaxy")).toEqual({
      text: ONLINE,
      summary: "proxy: port 9000 -> 8080",
      warnings: [],
    });
  });

  test("no PORT and no port line: no port line is added", () => {
    const text = ONLINE.replace("    port: 8080\n", "");
    expect(proxy(text, "tacc/worker").text).toBe(text.replace("lappsgrid-galaxy", "tacc/worker"));
  });

  test("a PORT where the file has no port line adds one after the block's last key", () => {
    const text = ONLINE.replace("    port: 8080\n", "");
    expect(proxy(text, "galaxy", "8081")).toEqual({
      text: `${text}    port: 8081\n`,
      summary: "proxy: port (default) -> 8081",
      warnings: [],
    });
  });

  test.each(["80a", "a80", "0", "65536"])(
    "a PORT %s that is not a port is refused as the argument, as written",
    (port) => {
      expect(refused(() => proxy(ONLINE, "galaxy", port))).toBe(
        `proxy PORT: ${/^\d+$/.test(port) ? port : `"${port}"`} is not a port; allowed: an integer from 1 to 65535`,
      );
    },
  );

  test("a proxy block without a target gets one", () => {
    const text = lab("    domain: lab.example.org", "    mode: offline");
    expect(proxy(text, "lappsgrid-web")).toEqual({
      text: `${text}    target: lappsgrid-web\n`,
      summary: "proxy: target (none) -> lappsgrid-web",
      warnings: [],
    });
  });

  test("a name that is no instance here is written as typed", () => {
    expect(proxy(ONLINE, "backend").summary).toBe("proxy: target lappsgrid-galaxy -> backend");
  });

  test.each([
    ["galaxy", undefined],
    ["lappsgrid-galaxy", "8080"],
  ])("the current target (%s, port %s) changes nothing", (target, port) => {
    expect(proxy(ONLINE, target, port)).toEqual({
      text: ONLINE,
      summary: "proxy already points at lappsgrid-galaxy; nothing to change",
    });
  });
});

test("the current target written as a folded block (`>-`) is left as written", () => {
  const text = ONLINE.replace("    target: lappsgrid-galaxy\n", "    target: >-\n      lappsgrid-galaxy\n");
  expect(proxy(text, "galaxy")).toEqual({
    text,
    summary: "proxy already points at lappsgrid-galaxy; nothing to change",
  });
  expect(proxy(text, "10.0.0.99").text).toBe(ONLINE.replace("lappsgrid-galaxy", "10.0.0.99"));
});

describe("proxy refuses a server of this stack that is down, and warns for another stack's", () => {
  test.each([
    [
      "web",
      "proxy: lappsgrid-web is shelved and proxy.mode is online: the site would forward to a server that is down; first resume it (`jetstream resume web --stack lab`, then `pulumi up`), then run `jetstream proxy lappsgrid-web --stack lab`",
    ],
    [
      "lappsgrid-db",
      "proxy: lappsgrid-db is stopped and proxy.mode is online: the site would forward to a server that is down; first start it (`jetstream start db --stack lab`, then `pulumi up`), then run `jetstream proxy lappsgrid-db --stack lab`",
    ],
  ])("%s of this stack", (target, refusal) => {
    expect(refused(() => proxy(ONLINE, target))).toBe(refusal);
  });

  test("another stack's stopped instance, named with its stack", () => {
    expect(proxy(ONLINE, "hub/batch", undefined, [hub()]).warnings).toEqual([
      "hub/lappsgrid-batch is stopped: lab.example.org fails until it runs again (`jetstream start lappsgrid-batch --stack hub`)",
    ]);
  });

  test("a proxy block without mode: the default, online", () => {
    expect(refused(() => proxy(lab("    target: lappsgrid-galaxy"), "web"))).toBe(
      "proxy: lappsgrid-web is shelved and proxy.mode is online: the site would forward to a server that is down; first resume it (`jetstream resume web --stack lab`, then `pulumi up`), then run `jetstream proxy lappsgrid-web --stack lab`",
    );
  });

  test.each([
    ["a running instance of another stack", ONLINE, "hub/app"],
    ["an instance of a stack not known", ONLINE, "other/batch"],
    ["an address", ONLINE, "10.0.0.99"],
    ["a shelved instance while the proxy is offline", ONLINE.replace("mode: online", "mode: offline"), "web"],
  ])("none for %s", (_case, text, target) => {
    expect(proxy(text, target, undefined, [hub()]).warnings).toEqual([]);
  });
});

describe("proxy refuses, naming the argument and what is allowed", () => {
  test("an empty TARGET", () => {
    expect(refused(() => proxy(ONLINE, ""))).toBe(
      "proxy TARGET: an empty value (an unset shell variable?); allowed: an instance, <stack>/<instance>, or another host's address or name",
    );
  });

  test("an empty PORT", () => {
    expect(refused(() => proxy(ONLINE, "galaxy", ""))).toBe(
      "proxy PORT: an empty value (an unset shell variable?); allowed: an integer from 1 to 65535",
    );
  });

  const WITHOUT_PROXY = `${INSTANCES.join("\n")}\n`;

  test.each([
    ["no proxy block", WITHOUT_PROXY],
    ["an empty proxy key", `${WITHOUT_PROXY}  lappsgrid-jetstream:proxy:\n`],
    ["a proxy key holding text", `${WITHOUT_PROXY}  lappsgrid-jetstream:proxy: galaxy\n`],
  ])("a stack file with %s, no other stack holding one", (_case, text) => {
    const others: OtherStack[] = [{ stack: "broken", fileName: "Pulumi.broken.yaml" }];
    const message =
      "Pulumi.lab.yaml has no proxy (no lappsgrid-jetstream:proxy block), and no other stack has one; allowed: add a lappsgrid-jetstream:proxy block to the stack whose instance has role: proxy";
    expect(refused(() => proxy(text, "galaxy", undefined, others))).toBe(message);
    expect(refused(() => mode(text, "offline", others))).toBe(message);
  });

  test("a stack file without a proxy block names the stacks that have one", () => {
    const others = [hub(), { ...hub(), stack: "hub2", fileName: "Pulumi.hub2.yaml" }];
    expect(refused(() => proxy(WITHOUT_PROXY, "galaxy", undefined, others))).toBe(
      "Pulumi.lab.yaml has no proxy (no lappsgrid-jetstream:proxy block); the public proxy lives in stack hub, hub2: pass --stack hub or --stack hub2",
    );
  });
});

describe("online and offline change the mode line", () => {
  test("offline", () => {
    expect(mode(ONLINE, "offline")).toEqual({
      text: ONLINE.replace("mode: online", "mode: offline"),
      summary: "proxy: mode online -> offline",
      warnings: [],
    });
  });

  test("online to a shelved target is refused, advising to resume it first", () => {
    const text = ONLINE.replace("mode: online", "mode: offline").replace("lappsgrid-galaxy", "lappsgrid-web");
    expect(refused(() => mode(text, "online"))).toBe(
      "online: proxy.target lappsgrid-web is shelved: the site would forward to a server that is down; first resume it (`jetstream resume web --stack lab`, then `pulumi up`), then run `jetstream online --stack lab`",
    );
  });

  test("offline where no mode is written adds the line: the default is online", () => {
    const text = lab("    domain: lab.example.org", "    target: lappsgrid-galaxy");
    expect(mode(text, "offline")).toEqual({
      text: `${text}    mode: offline\n`,
      summary: "proxy: mode online -> offline",
      warnings: [],
    });
  });

  test.each([
    ["online", ONLINE],
    ["online", lab("    domain: lab.example.org", "    target: lappsgrid-galaxy")],
    ["offline", ONLINE.replace("mode: online", "mode: offline")],
  ] as const)("%s when it already is changes nothing", (wanted, text) => {
    expect(mode(text, wanted)).toEqual({
      text,
      summary: `proxy is already ${wanted}; nothing to change`,
      warnings: [],
    });
  });

  test("online without a target: no warning to give (the config check asks for a target)", () => {
    const text = lab("    domain: lab.example.org", "    mode: offline");
    expect(mode(text, "online").warnings).toEqual([]);
  });
});

/**
 * suspend / resume / stop / start as a function: the exact text, summary and warnings, in this
 * process (the verb tests run the CLI outside jest; these are what the mutation score of
 * set-state.ts stands on).
 */
import { LIFECYCLE_STATE, setInstanceState } from "../../../cli/lifecycle/set-state";
import type { OtherStack } from "../../../cli/stack-file/other-stacks";
import { stackText, VerbRefusal } from "../../../cli/stack-file/text";
import { LAB_HEAD } from "../../helpers/lab-stack";
import { hubWithProxy } from "../../helpers/other-stack";

/** A proxy host, the proxy's target (galaxy), an instance on an address of its own (web), a worker. */
function lab(proxy: string[]): string {
  return [
    ...LAB_HEAD,
    "    galaxy:",
    "      size: large",
    "      state: active",
    "    web:",
    "      ip: 149.165.9.10",
    "    worker:",
    "      state: shelved",
    "  lappsgrid-jetstream:proxy:",
    "    domain: lab.example.org",
    ...proxy,
    "",
  ].join("\n");
}

const ONLINE = lab(["    mode: online", "    target: lappsgrid-galaxy"]);
const OFFLINE = lab(["    mode: offline", "    target: lappsgrid-galaxy"]);
const ONLINE_TO_WEB_ADDRESS = lab(["    mode: online", "    target: 149.165.9.10"]);

const hub = hubWithProxy;

function stateOf(
  text: string,
  name: string,
  state: "active" | "stopped" | "shelved",
  others: OtherStack[] = [],
) {
  return setInstanceState(stackText("lab", text), name, state, others);
}

function refusal(text: string, name: string, state: "active" | "stopped" | "shelved"): string {
  try {
    stateOf(text, name, state);
  } catch (error) {
    expect(error).toBeInstanceOf(VerbRefusal);
    return (error as VerbRefusal).message;
  }
  throw new Error("expected the state change to be refused");
}

const SITE_FAILS =
  "the site fails until it is active again; `jetstream offline --stack hub` shows the offline page meanwhile";

test("suspend shelves, stop stops, resume and start make active", () => {
  expect(LIFECYCLE_STATE).toEqual({ suspend: "shelved", resume: "active", stop: "stopped", start: "active" });
});

describe("the state line of one instance", () => {
  test("an existing state: line gets the new value, nothing else changes", () => {
    expect(stateOf(OFFLINE, "galaxy", "shelved")).toEqual({
      text: OFFLINE.replace("      state: active\n", "      state: shelved\n"),
      summary: "galaxy: state active -> shelved",
      warnings: [],
    });
  });

  test("a missing state: line is added after the instance's last key", () => {
    expect(stateOf(OFFLINE, "lappsgrid-web", "stopped")).toEqual({
      text: OFFLINE.replace("      ip: 149.165.9.10\n", "      ip: 149.165.9.10\n      state: stopped\n"),
      summary: "web: state active -> stopped",
      warnings: [],
    });
  });

  test("active is written over an existing state: line, not removed", () => {
    expect(stateOf(OFFLINE, "worker", "active")).toEqual({
      text: OFFLINE.replace("      state: shelved\n", "      state: active\n"),
      summary: "worker: state shelved -> active",
      warnings: [],
    });
  });

  test.each([
    ["web", "active", "web is already active; nothing to change"],
    ["galaxy", "active", "galaxy is already active; nothing to change"],
    ["worker", "shelved", "worker is already shelved; nothing to change"],
  ] as const)("%s made %s again changes nothing", (name, state, summary) => {
    expect(stateOf(OFFLINE, name, state)).toEqual({ text: OFFLINE, summary });
  });

  test("stop of a shelved instance is refused with the two steps that work", () => {
    expect(refusal(OFFLINE, "worker", "stopped")).toBe(
      "worker is shelved, and nova refuses to stop a shelved server (409 \"Cannot 'stop' instance ... while it is in vm_state shelved_offloaded\"); take two steps: `jetstream resume worker --stack lab` and `pulumi up`, then `jetstream stop worker --stack lab` and `pulumi up`",
    );
  });

  test("an unknown instance is refused with the known ones", () => {
    expect(refusal(OFFLINE, "db", "shelved")).toBe(
      'no instance "db" in Pulumi.lab.yaml; known instances: lappsgrid-galaxy, lappsgrid-proxy, lappsgrid-web, lappsgrid-worker',
    );
  });
});

describe("warnings when the public site goes down with the instance", () => {
  test.each(["shelved", "stopped"] as const)("the online proxy host made %s", (state) => {
    expect(stateOf(ONLINE, "proxy", state).warnings).toEqual([
      "proxy is the proxy host: lab.example.org is down until it is active again",
    ]);
  });

  test("the online proxy target made shelved", () => {
    expect(stateOf(ONLINE, "galaxy", "shelved").warnings).toEqual([
      "galaxy is the proxy target: lab.example.org fails until it is active again; `jetstream offline --stack lab` shows the offline page meanwhile",
    ]);
  });

  test("the instance whose ip: is the online proxy's target made stopped", () => {
    expect(stateOf(ONLINE_TO_WEB_ADDRESS, "web", "stopped").warnings).toEqual([
      "web is the proxy target (proxy.target 149.165.9.10, its ip:): lab.example.org fails until it is active again; `jetstream offline --stack lab` shows the offline page meanwhile",
    ]);
  });

  test.each([
    ["the proxy is offline", OFFLINE, "galaxy", "shelved"],
    ["the proxy host of an offline proxy", OFFLINE, "proxy", "stopped"],
    ["another instance than the target", ONLINE, "web", "shelved"],
    [
      "the target made active",
      ONLINE_TO_WEB_ADDRESS.replace(
        "      ip: 149.165.9.10\n",
        "      ip: 149.165.9.10\n      state: stopped\n",
      ),
      "web",
      "active",
    ],
  ] as const)("none when %s", (_case, text, name, state) => {
    expect(stateOf(text, name, state).warnings).toEqual([]);
  });

  test("none when the stack has no proxy", () => {
    const text = lab([])
      .replace("  lappsgrid-jetstream:proxy:\n    domain: lab.example.org\n", "")
      .replace("      role: proxy\n", "");
    expect(stateOf(text, "galaxy", "shelved").warnings).toEqual([]);
  });
});

describe("warnings about another stack's proxy", () => {
  test("an online proxy there serving lab/web", () => {
    const others = [hub(["    mode: online", "    target: lab/web"])];
    expect(stateOf(OFFLINE, "web", "shelved", others).warnings).toEqual([
      `web is the proxy target of hub.example.org (Pulumi.hub.yaml: proxy.target lab/lappsgrid-web): ${SITE_FAILS}`,
    ]);
  });

  test("an online proxy there whose target is web's ip:", () => {
    const others = [hub(["    mode: online", "    target: 149.165.9.10"])];
    expect(stateOf(OFFLINE, "web", "stopped", others).warnings).toEqual([
      `web is the proxy target of hub.example.org (Pulumi.hub.yaml: proxy.target 149.165.9.10, its ip:): ${SITE_FAILS}`,
    ]);
  });

  test("a stack file that cannot be read might be such a proxy", () => {
    const others: OtherStack[] = [{ stack: "broken", fileName: "Pulumi.broken.yaml" }];
    expect(stateOf(OFFLINE, "web", "shelved", others).warnings).toEqual([
      "Pulumi.broken.yaml is not valid as it is, so whether its proxy serves lab/lappsgrid-web cannot be checked (`jetstream plan --stack broken`)",
    ]);
  });

  test.each([
    ["offline there", ["    mode: offline", "    target: lab/web"], "web", "shelved"],
    ["serving another instance", ["    mode: online", "    target: lab/galaxy"], "web", "shelved"],
    [
      "serving worker, which is made active",
      ["    mode: online", "    target: lab/worker"],
      "worker",
      "active",
    ],
  ] as const)("none when its proxy is %s", (_case, proxy, name, state) => {
    expect(stateOf(OFFLINE, name, state, [hub([...proxy])]).warnings).toEqual([]);
  });

  test("warnings of this stack come before those of other stacks", () => {
    const others = [hub(["    mode: online", "    target: lab/galaxy"])];
    expect(stateOf(ONLINE, "galaxy", "stopped", others).warnings).toEqual([
      "galaxy is the proxy target: lab.example.org fails until it is active again; `jetstream offline --stack lab` shows the offline page meanwhile",
      `galaxy is the proxy target of hub.example.org (Pulumi.hub.yaml: proxy.target lab/lappsgrid-galaxy): ${SITE_FAILS}`,
    ]);
  });
});

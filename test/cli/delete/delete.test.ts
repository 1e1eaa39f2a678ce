/**
 * delete as a function: the exact text it leaves and the exact refusals, in this process (the
 * verb tests run the CLI outside jest; these are what the mutation score of delete.ts
 * stands on).
 */
import { deleteInstance } from "../../../cli/delete/delete";
import type { OtherStack } from "../../../cli/stack-file/other-stacks";
import { stackText, VerbRefusal } from "../../../cli/stack-file/text";
import { LAB_HEAD } from "../../helpers/lab-stack";
import { hubWithProxy } from "../../helpers/other-stack";

const INSTANCES = [...LAB_HEAD, "    galaxy:", "      size: large", "    web:", "      ip: 149.165.9.10"];

/** A proxy host, the proxy's usual target (galaxy), an instance on an address of its own (web). */
function lab(proxy: string[]): string {
  return [...INSTANCES, "  lappsgrid-jetstream:proxy:", "    domain: lab.example.org", ...proxy, ""].join(
    "\n",
  );
}

const WITHOUT_WEB = (text: string) => text.replace("    web:\n      ip: 149.165.9.10\n", "");
const WITHOUT_GALAXY = (text: string) => text.replace("    galaxy:\n      size: large\n", "");

const hub = hubWithProxy;

function refusal(text: string, name: string, others: OtherStack[] = []): string {
  try {
    deleteInstance(stackText("lab", text), name, others);
  } catch (error) {
    expect(error).toBeInstanceOf(VerbRefusal);
    return (error as VerbRefusal).message;
  }
  throw new Error("expected delete to refuse");
}

describe("delete removes the instance's entry", () => {
  test("an instance nothing points at: only its lines go", () => {
    const text = lab(["    mode: online", "    target: lappsgrid-galaxy"]);
    expect(deleteInstance(stackText("lab", text), "lappsgrid-web")).toEqual({
      text: WITHOUT_WEB(text),
      summary: "web: deleted",
    });
  });

  test("the target of an offline proxy: proxy.target goes with it, and the summary says so", () => {
    const text = lab(["    mode: offline", "    target: lappsgrid-galaxy", "    port: 8081"]);
    expect(deleteInstance(stackText("lab", text), "galaxy")).toEqual({
      text: WITHOUT_GALAXY(text).replace("    target: lappsgrid-galaxy\n", ""),
      summary:
        "galaxy: deleted; proxy.target (lappsgrid-galaxy) removed, set a new one with `jetstream proxy TARGET` before going online",
    });
  });

  test("the instance whose ip: an offline proxy targets: the address stays valid, the target stays", () => {
    const text = lab(["    mode: offline", "    target: 149.165.9.10"]);
    expect(deleteInstance(stackText("lab", text), "web")).toEqual({
      text: WITHOUT_WEB(text),
      summary: "web: deleted",
    });
  });

  test.each([
    ["offline there", ["    mode: offline", "    target: 149.165.9.10"]],
    ["serving another instance", ["    mode: online", "    target: lab/galaxy"]],
    ["targeting another address", ["    mode: online", "    target: 149.165.9.11"]],
  ])("another stack's proxy %s does not hold it", (_case, proxy) => {
    const text = lab(["    mode: offline", "    target: lappsgrid-galaxy"]);
    expect(deleteInstance(stackText("lab", text), "web", [hub(proxy)]).text).toBe(WITHOUT_WEB(text));
  });

  test("another stack without a proxy does not hold it", () => {
    const text = lab(["    mode: offline", "    target: lappsgrid-galaxy"]);
    const noProxy = hub(["    mode: offline"]);
    const others = [{ ...noProxy, config: noProxy.config && { ...noProxy.config, proxy: undefined } }];
    expect(deleteInstance(stackText("lab", text), "web", others).text).toBe(WITHOUT_WEB(text));
  });
});

describe("delete refuses what would take a site down", () => {
  test("the proxy host, naming the domain it serves", () => {
    expect(refusal(lab(["    mode: offline"]), "proxy")).toBe(
      "refusing to delete lappsgrid-proxy: it is the proxy host (role: proxy) that serves lab.example.org; retiring it is a hand-made, reviewed change (move role: proxy first)",
    );
  });

  test("the proxy host of a stack with no proxy block yet", () => {
    expect(refusal(`${INSTANCES.join("\n")}\n`, "lappsgrid-proxy")).toBe(
      "refusing to delete lappsgrid-proxy: it is the proxy host (role: proxy) that serves the public site; retiring it is a hand-made, reviewed change (move role: proxy first)",
    );
  });

  test("the online proxy's target, with what to run first", () => {
    expect(refusal(lab(["    mode: online", "    target: lappsgrid-galaxy"]), "galaxy")).toBe(
      "refusing to delete lappsgrid-galaxy: it is the proxy target of lab.example.org while the proxy is online; first run `jetstream offline --stack lab` or `jetstream proxy OTHER --stack lab`",
    );
  });

  test("the instance whose ip: the online proxy targets", () => {
    expect(refusal(lab(["    mode: online", "    target: 149.165.9.10"]), "web")).toBe(
      "refusing to delete lappsgrid-web: it is the proxy target of lab.example.org (proxy.target 149.165.9.10, its ip:) while the proxy is online; first run `jetstream offline --stack lab` or `jetstream proxy OTHER --stack lab`",
    );
  });

  const OFFLINE = lab(["    mode: offline", "    target: lappsgrid-galaxy"]);

  test("an instance another stack's online proxy serves as lab/NAME", () => {
    expect(refusal(OFFLINE, "web", [hub(["    mode: online", "    target: lab/web"])])).toBe(
      "refusing to delete lappsgrid-web: it is the proxy target of hub.example.org (Pulumi.hub.yaml: proxy.target lab/lappsgrid-web) while the proxy is online; first run `jetstream proxy OTHER --stack hub`",
    );
  });

  test("an instance another stack's offline proxy names as lab/NAME: that stack would not evaluate", () => {
    expect(refusal(OFFLINE, "web", [hub(["    mode: offline", "    target: lab/web"])])).toBe(
      "refusing to delete lappsgrid-web: it is the proxy target of hub.example.org (Pulumi.hub.yaml: proxy.target lab/lappsgrid-web, offline); stack hub would fail without it; first run `jetstream proxy OTHER --stack hub`",
    );
  });

  test("the instance whose ip: another stack's online proxy targets", () => {
    expect(refusal(OFFLINE, "web", [hub(["    mode: online", "    target: 149.165.9.10"])])).toBe(
      "refusing to delete lappsgrid-web: it is the proxy target of hub.example.org (Pulumi.hub.yaml: proxy.target 149.165.9.10, its ip:) while the proxy is online; first run `jetstream proxy OTHER --stack hub`",
    );
  });

  test("any instance while another stack's file cannot be read", () => {
    expect(refusal(OFFLINE, "web", [{ stack: "broken", fileName: "Pulumi.broken.yaml" }])).toBe(
      "refusing to delete lappsgrid-web: Pulumi.broken.yaml is not valid as it is, so whether its proxy serves lab/lappsgrid-web cannot be checked; fix it first (`jetstream plan --stack broken`)",
    );
  });

  test("an unknown instance, listing the known ones", () => {
    expect(refusal(OFFLINE, "db")).toBe(
      'no instance "db" in Pulumi.lab.yaml; known instances: lappsgrid-galaxy, lappsgrid-proxy, lappsgrid-web',
    );
  });
});

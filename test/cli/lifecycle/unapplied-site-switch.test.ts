/**
 * The site's applied target going down in the same `pulumi up` that switches the site away
 * from it, for the ways a target is written: an instance, or the instance's own public address
 * (the same address -> instance rule as the other guards). test/cli/lifecycle/unapplied-change.test.ts
 * has the target written as an instance's name.
 */
import { deleteInstance } from "../../../cli/delete/delete";
import { LIFECYCLE_STATE, setInstanceState } from "../../../cli/lifecycle/set-state";
import { setProxyMode } from "../../../cli/proxy/switch";
import { runStackEdit } from "../../../cli/stack-file/edit-flow";
import type { StackEdit, StackText } from "../../../cli/stack-file/text";
import { projectWithUncommittedChange } from "../../helpers/git-project";
import { LAB_HEAD } from "../../helpers/lab-stack";
import { read } from "../support";

/** Stack lab with galaxy on its own public address, the site's proxy lines as given. */
function site(proxy: string[]): string {
  return [
    ...LAB_HEAD,
    "    galaxy:",
    "      size: large",
    "      ip: 149.165.9.20",
    "    web:",
    "      size: small",
    ...proxy,
    "",
  ].join("\n");
}

const PROXY = ["  lappsgrid-jetstream:proxy:", "    domain: lab.example.org"];
const ONLINE_AT_GALAXY = site([...PROXY, "    mode: online", "    target: 149.165.9.20"]);

async function refusal(dir: string, verb: (file: StackText) => StackEdit): Promise<string> {
  try {
    await runStackEdit({ stack: "lab", dir }, verb, {
      evaluate: null,
      write: () => undefined,
      warn: () => undefined,
    });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the edit to be refused");
}

const FIX =
  "  fix: apply the change since HEAD first (`pulumi up --stack lab`, or merge it and let the pipeline apply it), then run this verb again";

describe("a site target written as the instance's public address", () => {
  test("suspend of the instance after an uncommitted offline is refused", async () => {
    const offline = site([...PROXY, "    mode: offline", "    target: 149.165.9.20"]);
    const dir = projectWithUncommittedChange("lab", ONLINE_AT_GALAXY, offline);
    expect(await refusal(dir, (file) => setInstanceState(file, "galaxy", LIFECYCLE_STATE.suspend, []))).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (galaxy: state active -> shelved) together with the change since HEAD, not committed yet (proxy.mode online -> offline), and nothing in one `pulumi up` orders the two:",
        "  error: instances.galaxy: shelved while the site switches away from it: nothing orders the power change after the switch, so lab.example.org may forward to a server that is down",
        FIX,
      ].join("\n"),
    );
    expect(read(dir, "Pulumi.lab.yaml")).toBe(offline);
  });

  test("delete of the instance after an uncommitted switch to another address is refused", async () => {
    const elsewhere = site([...PROXY, "    mode: online", "    target: 10.0.0.12"]);
    const dir = projectWithUncommittedChange("lab", ONLINE_AT_GALAXY, elsewhere);
    expect(await refusal(dir, (file) => deleteInstance(file, "galaxy", []))).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (galaxy: deleted) together with the change since HEAD, not committed yet (proxy.target 149.165.9.20 -> 10.0.0.12), and nothing in one `pulumi up` orders the two:",
        "  error: instances.galaxy: deleted while the site switches away from it: nothing orders the deletion after the switch, so lab.example.org may forward to a server that is gone",
        FIX,
      ].join("\n"),
    );
    expect(read(dir, "Pulumi.lab.yaml")).toBe(elsewhere);
  });
});

describe("a verb the file's own problem names as its fix, after a hand-made shelve of the online target", () => {
  const online = site([...PROXY, "    mode: online", "    target: galaxy"]);
  const shelvedByHand = online.replace(
    "      ip: 149.165.9.20\n",
    "      ip: 149.165.9.20\n      state: shelved\n",
  );

  test("offline is refused with the steps in their order: the shelve back out, the switch applied, then the shelve", async () => {
    const dir = projectWithUncommittedChange("lab", online, shelvedByHand);
    expect(await refusal(dir, (file) => setProxyMode(file, "offline"))).toBe(
      [
        "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (proxy: mode online -> offline) together with the change since HEAD, not committed yet (galaxy: state active -> shelved), and nothing in one `pulumi up` orders the two:",
        "  error: instances.galaxy: shelved while the site switches away from it: nothing orders the power change after the switch, so lab.example.org may forward to a server that is down",
        "  fix: take the change since HEAD back out (`git diff Pulumi.lab.yaml` shows it), run this verb and `pulumi up --stack lab`, then `jetstream suspend lappsgrid-galaxy`",
      ].join("\n"),
    );
    expect(read(dir, "Pulumi.lab.yaml")).toBe(shelvedByHand);
  });

  test("resume goes ahead: it makes the file valid again", async () => {
    const dir = projectWithUncommittedChange("lab", online, shelvedByHand);
    await runStackEdit({ stack: "lab", dir }, (file) => setInstanceState(file, "galaxy", "active", []), {
      evaluate: null,
      write: () => undefined,
      warn: () => undefined,
    });
    expect(read(dir, "Pulumi.lab.yaml")).toBe(shelvedByHand.replace("state: shelved", "state: active"));
  });

  test("an edit that leaves the file not valid is still refused as before: the file's problem first", async () => {
    const dir = projectWithUncommittedChange("lab", online, shelvedByHand);
    expect(await refusal(dir, (file) => setInstanceState(file, "web", "stopped", []))).toBe(
      'Pulumi.lab.yaml is not valid as it is; fix it first (`jetstream plan --stack lab`):\n  instances.galaxy.state: "shelved" is not allowed while proxy.target is galaxy and proxy.mode is online: the site would forward to a server that is down; allowed: active (`jetstream resume galaxy`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)',
    );
  });
});

test("suspend of the target after an uncommitted removal of the proxy block names the site change as no proxy block", async () => {
  const online = site([...PROXY, "    mode: online", "    target: galaxy"]);
  const noProxy = site([]);
  const dir = projectWithUncommittedChange("lab", online, noProxy);
  expect(await refusal(dir, (file) => setInstanceState(file, "galaxy", LIFECYCLE_STATE.suspend, []))).toBe(
    [
      "Pulumi.lab.yaml left unchanged: `pulumi up` applies this edit (galaxy: state active -> shelved) together with the change since HEAD, not committed yet (proxy online -> (no proxy block)), and nothing in one `pulumi up` orders the two:",
      "  error: instances.galaxy: shelved while the site switches away from it: nothing orders the power change after the switch, so lab.example.org may forward to a server that is down",
      FIX,
    ].join("\n"),
  );
  expect(read(dir, "Pulumi.lab.yaml")).toBe(noProxy);
});

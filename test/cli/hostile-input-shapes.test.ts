/**
 * The verbs against YAML shapes a splice cannot edit in place: an instance written as an alias
 * of another's settings, a flow map (`{...}`) of instances or proxy settings, a merge key. Each
 * is refused naming the key as the operator wrote it, never with an internal detail, and the
 * file stays byte-identical.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyProject, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

/** A copy of the project whose `file` has `from` replaced by `to` (once; `from` must be there). */
function projectWith(file: string, from: string, to: string): { dir: string; text: string } {
  const original = shipped(file);
  if (!original.includes(from)) throw new Error(`test setup: ${JSON.stringify(from)} is not in ${file}`);
  const text = original.replace(from, to);
  const dir = copyProject();
  writeFileSync(join(dir, file), text);
  return { dir, text };
}

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";
const GALAXY_STATE = "      state: active\n";

describe("an instance written as an alias of settings that carry a state", () => {
  const aliasOfB =
    "jetstream: Pulumi.iu.yaml: instances.lappsgrid-b: written as the alias *base; left unchanged; allowed: write the value itself there, then run the verb again\n";
  const anchorOfA =
    "jetstream: Pulumi.iu.yaml: instances.lappsgrid-a: carries the anchor &base, which *base uses elsewhere in the file; left unchanged (the edit would change those values too); allowed: write the value itself where *base is, then run the verb again\n";
  test.each([
    [
      "flow style",
      "    lappsgrid-a: &base {size: small, state: &up active}\n    lappsgrid-b: *base\n",
      "suspend",
      "b",
      aliasOfB,
    ],
    [
      "block style",
      "    lappsgrid-a: &base\n      size: small\n      state: active\n    lappsgrid-b: *base\n",
      "suspend",
      "b",
      aliasOfB,
    ],
    [
      "block style, stop",
      "    lappsgrid-a: &base\n      size: small\n      state: active\n    lappsgrid-b: *base\n",
      "stop",
      "b",
      aliasOfB,
    ],
    // The state line is a's own, but b shares the whole map: both would be shelved.
    [
      "block style, the anchored one",
      "    lappsgrid-a: &base\n      size: small\n      state: active\n    lappsgrid-b: *base\n",
      "suspend",
      "a",
      anchorOfA,
    ],
    [
      "flow style, the anchored one",
      "    lappsgrid-a: &base {size: small, state: active}\n    lappsgrid-b: *base\n",
      "stop",
      "a",
      anchorOfA,
    ],
  ])("%s: %s %s", (_, instances, verb, name, stderr) => {
    const { dir, text } = projectWith(IU, GALAXY_STATE, GALAXY_STATE + instances);
    expect(runVerb([verb, name, "--stack", "iu", "--dir", dir])).toEqual({ code: 1, stdout: "", stderr });
    expect(read(dir, IU)).toBe(text);
  });
});

describe("instances or proxy settings written as a flow map: every editing verb says to write a block map", () => {
  const taccInstances = (flow: string) =>
    projectWith(
      TACC,
      "  lappsgrid-jetstream:instances:\n    # A LAPPS service worker; shelve it with `jetstream suspend worker` when idle.\n    lappsgrid-worker:\n      size: medium\n      image: docker\n      ip: assign\n",
      `  lappsgrid-jetstream:instances: ${flow}\n`,
    );
  const flowInstances =
    "jetstream: Pulumi.tacc.yaml: instances: written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again\n";
  const flowWorker =
    "jetstream: Pulumi.tacc.yaml: instances.lappsgrid-worker: written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again\n";
  test.each([
    ["delete worker", "{lappsgrid-worker: {size: small}}", flowInstances],
    // The splice would take the whole `instances:` line, and with it the other instance.
    ["delete worker", "{lappsgrid-worker: {size: small}, lappsgrid-other: {size: tiny}}", flowInstances],
    ["launch x", "{lappsgrid-worker: {size: small}}", flowInstances],
    ["suspend worker", "{lappsgrid-worker: {size: small}}", flowInstances],
    ["stop worker", "{lappsgrid-worker: {size: small}}", flowInstances],
    // The instances block as a block map, the instance's settings alone in flow style.
    ["suspend worker", "\n    lappsgrid-worker: {size: small}", flowWorker],
  ])("%s with instances %s", (argv, flow, stderr) => {
    const { dir, text } = taccInstances(flow);
    expect(runVerb([...argv.split(" "), "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr,
    });
    expect(read(dir, TACC)).toBe(text);
  });

  test("proxy adding a target to a flow-map proxy block", () => {
    const { dir, text } = projectWith(
      IU,
      "  lappsgrid-jetstream:proxy:\n    domain: jetstream.lappsgrid.org\n    mode: online\n    target: lappsgrid-galaxy\n    port: 8080\n",
      "  lappsgrid-jetstream:proxy: {domain: jetstream.lappsgrid.org, mode: offline}\n",
    );
    expect(runVerb(["proxy", "galaxy", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml: proxy: written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again\n",
    });
    expect(read(dir, IU)).toBe(text);
  });
});

describe("the whole config written as a flow map", () => {
  test.each([
    ["config: {lappsgrid-jetstream:cloud: TACC, lappsgrid-jetstream:keypair: {name: k}}\n"],
    // `{}` would become a block under a key inside a flow map: YAML that does not parse.
    [
      "config: {lappsgrid-jetstream:cloud: TACC, lappsgrid-jetstream:keypair: {name: k}, lappsgrid-jetstream:instances: {}}\n",
    ],
  ])("launch into %p", (text) => {
    const dir = copyProject();
    writeFileSync(join(dir, TACC), text);
    expect(runVerb(["launch", "x", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml: config: written as a flow map ({...}); left unchanged; allowed: a block map (one key per line), then run the verb again\n",
    });
    expect(read(dir, TACC)).toBe(text);
  });
});

describe("a flow map whose value changes in place", () => {
  test("offline on a flow-map proxy block changes its mode alone", () => {
    const { dir, text } = projectWith(
      IU,
      "  lappsgrid-jetstream:proxy:\n    domain: jetstream.lappsgrid.org\n    mode: online\n    target: lappsgrid-galaxy\n    port: 8080\n",
      "  lappsgrid-jetstream:proxy: {domain: jetstream.lappsgrid.org, mode: online, target: lappsgrid-galaxy, port: 8080}\n",
    );
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(read(dir, IU)).toBe(
      text.replace(
        "{domain: jetstream.lappsgrid.org, mode: online,",
        "{domain: jetstream.lappsgrid.org, mode: offline,",
      ),
    );
  });
});

describe("a YAML merge key inside an instance", () => {
  test.each([
    ["suspend", "b"],
    ["launch", "x"],
  ])("%s %s says to write the values out", (verb, name) => {
    const { dir, text } = projectWith(
      IU,
      GALAXY_STATE,
      `${GALAXY_STATE}    lappsgrid-a: &base\n      size: small\n    lappsgrid-b:\n      <<: *base\n      ip: assign\n`,
    );
    expect(runVerb([verb, name, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml is not valid as it is; fix it first (`jetstream plan --stack iu`):\n  instances.lappsgrid-b.<<: a YAML merge key (<<: *base) copies settings from elsewhere, which the verbs cannot edit in place; allowed: the settings written out in this map (replace the << line with the keys it brings)\n",
    });
    expect(read(dir, IU)).toBe(text);
  });
});

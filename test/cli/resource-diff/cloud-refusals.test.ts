/**
 * What Jetstream2 refuses, found in the offline diff: create-first replacements that collide
 * with what they replace, and power-state transitions the provider cannot make. Evaluations
 * are built here with and without `deleteBeforeReplace`, so each rule stands on its own.
 */

import type { Evaluation, PlannedResource } from "../../../cli/offline/evaluation";
import { diffEvaluations } from "../../../cli/resource-diff/compare";
import { formatDiff } from "../../../cli/resource-diff/format";
import { resourceIn } from "../../helpers/planned-resource";

const SERVER = "openstack:compute/instance:Instance";
const RULE = "openstack:networking/secGroupRule:SecGroupRule";
const ASSOCIATION = "openstack:networking/floatingIpAssociate:FloatingIpAssociate";
const KEYPAIR = "openstack:compute/keypair:Keypair";

const resource = resourceIn("iu");

function evaluation(resources: PlannedResource[], outputs: Record<string, unknown> = {}): Evaluation {
  return { stack: "iu", resources, outputs, mockValues: [] };
}

const GALAXY = { name: "lappsgrid-galaxy", networks: [{ port: "port-1" }], flavorName: "m3.medium" };
const RULE_HTTP = {
  direction: "ingress",
  ethertype: "IPv4",
  protocol: "tcp",
  portRangeMin: 80,
  portRangeMax: 80,
  remoteIpPrefix: "0.0.0.0/0",
  securityGroupId: "sg-1",
  description: "http",
};

function refusalsOf(before: PlannedResource[], after: PlannedResource[], outputs = {}) {
  return diffEvaluations(evaluation(before), evaluation(after, outputs)).refusals;
}

describe("create-before-delete replacements the cloud refuses", () => {
  test("a server replaced on its own port without deleteBeforeReplace: 409 port still in use", () => {
    expect(
      refusalsOf(
        [resource("lappsgrid-galaxy-server", SERVER, { ...GALAXY, userData: "a" })],
        [resource("lappsgrid-galaxy-server", SERVER, { ...GALAXY, userData: "b" })],
      ),
    ).toEqual([
      {
        severity: "error",
        resource: "lappsgrid-galaxy-server",
        type: SERVER,
        message:
          'the new server boots on port port-1 while the old server still holds it: nova answers 409 "Port ... is still in use"; set deleteBeforeReplace: true on lappsgrid-galaxy-server so the old one is deleted first',
      },
    ]);
  });

  test("the port is named by its resource, not by the ID the mock cloud made up", () => {
    const port = resource("lappsgrid-galaxy-port", "openstack:networking/port:Port", {}, { id: "9d1e-mock" });
    const server = (userData: string) =>
      resource("lappsgrid-galaxy-server", SERVER, { ...GALAXY, networks: [{ port: "9d1e-mock" }], userData });
    const [refusal] = diffEvaluations(
      { ...evaluation([port, server("a")]), mockValues: ["9d1e-mock"] },
      { ...evaluation([port, server("b")]), mockValues: ["9d1e-mock"] },
    ).refusals;
    expect(refusal.message).toMatch(
      /^the new server boots on port lappsgrid-galaxy-port while the old server/,
    );
  });

  test("a server replaced with deleteBeforeReplace: true is no refusal", () => {
    const options = { deleteBeforeReplace: true };
    expect(
      refusalsOf(
        [resource("lappsgrid-galaxy-server", SERVER, { ...GALAXY, keyPair: "a" }, options)],
        [resource("lappsgrid-galaxy-server", SERVER, { ...GALAXY, keyPair: "b" }, options)],
      ),
    ).toEqual([]);
  });

  test("a server replaced onto another port is no refusal: nothing holds the new port", () => {
    expect(
      refusalsOf(
        [resource("s", SERVER, { ...GALAXY, networks: [{ port: "port-1" }] })],
        [resource("s", SERVER, { ...GALAXY, networks: [{ port: "port-2" }] })],
      ),
    ).toEqual([]);
  });

  test("a rule replaced for its description only: 409 SecurityGroupRuleExists", () => {
    expect(
      refusalsOf(
        [resource("lappsgrid-http", RULE, RULE_HTTP)],
        [resource("lappsgrid-http", RULE, { ...RULE_HTTP, description: "web" })],
      ),
    ).toEqual([
      {
        severity: "error",
        resource: "lappsgrid-http",
        type: RULE,
        message:
          'the new rule equals the old one but for description: neutron answers 409 SecurityGroupRuleExists "Security group rule already exists"; set deleteBeforeReplace: true on lappsgrid-http so the old one is deleted first',
      },
    ]);
  });

  test.each([
    ["another source range", { remoteIpPrefix: "10.0.0.0/24" }, {}],
    ["deleteBeforeReplace: true", { description: "web" }, { deleteBeforeReplace: true }],
  ])("a rule replaced with %s is no refusal", (_case, change, options) => {
    expect(
      refusalsOf(
        [resource("lappsgrid-http", RULE, RULE_HTTP, options)],
        [resource("lappsgrid-http", RULE, { ...RULE_HTTP, ...change }, options)],
      ),
    ).toEqual([]);
  });

  test("a new floating IP associated with the same port: 409 FloatingIPPortAlreadyAssociated", () => {
    expect(
      refusalsOf(
        [resource("proxy-ip", ASSOCIATION, { floatingIp: "149.165.1.1", portId: "port-9" })],
        [resource("proxy-ip", ASSOCIATION, { floatingIp: "149.165.1.2", portId: "port-9" })],
      ),
    ).toEqual([
      {
        severity: "error",
        resource: "proxy-ip",
        type: ASSOCIATION,
        message:
          "a second floating IP is associated with the same port before the old association is removed: neutron answers 409 FloatingIPPortAlreadyAssociated; set deleteBeforeReplace: true on proxy-ip so the old one is deleted first",
      },
    ]);
    const options = { deleteBeforeReplace: true };
    expect(
      refusalsOf(
        [resource("proxy-ip", ASSOCIATION, { floatingIp: "149.165.1.1", portId: "port-9" }, options)],
        [resource("proxy-ip", ASSOCIATION, { floatingIp: "149.165.1.2", portId: "port-9" }, options)],
      ),
    ).toEqual([]);
  });

  test("a keypair replaced under the same name: 409 key pair already exists", () => {
    const before = { name: "lappsgrid-shared-key", publicKey: "ssh-ed25519 AAAA1" };
    const after = { name: "lappsgrid-shared-key", publicKey: "ssh-ed25519 AAAA2" };
    expect(refusalsOf([resource("kp", KEYPAIR, before)], [resource("kp", KEYPAIR, after)])).toEqual([
      {
        severity: "error",
        resource: "kp",
        type: KEYPAIR,
        message:
          "the new keypair has the old one's name: nova answers 409 \"Key pair 'lappsgrid-shared-key' already exists\"; set deleteBeforeReplace: true on kp so the old one is deleted first",
      },
    ]);
    const options = { deleteBeforeReplace: true };
    expect(
      refusalsOf([resource("kp", KEYPAIR, before, options)], [resource("kp", KEYPAIR, after, options)]),
    ).toEqual([]);
  });
});

describe("power-state transitions the provider cannot make", () => {
  const server = (inputs: Record<string, unknown>) =>
    resource("lappsgrid-galaxy-server", SERVER, { ...GALAXY, ...inputs }, { deleteBeforeReplace: true });

  test("shelved -> stopped is refused with the two-step path", () => {
    expect(
      refusalsOf([server({ powerState: "shelved_offloaded" })], [server({ powerState: "shutoff" })]),
    ).toEqual([
      {
        severity: "error",
        resource: "lappsgrid-galaxy-server",
        type: SERVER,
        message:
          "nova refuses to stop a shelved server (409 \"Cannot 'stop' instance ... while it is in vm_state shelved_offloaded\"): take two steps, `jetstream resume lappsgrid-galaxy` and `pulumi up`, then `jetstream stop lappsgrid-galaxy` and `pulumi up`",
        problem:
          "nova refuses to stop a shelved server (409 \"Cannot 'stop' instance ... while it is in vm_state shelved_offloaded\")",
      },
    ]);
  });

  test("a size change of a server that stays shelved is refused (provider issue #1749)", () => {
    expect(
      refusalsOf(
        [server({ powerState: "shelved_offloaded" })],
        [server({ powerState: "shelved_offloaded", flavorName: "m3.large" })],
      ).map((refusal) => refusal.message),
    ).toEqual([
      "flavorName cannot change while the server is shelved (nova 409 \"Cannot 'resize' / 'update metadata' instance ... while it is in vm_state shelved_offloaded\", provider issue #1749): resume lappsgrid-galaxy in the same change (state: active, the provider unshelves before it resizes), then shelve it again with a second `pulumi up`",
    ]);
  });

  test("shelving and resizing in one up is refused: the provider shelves first", () => {
    expect(
      refusalsOf(
        [server({ powerState: "active", metadata: { "lappsgrid-size": "medium" } })],
        [
          server({
            powerState: "shelved_offloaded",
            flavorName: "m3.large",
            metadata: { "lappsgrid-size": "large" },
          }),
        ],
      ).map((refusal) => refusal.message),
    ).toEqual([
      'the provider shelves lappsgrid-galaxy before it changes flavorName, metadata, and nova refuses that on a shelved server (409 "... while it is in vm_state shelved_offloaded", provider issue #1749): take two steps, change the size first and `pulumi up`, then `jetstream suspend lappsgrid-galaxy` and `pulumi up`',
    ]);
  });

  test.each([
    ["shelved -> active with a resize", "shelved_offloaded", "active", { flavorName: "m3.large" }],
    ["stopped -> shelved", "shutoff", "shelved_offloaded", {}],
    ["active -> stopped", "active", "shutoff", {}],
    ["shelved -> active", "shelved_offloaded", "active", {}],
    ["stopped with a resize", "shutoff", "shutoff", { flavorName: "m3.large" }],
  ])("%s is no refusal", (_case, before, after, change) => {
    expect(refusalsOf([server({ powerState: before })], [server({ powerState: after, ...change })])).toEqual(
      [],
    );
  });

  test("a new shelved server boots active: a warning with the SU it really costs until a second up", () => {
    const outputs = { instances: { "lappsgrid-galaxy": { suPerHour: 0, suPerHourWhenActive: 8 } } };
    expect(refusalsOf([], [server({ powerState: "shelved_offloaded" })], outputs)).toEqual([
      {
        severity: "warning",
        resource: "lappsgrid-galaxy-server",
        type: SERVER,
        message:
          "state shelved is not applied when a server is created (the provider applies only shutoff at create): lappsgrid-galaxy boots ACTIVE and costs 8 SU/hour (active, not 0) until a second `pulumi up` shelves it; run `pulumi up` again right after this one",
      },
    ]);
  });

  test("an adopted shelved server is not created: no warning", () => {
    const adopted = { ...server({ powerState: "shelved_offloaded" }), importId: "9f1c" };
    expect(refusalsOf([], [adopted])).toEqual([]);
  });
});

describe("refusals in the printed diff", () => {
  const before = [resource("lappsgrid-http", RULE, RULE_HTTP)];
  const after = [resource("lappsgrid-http", RULE, { ...RULE_HTTP, description: "web" })];
  const diff = () => diffEvaluations(evaluation(before), evaluation(after));

  test("text lists each refusal as an error and says pulumi up would fail", () => {
    expect(formatDiff(diff(), "text").split("\n").slice(1)).toEqual([
      "  +- replace lappsgrid-http  openstack:networking/secGroupRule:SecGroupRule",
      '        description: "http" -> "web"  (forces replacement)',
      'error: lappsgrid-http (openstack:networking/secGroupRule:SecGroupRule): the new rule equals the old one but for description: neutron answers 409 SecurityGroupRuleExists "Security group rule already exists"; set deleteBeforeReplace: true on lappsgrid-http so the old one is deleted first',
      "!! pulumi up would fail: 1 change(s) the cloud refuses (errors above); fix them first.",
      "",
    ]);
  });

  test("markdown shows the refusals in a caution block", () => {
    const text = formatDiff(diff(), "markdown");
    expect(text).toContain(
      '> [!CAUTION]\n> `pulumi up` would fail: 1 change(s) the cloud refuses.\n> - **error** `lappsgrid-http`: the new rule equals the old one but for description: neutron answers 409 SecurityGroupRuleExists "Security group rule already exists"; set deleteBeforeReplace: true on lappsgrid-http so the old one is deleted first\n',
    );
  });

  test("json carries the refusals", () => {
    const json = JSON.parse(formatDiff(diff(), "json")) as { refusals: unknown[] };
    expect(json.refusals).toHaveLength(1);
  });
});

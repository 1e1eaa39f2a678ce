/**
 * A subnet must hold a port for every instance besides what OpenStack takes from it: the
 * network and broadcast addresses, the router's gateway and one DHCP port. A smaller one is
 * accepted by the plan and fails on `pulumi up` with the last server that gets no address.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { problemsIn } from "../helpers/config";
import { copyProject, read, runVerb } from "./support";

jest.setTimeout(60_000);

const problems = (values: Record<string, unknown>) => problemsIn(values);

const instances = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`worker${i + 1}`, { size: "tiny" }]));

describe("network.cidr holds every instance's port", () => {
  test("a /30 with three instances and the proxy host is refused with the count needed and available", () => {
    expect(
      problems({
        network: { cidr: "10.0.0.0/30" },
        instances: { ...instances(3), proxy: { role: "proxy", ip: "assign" } },
      }),
    ).toEqual([
      "network.cidr: 10.0.0.0/30 leaves 2 addresses for ports (4 in all, less the network and broadcast addresses), and this stack needs 6: 4 instances, the router's gateway and one DHCP port; allowed: a prefix of /29 or shorter",
    ]);
  });

  test.each([
    [
      "10.0.0.0/29",
      5,
      "network.cidr: 10.0.0.0/29 leaves 6 addresses for ports (8 in all, less the network and broadcast addresses), and this stack needs 7: 5 instances, the router's gateway and one DHCP port; allowed: a prefix of /28 or shorter",
    ],
    [
      "10.0.0.0/31",
      0,
      "network.cidr: 10.0.0.0/31 leaves 0 addresses for ports (2 in all, less the network and broadcast addresses), and this stack needs 2: 0 instances, the router's gateway and one DHCP port; allowed: a prefix of /30 or shorter",
    ],
    [
      "10.0.0.5/32",
      1,
      "network.cidr: 10.0.0.5/32 leaves 0 addresses for ports (1 in all, less the network and broadcast addresses), and this stack needs 3: 1 instance, the router's gateway and one DHCP port; allowed: a prefix of /29 or shorter",
    ],
  ])("%s with %i instances is refused", (cidr, count, message) => {
    expect(problems({ network: { cidr }, instances: instances(count) })).toEqual([message]);
  });

  test("a /29 holding exactly four instances, the gateway and DHCP is accepted", () => {
    expect(problems({ network: { cidr: "10.0.0.0/29" }, instances: instances(4) })).toEqual([]);
  });

  test("launch into a full subnet is refused and changes no file", () => {
    const dir = copyProject();
    const full = ["worker2", "worker3", "worker4"].map((name) => `    ${name}:\n      size: tiny\n`).join("");
    const tacc = read(dir, "Pulumi.tacc.yaml").replace("cidr: 10.0.0.0/24", "cidr: 10.0.0.0/29") + full;
    writeFileSync(join(dir, "Pulumi.tacc.yaml"), tacc);
    const run = runVerb(["launch", "worker5", "--stack", "tacc", "--dir", dir]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml left unchanged: the edit would make the stack invalid:\n  network.cidr: 10.0.0.0/29 leaves 6 addresses for ports (8 in all, less the network and broadcast addresses), and this stack needs 7: 5 instances, the router's gateway and one DHCP port; allowed: a prefix of /28 or shorter\n",
    });
    expect(read(dir, "Pulumi.tacc.yaml")).toBe(tacc);
  });
});

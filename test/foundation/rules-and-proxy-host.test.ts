/**
 * Security rules as the stack gives them (one port or a range, each rule once) and the proxy
 * host's user data (the proxy component's alone): refused with the key path, or passed to the
 * cloud exactly.
 */
import { StackConfigError, validateStackConfig } from "../../config";
import { evaluateProgram, resourceNamed, stackText } from "../helpers/program";

function problemsOf(values: Record<string, unknown>): string[] {
  try {
    validateStackConfig(values, "iu");
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  return [];
}

const rules = (...given: Record<string, unknown>[]) => ({ securityGroup: { rules: given } });

test.each([
  [
    "the same rule twice with another description (neutron: 409 SecurityGroupRuleExists)",
    rules(
      { description: "web", protocol: "tcp", ports: 80, from: "0.0.0.0/0" },
      { description: "HTTP again", protocol: "tcp", ports: 80, from: "0.0.0.0/0" },
    ),
    "securityGroup.rules.1: repeats securityGroup.rules.0; allowed: each protocol, port and source once",
  ],
  [
    "a port written once as 22 and once as the range 22-22",
    rules(
      { protocol: "tcp", ports: 22, from: "10.0.0.0/24" },
      { protocol: "tcp", ports: "22-22", from: "10.0.0.0/24" },
    ),
    "securityGroup.rules.1: repeats securityGroup.rules.0; allowed: each protocol, port and source once",
  ],
  [
    "a range written high-low",
    rules({ protocol: "tcp", ports: "8100-8000", from: "0.0.0.0/0" }),
    'securityGroup.rules.0.ports: "8100-8000" is not a port range; allowed: low-high within 1-65535',
  ],
  [
    "a range starting at port 0",
    rules({ protocol: "udp", ports: "0-10", from: "0.0.0.0/0" }),
    'securityGroup.rules.0.ports: "0-10" is not a port range; allowed: low-high within 1-65535',
  ],
  [
    "a range past 65535",
    rules({ protocol: "tcp", ports: "60000-65536", from: "0.0.0.0/0" }),
    'securityGroup.rules.0.ports: "60000-65536" is not a port range; allowed: low-high within 1-65535',
  ],
  [
    "ports on an icmp rule",
    rules({ protocol: "icmp", ports: 8, from: "10.0.0.0/24" }),
    "securityGroup.rules.0.ports: not allowed for icmp",
  ],
  [
    "user data on the proxy host (it would replace the proxy's own bootstrap)",
    {
      instances: { proxy: { role: "proxy", ip: "assign", userData: "#cloud-config\npackages: [apache2]\n" } },
    },
    "instances.proxy.userData: not allowed on the proxy host; its user data is rendered by the proxy component",
  ],
])("refused: %s", (_what, values, message) => {
  expect(problemsOf(values)).toEqual([message]);
});

test("the same port from two sources, and tcp and udp on one port, are different rules", () => {
  expect(
    problemsOf(
      rules(
        { protocol: "tcp", ports: 53, from: "10.0.0.0/24" },
        { protocol: "udp", ports: 53, from: "10.0.0.0/24" },
        { protocol: "tcp", ports: 53, from: "10.1.0.0/24" },
      ),
    ),
  ).toEqual([]);
});

test("a port range reaches the cloud as portRangeMin and portRangeMax, a single port as both", async () => {
  const evaluation = await evaluateProgram(
    "lab", // no inventory: the IU one holds the hand-made group this stack does not adopt
    stackText(
      [
        "  lappsgrid-jetstream:securityGroup:",
        "    rules:",
        '      - { protocol: tcp, ports: "8000-8100", from: 10.0.0.0/24 }',
        "      - { protocol: udp, ports: 53, from: 0.0.0.0/0 }",
        "",
      ].join("\n"),
    ),
  );
  const rule = (name: string) => {
    const { securityGroupId: _group, ...inputs } = resourceNamed(evaluation, name).inputs;
    return inputs;
  };
  expect(rule("lappsgrid-rule-tcp-8000-8100-from-10-0-0-0-24")).toEqual({
    description: "tcp-8000-8100-from-10-0-0-0-24",
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: 8000,
    portRangeMax: 8100,
    remoteIpPrefix: "10.0.0.0/24",
  });
  expect(rule("lappsgrid-rule-udp-53-from-0-0-0-0-0")).toEqual({
    description: "udp-53-from-0-0-0-0-0",
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "udp",
    portRangeMin: 53,
    portRangeMax: 53,
    remoteIpPrefix: "0.0.0.0/0",
  });
});

/**
 * Security-group, proxy-host and adoption settings neutron or the proxy could not honour,
 * refused by config in one line each, written out.
 */
import { problemsOf } from "../helpers/config";

const proxy = { role: "proxy", ip: "assign" };

test.each<[string, Record<string, unknown>, string[]]>([
  [
    "an sshFrom source given twice",
    { securityGroup: { sshFrom: ["1.2.3.4/32", "5.6.7.0/24", "1.2.3.4/32"] } },
    ["securityGroup.sshFrom.2: repeats securityGroup.sshFrom.0 (1.2.3.4/32); allowed: each source once"],
  ],
  [
    "a serviceFrom source that is the subnet the default rule opens the port to",
    { securityGroup: { serviceFrom: ["10.0.0.0/24"] } },
    [
      'securityGroup.serviceFrom.0: repeats the default rule "proxied service" (tcp 8080 from 10.0.0.0/24); allowed: each source once',
    ],
  ],
  [
    "sshFrom and serviceFrom beside a rules list",
    {
      securityGroup: {
        sshFrom: ["1.2.3.4/32"],
        serviceFrom: ["5.6.7.8/32"],
        rules: [{ protocol: "tcp", ports: 22, from: "0.0.0.0/0" }],
      },
    },
    [
      "securityGroup.sshFrom: not used when securityGroup.rules is given (rules replaces the default rules); allowed: write the rule in securityGroup.rules, or drop rules to use the defaults",
      "securityGroup.serviceFrom: not used when securityGroup.rules is given (rules replaces the default rules); allowed: write the rule in securityGroup.rules, or drop rules to use the defaults",
    ],
  ],
  [
    "an adopted group without its rules",
    { securityGroup: { importId: "sg-1" } },
    [
      "securityGroup.rules: required with securityGroup.importId; allowed: the adopted group's rules, each with its importId, and any new ones",
    ],
  ],
  [
    "tcp without ports",
    { securityGroup: { rules: [{ protocol: "tcp", from: "0.0.0.0/0" }] } },
    ['securityGroup.rules.0.ports: required for tcp and udp; allowed: 22 or "8000-8100"'],
  ],
  [
    "icmp with ports",
    { securityGroup: { rules: [{ protocol: "icmp", ports: 8, from: "0.0.0.0/0" }] } },
    ["securityGroup.rules.0.ports: not allowed for icmp"],
  ],
  [
    "a range upside down",
    { securityGroup: { rules: [{ protocol: "udp", ports: "9000-8000", from: "0.0.0.0/0" }] } },
    ['securityGroup.rules.0.ports: "9000-8000" is not a port range; allowed: low-high within 1-65535'],
  ],
  [
    "a stopped proxy host",
    { instances: { proxy: { ...proxy, state: "stopped" } } },
    [
      'instances.proxy.state: "stopped" is not allowed on the proxy host, which must serve the site and carry SSH; allowed: active (take the site down with proxy.mode: offline)',
    ],
  ],
  [
    "user data on the proxy host",
    { instances: { proxy: { ...proxy, userData: "#cloud-config\n" } } },
    [
      "instances.proxy.userData: not allowed on the proxy host; its user data is rendered by the proxy component",
    ],
  ],
  [
    "an adopted router and subnet without their interface",
    { network: { import: { network: "net-1", subnet: "sub-2", router: "rtr-3" } } },
    [
      "network.import.routerInterface: required with network.import.router and network.import.subnet (the subnet is already on the router: a second interface is refused); allowed: the interface's port ID from `openstack port list --router ROUTER -f json`",
    ],
  ],
  [
    "an adopted subnet without its network",
    { network: { import: { subnet: "sub-2" } } },
    [
      "network.import.network: required with network.import.subnet (an adopted subnet lives on its own network); allowed: the ID of the subnet's network from `openstack subnet show SUBNET -f value -c network_id`",
    ],
  ],
  [
    "a floating IP description without its import ID",
    { instances: { galaxy: { ip: "149.165.1.2", floatingIpDescription: "old" } } },
    [
      "instances.galaxy.floatingIpDescription: only allowed with floatingIpImportId; it states the adopted address's own description",
    ],
  ],
  [
    "a floating IP import ID without an address",
    { instances: { galaxy: { floatingIpImportId: "fip-1" } } },
    ["instances.galaxy.floatingIpImportId: only allowed with ip: <address>"],
  ],
  [
    "a floating IP import ID with ip: assign",
    { instances: { galaxy: { ip: "assign", floatingIpImportId: "fip-1" } } },
    ["instances.galaxy.floatingIpImportId: only allowed with ip: <address>, not with ip: assign"],
  ],
  [
    "a private address of the stack's own subnet as a floating IP",
    { instances: { galaxy: { ip: "10.0.0.7" } } },
    [
      "instances.galaxy.ip: 10.0.0.7 is inside this stack's subnet 10.0.0.0/24 (network.cidr), a private address; allowed: assign, or a public address allocated earlier in this cloud",
    ],
  ],
  [
    "the broadcast address as a floating IP",
    { instances: { galaxy: { ip: "255.255.255.255" } } },
    [
      "instances.galaxy.ip: 255.255.255.255 is the broadcast address; allowed: assign, or a public address allocated earlier in this cloud",
    ],
  ],
])("%s is refused in one line", (_, values, problems) => {
  expect(problemsOf(values)).toEqual(problems);
});

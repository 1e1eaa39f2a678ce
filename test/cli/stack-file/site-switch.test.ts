/** The site switched away from its target while the target goes down: the error `jetstream diff` reports, per way down. */

import { siteSwitchError } from "../../../cli/stack-file/site-switch";
import { splitStackConfig, validateStackConfig } from "../../../config";
import { LAB_HEAD } from "../../helpers/lab-stack";

function stack(galaxy: string[], proxy: string[]) {
  const text = [...LAB_HEAD, ...galaxy, "    web:", "      size: small", ...proxy, ""].join("\n");
  return validateStackConfig(splitStackConfig(text, "Pulumi.lab.yaml").project, "lab");
}

const GALAXY = ["    galaxy:", "      size: large", "      ip: 149.165.9.20"];
const PROXY = ["  lappsgrid-jetstream:proxy:", "    domain: lab.example.org"];
const APPLIED = stack(GALAXY, [...PROXY, "    mode: online", "    target: galaxy"]);

const cases: [string, ReturnType<typeof stack>, string | undefined][] = [
  [
    "stopped while the site points elsewhere",
    stack([...GALAXY, "      state: stopped"], [...PROXY, "    mode: online", "    target: web"]),
    "instances.galaxy: stopped while the site switches away from it (proxy.target galaxy -> web): nothing orders the power change after the switch, so lab.example.org may forward to a server that is down; take two steps: the switch first and `pulumi up`, then `jetstream stop lappsgrid-galaxy` and `pulumi up`",
  ],
  [
    "deleted while the site goes offline",
    stack([], [...PROXY, "    mode: offline", "    target: web"]),
    "instances.galaxy: deleted while the site switches away from it (proxy.mode online -> offline, proxy.target galaxy -> web): nothing orders the deletion after the switch, so lab.example.org may forward to a server that is gone; take two steps: the switch first and `pulumi up`, then `jetstream delete lappsgrid-galaxy` and `pulumi up`",
  ],
  [
    "shelved while the proxy block is removed",
    stack([...GALAXY, "      state: shelved"], []),
    "instances.galaxy: shelved while the site switches away from it (proxy online -> (no proxy block)): nothing orders the power change after the switch, so lab.example.org may forward to a server that is down; take two steps: the switch first and `pulumi up`, then `jetstream suspend lappsgrid-galaxy` and `pulumi up`",
  ],
  // Shelved while the site is online at its address is refused by the config module itself.
  [
    "kept active while the site is switched to the same server's address",
    stack(GALAXY, [...PROXY, "    mode: online", "    target: 149.165.9.20"]),
    undefined,
  ],
  [
    "untouched while the site goes offline",
    stack(GALAXY, [...PROXY, "    mode: offline", "    target: galaxy"]),
    undefined,
  ],
];

test.each(cases)("galaxy %s", (_case, after, expected) => {
  expect(siteSwitchError(APPLIED, after)?.message).toBe(expected);
});

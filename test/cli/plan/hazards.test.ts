/**
 * `jetstream plan` cannot know what the next `up` replaces, but it can name the resources
 * whose replacement the cloud would refuse: created before the old one is deleted, without
 * `deleteBeforeReplace`, they collide with it.
 */
import type { Evaluation } from "../../../cli/offline/evaluation";
import { formatPlanText } from "../../../cli/plan/format";
import { resourceIn } from "../../helpers/planned-resource";

const resource = resourceIn("lab");

const EVALUATION: Evaluation = {
  stack: "lab",
  resources: [
    resource("kp", "openstack:compute/keypair:Keypair", { name: "k" }, { deleteBeforeReplace: true }),
    resource("web-server", "openstack:compute/instance:Instance", {
      name: "web",
      networks: [{ port: "p1" }],
    }),
    resource(
      "db-server",
      "openstack:compute/instance:Instance",
      { name: "db", networks: [{ port: "p2" }] },
      {
        deleteBeforeReplace: true,
      },
    ),
    resource("rule-22", "openstack:networking/secGroupRule:SecGroupRule", { protocol: "tcp" }),
    resource("web-ip-association", "openstack:networking/floatingIpAssociate:FloatingIpAssociate", {
      portId: "p1",
    }),
    resource("web-port", "openstack:networking/port:Port", { name: "web-port" }),
  ],
  outputs: { instances: {}, suPerHour: 0, suPerDay: 0 },
  mockValues: [],
};

test("plan names each resource whose replacement Jetstream2 would refuse, and the fix", () => {
  const lines = formatPlanText(EVALUATION).split("\n");
  const heading = lines.indexOf(
    "Replacements Jetstream2 would refuse (the new one is created while the old one exists; fix: deleteBeforeReplace: true):",
  );
  expect(heading).toBeGreaterThan(0);
  expect(lines.slice(heading + 1, heading + 4)).toEqual([
    '  web-server (openstack:compute/instance:Instance): any replacement; nova answers 409 "Port ... is still in use"',
    '  rule-22 (openstack:networking/secGroupRule:SecGroupRule): a change of its description only; neutron answers 409 SecurityGroupRuleExists "Security group rule already exists"',
    "  web-ip-association (openstack:networking/floatingIpAssociate:FloatingIpAssociate): another floating IP on the same port; neutron answers 409 FloatingIPPortAlreadyAssociated",
  ]);
  expect(lines[heading + 4]).not.toMatch(/^ {2}\S/);
});

test("plan of resources that all delete before replacing lists no refused replacement", () => {
  const safe = {
    ...EVALUATION,
    resources: EVALUATION.resources.map((r) => ({ ...r, deleteBeforeReplace: true })),
  };
  expect(formatPlanText(safe)).not.toContain("Replacements Jetstream2 would refuse");
});

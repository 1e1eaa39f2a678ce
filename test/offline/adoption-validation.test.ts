import { problemsOf } from "../helpers/config";

describe("adoption combinations neutron refuses are refused by validation", () => {
  test("import.router and import.subnet without import.routerInterface", () => {
    expect(
      problemsOf({ network: { import: { network: "net-1", subnet: "sub-2", router: "rtr-3" } } }),
    ).toEqual([
      "network.import.routerInterface: required with network.import.router and network.import.subnet (the subnet is already on the router: a second interface is refused); allowed: the interface's port ID from `openstack port list --router ROUTER -f json`",
    ]);
  });

  test("import.subnet without import.network", () => {
    expect(problemsOf({ network: { import: { subnet: "sub-2" } } })).toEqual([
      "network.import.network: required with network.import.subnet (an adopted subnet lives on its own network); allowed: the ID of the subnet's network from `openstack subnet show SUBNET -f value -c network_id`",
    ]);
  });
});

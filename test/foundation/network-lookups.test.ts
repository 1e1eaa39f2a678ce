/**
 * The two things the network looks up in the cloud instead of making: the external network
 * (the router's gateway, `router-gateway-set <router> public`) and, on Jetstream2's one router
 * per project, the router the web UI already made. Looked up under another name, `pulumi up`
 * finds nothing or, worse, someone else's.
 */
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../../components/network";
import { NO_RESULTS, NO_ROUTER } from "../../components/openstack-errors";
import { validateStackConfig } from "../../config";

interface Recorded {
  token: string;
  inputs: Record<string, unknown>;
}
let calls: Recorded[] = [];
/** As the engine delivers a failed lookup: the mock runtime reads only the gRPC error's details. */
const lookupFailure = (details: string) => Object.assign(new Error(details), { details });
let registrations: Recorded[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registrations.push({ token: args.type, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      calls.push({ token: args.token, inputs: args.inputs });
      // A project with only Jetstream2's own objects: the external network and the web UI's
      // router exist; nothing named like what the stack creates does (components/existing.ts).
      if (args.token === "openstack:networking/getNetwork:getNetwork") {
        if (args.inputs.external === true) return { ...args.inputs, id: "ext-net-id" };
        throw lookupFailure(`invoking ${args.token}: ${NO_RESULTS}`);
      }
      if (args.token === "openstack:networking/getRouter:getRouter") {
        if (args.inputs.name === "auto_allocated_router") return { ...args.inputs, id: "web-ui-router-id" };
        throw lookupFailure(`invoking ${args.token}: ${NO_ROUTER}`);
      }
      throw new Error(`unexpected call to ${args.token}`);
    },
  },
  "lappsgrid-jetstream",
  "iu",
);

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function buildNetwork(network: Record<string, unknown>) {
  calls = [];
  registrations = [];
  const built = new Network("lappsgrid", { network: validateStackConfig({ network }, "iu").network });
  await promiseOf(built.urn);
  const routerId = await promiseOf(built.routerId);
  // The interface registers once the router's ID is known, a moment after the component.
  const interfaceToken = "openstack:networking/routerInterface:RouterInterface";
  for (let tries = 0; tries < 100 && inputsOf(interfaceToken).length === 0; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { routerId };
}

const inputsOf = (token: string) => registrations.filter((r) => r.token === token).map((r) => r.inputs);

test("the gateway is the external network named in the stack (default `public`), and the new router uses it", async () => {
  await buildNetwork({});
  expect(calls.filter((call) => call.inputs.external === true)).toEqual([
    { token: "openstack:networking/getNetwork:getNetwork", inputs: { name: "public", external: true } },
  ]);
  expect(inputsOf("openstack:networking/router:Router")).toEqual([
    {
      name: "lappsgrid-router",
      description: "LAPPS Grid router (managed by Pulumi)",
      adminStateUp: true,
      externalNetworkId: "ext-net-id",
    },
  ]);
});

test("another external network name is looked up as written", async () => {
  await buildNetwork({ externalNetwork: "ext-net" });
  expect(calls.filter((call) => call.inputs.external === true)).toEqual([
    { token: "openstack:networking/getNetwork:getNetwork", inputs: { name: "ext-net", external: true } },
  ]);
});

test("an existing router is looked up by the name in network.existingRouter, and only the interface is made on it", async () => {
  const { routerId } = await buildNetwork({ existingRouter: "auto_allocated_router" });
  expect(calls).toContainEqual({
    token: "openstack:networking/getRouter:getRouter",
    inputs: { name: "auto_allocated_router" },
  });
  expect(calls.filter((call) => call.token === "openstack:networking/getRouter:getRouter")).toHaveLength(1);
  expect(inputsOf("openstack:networking/router:Router")).toEqual([]);
  expect(routerId).toBe("web-ui-router-id");
  expect(inputsOf("openstack:networking/routerInterface:RouterInterface")).toEqual([
    { routerId: "web-ui-router-id", subnetId: "lappsgrid-subnet-id" },
  ]);
});

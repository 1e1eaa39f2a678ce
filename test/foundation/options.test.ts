import { evaluateProgram, resourceNamed } from "../helpers/program";

const ADOPTING_STACK = `config:
  lappsgrid-jetstream:network:
    cidr: 10.1.0.0/24
    import: { network: net-1111, subnet: sub-2222, router: rtr-3333, routerInterface: port-6666 }
  lappsgrid-jetstream:securityGroup:
    importId: sg-4444
    rules:
      - { protocol: tcp, ports: 22, from: 0.0.0.0/0, importId: rule-7777 }
      - { protocol: tcp, ports: 8080, from: 10.1.0.0/24 }
  lappsgrid-jetstream:keypair:
    name: ops-key
    publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGTVDy4aoeAsg7swAFAvZk7ZarBNF9QbKbXH/aO56Rh ops@lappsgrid
  lappsgrid-jetstream:instances:
    proxy: { role: proxy, size: tiny, ip: 149.165.157.82, floatingIpImportId: fip-5555 }
    galaxy: { size: xlarge, state: stopped, userData: "#cloud-config\\npackages: [docker.io]\\n", acceptRebuild: true }
    worker: { size: small, state: shelved, image: centos }
`;

describe("adopting hand-made resources and per-instance options", () => {
  let evaluation: Awaited<ReturnType<typeof evaluateProgram>>;
  beforeAll(async () => {
    // A stack without an inventory: the IDs it adopts are not checked against one.
    evaluation = await evaluateProgram("lab", ADOPTING_STACK);
  });

  test.each([
    ["lappsgrid-network", "net-1111"],
    ["lappsgrid-subnet", "sub-2222"],
    ["lappsgrid-router", "rtr-3333"],
    ["lappsgrid-security-group", "sg-4444"],
    ["lappsgrid-proxy-floating-ip", "fip-5555"],
    ["lappsgrid-router-interface", "port-6666"],
    ["lappsgrid-rule-tcp-22-from-0-0-0-0-0", "rule-7777"],
  ])("%s is imported by ID %s and kept in the cloud if the stack lets go of it", (name, importId) => {
    const resource = resourceNamed(evaluation, name);
    expect(resource.importId).toBe(importId);
    expect(resource.id).toBe(importId);
    expect(resource.retainOnDelete).toBe(true);
  });

  test("adopted resources take only what the stack states, so the import matches the hand-made ones", () => {
    // `neutron subnet-create` made an unnamed subnet without DNS servers; defaults would not match.
    expect(resourceNamed(evaluation, "lappsgrid-subnet").inputs).toEqual({
      networkId: "net-1111",
      cidr: "10.1.0.0/24",
      ipVersion: 4,
    });
    expect(resourceNamed(evaluation, "lappsgrid-network").inputs).toEqual({ adminStateUp: true });
    expect(resourceNamed(evaluation, "lappsgrid-security-group").inputs).toEqual({
      name: "lappsgrid-secgroup",
    });
    // A rule the group did not have is created in it, not imported.
    const newRule = resourceNamed(evaluation, "lappsgrid-rule-tcp-8080-from-10-1-0-0-24");
    expect([newRule.importId, newRule.inputs.securityGroupId]).toEqual([undefined, "sg-4444"]);
  });

  test("the adopted proxy address is managed, protected and attached to the proxy port", () => {
    const floatingIp = resourceNamed(evaluation, "lappsgrid-proxy-floating-ip");
    expect(floatingIp.inputs).toEqual({ pool: "public", address: "149.165.157.82" });
    expect(floatingIp.protect).toBe(true);
    expect(resourceNamed(evaluation, "lappsgrid-proxy-floating-ip-association").inputs).toEqual({
      floatingIp: "149.165.157.82",
      portId: resourceNamed(evaluation, "lappsgrid-proxy-port").id,
    });
  });

  test("a key the stack leaves out takes its Pulumi.yaml default, as the engine applies it", () => {
    expect(evaluation.outputs.cloud).toBe("Jetstream2");
  });

  test("a public key in config makes a managed keypair, and servers boot with it", () => {
    expect(resourceNamed(evaluation, "lappsgrid-keypair").inputs).toEqual({
      name: "ops-key",
      publicKey:
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILGTVDy4aoeAsg7swAFAvZk7ZarBNF9QbKbXH/aO56Rh ops@lappsgrid",
    });
    // Nova refuses a second pair of the same name: a new key deletes the old pair first.
    expect(resourceNamed(evaluation, "lappsgrid-keypair").deleteBeforeReplace).toBe(true);
    expect(resourceNamed(evaluation, "lappsgrid-galaxy-server").inputs.keyPair).toBe("ops-key");
  });

  test("states map to the provider's power states and SU rates", () => {
    expect(resourceNamed(evaluation, "lappsgrid-galaxy-server").inputs.powerState).toBe("shutoff");
    expect(resourceNamed(evaluation, "lappsgrid-worker-server").inputs.powerState).toBe("shelved_offloaded");
    const instances = evaluation.outputs.instances as Record<string, { suPerHour: number; state: string }>;
    expect(instances["lappsgrid-galaxy"]).toMatchObject({ state: "stopped", suPerHour: 16 });
    expect(instances["lappsgrid-worker"]).toMatchObject({ state: "shelved", suPerHour: 0 });
    expect(evaluation.outputs.suPerHour).toBe(17);
    expect(evaluation.outputs.suPerDay).toBe(408);
  });

  test("user data reaches the server; acceptRebuild lifts the rebuild guard for that instance only", () => {
    const galaxy = resourceNamed(evaluation, "lappsgrid-galaxy-server");
    expect(galaxy.inputs.userData).toBe("#cloud-config\npackages: [docker.io]\n");
    expect(galaxy.ignoreChanges).toEqual([]);
    expect(resourceNamed(evaluation, "lappsgrid-worker-server").ignoreChanges).toEqual([
      "imageName",
      "imageId",
      "userData",
    ]);
    expect(resourceNamed(evaluation, "lappsgrid-worker-server").inputs.imageName).toBe(
      "Featured-RockyLinux9",
    );
  });

  test("an instance without ip gets no floating IP; private addresses come from the stack's subnet", () => {
    expect(evaluation.resources.filter((r) => r.name.startsWith("lappsgrid-worker-floating-ip"))).toEqual([]);
    const instances = evaluation.outputs.instances as Record<
      string,
      { privateIp: string; publicIp?: string }
    >;
    expect(instances["lappsgrid-worker"].publicIp).toBeUndefined();
    expect(instances["lappsgrid-worker"].privateIp).toMatch(/^10\.1\.0\.\d+$/);
  });
});

describe("a bad stack stops the program before any resource", () => {
  test("the program fails with the key, the value and what is allowed", async () => {
    const text = "config:\n  lappsgrid-jetstream:instances:\n    galaxy: { size: huge }\n";
    await expect(evaluateProgram("iu", text)).rejects.toThrow(
      'invalid config in Pulumi.iu.yaml:\ninstances.galaxy.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge',
    );
  });
});

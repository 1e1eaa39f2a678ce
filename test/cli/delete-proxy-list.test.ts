/** delete, proxy/online/offline, list, preview and up on copies of the shipped stack files. */
import { changedLines, commentLines, copyProject, read, resourceReport, runVerb, shipped } from "./support";

const IU = "Pulumi.iu.yaml";
const TACC = "Pulumi.tacc.yaml";

describe("delete", () => {
  test("delete removes the instance, its comment, and leaves {} when it was the last one", () => {
    const dir = copyProject();
    const result = runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir], { resourceDiff: true });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout.split("\n")[0]).toBe("Pulumi.tacc.yaml: lappsgrid-worker: deleted");
    expect(resourceReport(result.stdout)).toEqual([
      "Stack tacc: 0 to create, 0 to update, 0 to replace, 5 to delete, 12 unchanged",
      "  -  delete  lappsgrid-worker  lappsgrid:jetstream:Instance",
      "  -  delete  lappsgrid-worker-server  openstack:compute/instance:Instance",
      "  -  delete  lappsgrid-worker-floating-ip  openstack:networking/floatingIp:FloatingIp",
      "  -  delete  lappsgrid-worker-floating-ip-association  openstack:networking/floatingIpAssociate:FloatingIpAssociate",
      "  -  delete  lappsgrid-worker-port  openstack:networking/port:Port",
    ]);
    expect(changedLines(shipped(TACC), read(dir, TACC))).toEqual([
      "-  lappsgrid-jetstream:instances:",
      "-    # A LAPPS service worker; shelve it with `jetstream suspend worker` when idle.",
      "-    lappsgrid-worker:",
      "-      size: medium",
      "-      image: docker",
      "-      ip: assign",
      "+  lappsgrid-jetstream:instances: {}",
    ]);
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("delete refuses the proxy host and says why", () => {
    const dir = copyProject();
    const result = runVerb(["delete", "proxy", "--stack", "iu", "--dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-proxy: it is the proxy host (role: proxy) that serves jetstream.lappsgrid.org; retiring it is a hand-made, reviewed change (move role: proxy first)\n",
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("delete refuses the proxy target while the proxy is online, and says what to run first", () => {
    const dir = copyProject();
    const result = runVerb(["delete", "lappsgrid-galaxy", "--stack", "iu", "--dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-galaxy: it is the proxy target of jetstream.lappsgrid.org while the proxy is online; first run `jetstream offline --stack iu` or `jetstream proxy OTHER --stack iu`\n",
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("after offline, delete of the target also removes proxy.target, which named it", () => {
    const dir = copyProject();
    runVerb(["offline", "--stack", "iu", "--dir", dir]);
    const offline = read(dir, IU);
    // The program must still evaluate with the proxy's target gone: the user's run checks it.
    const result = runVerb(["delete", "galaxy", "--stack", "iu", "--dir", dir], { resourceDiff: true });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(resourceReport(result.stdout)).toEqual([
      "Stack iu: 0 to create, 0 to update, 0 to replace, 5 to delete, 18 unchanged",
      "  -  delete  lappsgrid-galaxy  lappsgrid:jetstream:Instance",
      "  -  delete  lappsgrid-galaxy-server  openstack:compute/instance:Instance",
      "  -  delete  lappsgrid-galaxy-floating-ip  openstack:networking/floatingIp:FloatingIp",
      "  -  delete  lappsgrid-galaxy-floating-ip-association  openstack:networking/floatingIpAssociate:FloatingIpAssociate",
      "  -  delete  lappsgrid-galaxy-port  openstack:networking/port:Port",
    ]);
    expect(result.stdout.split("\n")[0]).toBe(
      "Pulumi.iu.yaml: lappsgrid-galaxy: deleted; proxy.target (lappsgrid-galaxy) removed, set a new one with `jetstream proxy TARGET` before going online",
    );
    expect(changedLines(offline, read(dir, IU))).toEqual([
      "-    # Galaxy with the LAPPS tools, the proxy's usual target (port 8080).",
      "-    lappsgrid-galaxy:",
      "-      size: large",
      "-      image: docker",
      "-      ip: assign",
      "-      state: active",
      "-    target: lappsgrid-galaxy",
    ]);
    // Only the deleted instance's own comment went.
    const gone = commentLines(offline).filter((line) => !commentLines(read(dir, IU)).includes(line));
    expect(gone).toEqual(["    # Galaxy with the LAPPS tools, the proxy's usual target (port 8080)."]);
  });

  test("delete refuses an instance another stack's online proxy targets as <stack>/<instance>", () => {
    const dir = copyProject();
    runVerb(["proxy", "tacc/worker", "--stack", "iu", "--dir", dir]);
    const result = runVerb(["delete", "worker", "--stack", "tacc", "--dir", dir]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: refusing to delete lappsgrid-worker: it is the proxy target of jetstream.lappsgrid.org (Pulumi.iu.yaml: proxy.target tacc/lappsgrid-worker) while the proxy is online; first run `jetstream proxy OTHER --stack iu`\n",
    });
    expect(read(dir, TACC)).toBe(shipped(TACC));
  });

  test("delete of an unknown instance lists the known ones", () => {
    const dir = copyProject();
    expect(runVerb(["delete", "nope", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'jetstream: no instance "nope" in Pulumi.tacc.yaml; known instances: lappsgrid-worker\n',
    });
  });
});

describe("proxy, online, offline", () => {
  test("proxy to another stack's instance changes only the target line", () => {
    const dir = copyProject();
    const result = runVerb(["proxy", "tacc/worker", "--stack", "iu", "--dir", dir], { resourceDiff: true });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    // Read from the other stack's outputs, switched in place: the proxy host is not touched.
    const report = resourceReport(result.stdout);
    expect(report[0]).toBe("Stack iu: 1 to create, 1 to update, 0 to replace, 0 to delete, 22 unchanged");
    expect(report).toContain("  ~  update  public-proxy-site  command:remote:Command");
    expect(report).toContain(
      "  +  create  public-proxy-tacc-stack  pulumi:pulumi:StackReference [reads another stack's outputs; nothing in the cloud]",
    );
    expect(result.stdout.split("\n")[0]).toBe(
      "Pulumi.iu.yaml: proxy: target lappsgrid-galaxy -> tacc/worker",
    );
    expect(changedLines(shipped(IU), read(dir, IU))).toEqual([
      "-    target: lappsgrid-galaxy",
      "+    target: tacc/worker",
    ]);
    expect(read(dir, TACC)).toBe(shipped(TACC));
  });

  test("proxy ADDRESS PORT changes the target and the port lines", () => {
    const dir = copyProject();
    runVerb(["proxy", "10.0.0.99", "8081", "--stack", "iu", "--dir", dir]);
    expect(changedLines(shipped(IU), read(dir, IU))).toEqual([
      "-    target: lappsgrid-galaxy",
      "-    port: 8080",
      "+    target: 10.0.0.99",
      "+    port: 8081",
    ]);
  });

  test("proxy to the current target changes nothing", () => {
    const dir = copyProject();
    expect(runVerb(["proxy", "galaxy", "--stack", "iu", "--dir", dir])).toEqual({
      code: 0,
      stdout: "Pulumi.iu.yaml: proxy already points at lappsgrid-galaxy; nothing to change\n",
      stderr: "",
    });
  });

  test.each([
    [
      ["nosuch"],
      'proxy.target: "nosuch" is not an instance of this stack (lappsgrid-galaxy, lappsgrid-proxy), <stack>/<instance>, an IPv4 address or a host name',
    ],
    [
      ["lappsgrid-proxy"],
      'proxy.target: "lappsgrid-proxy" is the proxy host itself; allowed: another instance',
    ],
  ])("proxy %j is rejected by the config module and the file stays byte-identical", (args, problem) => {
    const dir = copyProject();
    expect(runVerb(["proxy", ...args, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ${problem}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("proxy on a stack without a proxy block says the proxy lives in another stack", () => {
    const dir = copyProject();
    expect(runVerb(["proxy", "worker", "--stack", "tacc", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.tacc.yaml has no proxy (no lappsgrid-jetstream:proxy block); the public proxy lives in stack iu: pass --stack iu\n",
    });
  });

  test("proxy without a target is a one-line usage error naming TARGET and proxy's help", () => {
    const result = runVerb(["proxy", "--stack", "iu"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `jetstream: proxy TARGET: missing; allowed: instance, <stack>/<instance>, IPv4 address or host name (\`jetstream proxy --help\`)\n`,
    );
  });

  test("offline changes only the mode line; online gives back the original file", () => {
    const dir = copyProject();
    const offline = runVerb(["offline", "--stack", "iu", "--dir", dir], { resourceDiff: true });
    expect(offline).toMatchObject({ code: 0, stderr: "" });
    expect(offline.stdout.split("\n")[0]).toBe("Pulumi.iu.yaml: proxy: mode online -> offline");
    // Only the site command changes, in place; the proxy host and its address stay.
    const report = resourceReport(offline.stdout);
    expect(report.slice(0, 3)).toEqual([
      "Stack iu: 0 to create, 1 to update, 0 to replace, 0 to delete, 22 unchanged",
      "  ~  update  public-proxy-site  command:remote:Command",
      "        stdin: text changed",
    ]);
    expect(report).toContain("          + # mode: offline");
    expect(changedLines(shipped(IU), read(dir, IU))).toEqual(["-    mode: online", "+    mode: offline"]);
    expect(commentLines(read(dir, IU))).toEqual(commentLines(shipped(IU)));
    runVerb(["online", "--stack", "iu", "--dir", dir]);
    expect(read(dir, IU)).toBe(shipped(IU));
    expect(read(dir, TACC)).toBe(shipped(TACC));
  });

  test("online when online changes nothing", () => {
    const dir = copyProject();
    expect(runVerb(["online", "--stack", "iu", "--dir", dir]).stdout).toBe(
      "Pulumi.iu.yaml: proxy is already online; nothing to change\n",
    );
  });
});

describe("list", () => {
  test("list shows size, image, state, public address and SU per hour from the stack file", () => {
    const dir = copyProject();
    // galaxy is the online proxy target: the site goes offline before galaxy may shelve.
    runVerb(["offline", "--stack", "iu", "--dir", dir]);
    runVerb(["suspend", "galaxy", "--stack", "iu", "--dir", dir]);
    expect(runVerb(["list", "--stack", "iu", "--dir", dir])).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "Stack iu (stack file):",
        "NAME              SIZE   IMAGE   STATE    PUBLIC ADDRESS  SU/HOUR",
        "lappsgrid-galaxy  large  docker  shelved  assign          0",
        "lappsgrid-proxy   tiny   ubuntu  active   149.165.157.82  1",
        "Total: 1 SU/hour, 24 SU/day",
        "",
      ].join("\n"),
    });
  });

  test("list --json gives the same rows as data", () => {
    const result = runVerb(["list", "--stack", "tacc", "--json"]);
    expect(JSON.parse(result.stdout)).toEqual({
      stack: "tacc",
      source: "stack file",
      instances: [
        {
          name: "lappsgrid-worker",
          size: "medium",
          image: "docker",
          state: "active",
          publicAddress: "assign",
          suPerHour: 8,
        },
      ],
      suPerHour: 8,
    });
  });
});

describe("the verbs that need the Pulumi CLI", () => {
  const noCli = { env: { PATH: "/nonexistent", PULUMI_HOME: "" } };
  test.each([[["preview"]], [["up"]], [["list", "--live"]]])(
    "%j without the Pulumi CLI says how to install it and that plan/diff work offline",
    (args: string[]) => {
      const result = runVerb([...args, "--stack", "iu"], noCli);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `jetstream: Pulumi CLI missing: \`jetstream ${args.join(" ")}\` runs the real engine; install it with \`curl -fsSL https://get.pulumi.com | sh\` (or \`brew install pulumi/tap/pulumi\`; see https://www.pulumi.com/docs/install/), then \`pulumi login\` (see README.md, State). \`jetstream plan\` and \`jetstream diff\` work offline without it.\n`,
      );
    },
  );
});

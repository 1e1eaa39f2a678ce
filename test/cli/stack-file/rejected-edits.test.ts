/**
 * A rejected edit leaves the stack file byte-identical and exits 1 with the key and the reason:
 * a `<stack>/<instance>` proxy target the other stack's file does not have, and an edit the
 * program itself fails on offline (its message, never a stack trace).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { programErrorMessage } from "../../../cli/offline/program-error";
import { setProxyMode } from "../../../cli/proxy/switch";
import type { Evaluator } from "../../../cli/stack-file/edit-flow";
import { runStackEdit } from "../../../cli/stack-file/edit-flow";
import { splitStackConfig, validateStackConfig } from "../../../config";
import { copyProject, read, runVerb, shipped } from "../support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";

/** The TACC instances as the config module reads them, so the expected refusal tracks the file. */
function taccInstances(): string {
  const values = splitStackConfig(shipped("Pulumi.tacc.yaml"), "Pulumi.tacc.yaml").project;
  return validateStackConfig(values, "tacc")
    .instances.map((instance) => instance.name)
    .join(", ");
}

const REJECTED = "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n  ";

describe("proxy <stack>/<instance> is checked against the other stack's file", () => {
  test.each([
    [
      "an instance the other stack does not have",
      "tacc/nosuch",
      () =>
        `proxy.target: tacc/lappsgrid-nosuch is not an instance of stack tacc (known: ${taccInstances()})`,
    ],
    [
      "a stack without a stack file",
      "x/worker",
      () => 'proxy.target: no stack "x" (no Pulumi.x.yaml); allowed: tacc',
    ],
    [
      "this stack written as <stack>/<instance>",
      "iu/galaxy",
      () =>
        "proxy.target: iu/lappsgrid-galaxy is an instance of this stack; allowed: its name alone (lappsgrid-galaxy)",
    ],
  ])("proxy refuses %s and leaves the file byte-identical", (_case, target, problem) => {
    const dir = copyProject();
    expect(runVerb(["proxy", target, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}${problem()}\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("proxy refuses a target in another stack whose file is not valid", () => {
    const dir = copyProject();
    const broken = `${read(dir, "Pulumi.tacc.yaml")}  lappsgrid-jetstream:typo: 1\n`;
    writeFileSync(join(dir, "Pulumi.tacc.yaml"), broken);
    expect(runVerb(["proxy", "tacc/worker", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${REJECTED}proxy.target: Pulumi.tacc.yaml is not valid as it is (lappsgrid-jetstream:typo: unknown key; allowed keys: cloud, network, securityGroup, keypair, sizes, images, instances, proxy, proxySshKey, proxyTlsCertificate, proxyTlsKey), so tacc/lappsgrid-worker cannot be looked up; fix it first (\`jetstream plan --stack tacc\`)\n`,
    });
    expect(read(dir, IU)).toBe(shipped(IU));
  });
});

describe("a mistyped address is refused before anything is evaluated or written", () => {
  test.each([{ resourceDiff: true }, { resourceDiff: false }])(
    "proxy 10.0.0.300 (evaluation %o) names the key and what is allowed",
    (options) => {
      const dir = copyProject();
      const result = runVerb(["proxy", "10.0.0.300", "--stack", "iu", "--dir", dir], options);
      expect(result).toEqual({
        code: 1,
        stdout: "",
        stderr:
          "jetstream: Pulumi.iu.yaml left unchanged: the edit would make the stack invalid:\n" +
          '  proxy.target: "10.0.0.300" is not an instance of this stack (lappsgrid-galaxy, lappsgrid-proxy), <stack>/<instance>, an IPv4 address or a host name\n',
      });
      expect(read(dir, IU)).toBe(shipped(IU));
    },
  );
});

describe("runStackEdit with a stand-in evaluation", () => {
  const failing = new Error(
    "/x/index.ts:3\n  throw e;\n  ^\n\n<ref *1> Error: the program broke\n    at f (/x/index.ts:3:9)",
  );
  /** Fails for the texts `fails` picks; an empty evaluation otherwise. */
  const evaluator =
    (fails: (text: string) => boolean): Evaluator =>
    async ({ stack, stackFileText }) => {
      if (fails(stackFileText ?? "")) throw failing;
      return { stack, resources: [], outputs: {}, mockValues: [] };
    };
  const offline = (dir: string, evaluate: Evaluator, out: string[] = []) =>
    runStackEdit({ stack: "iu", dir }, (file) => setProxyMode(file, "offline"), {
      evaluate,
      write: (text) => out.push(text),
    });

  test("the program failing only after the edit rejects it and names the edit", async () => {
    const dir = copyProject();
    await expect(
      offline(
        dir,
        evaluator((text) => text.includes("mode: offline")),
      ),
    ).rejects.toThrow(
      "Pulumi.iu.yaml left unchanged: the program fails for the edited stack file, as `pulumi preview` would:\n  the program broke",
    );
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("the program failing before and after the edit says to fix the file first", async () => {
    const dir = copyProject();
    await expect(
      offline(
        dir,
        evaluator(() => true),
      ),
    ).rejects.toThrow(
      "Pulumi.iu.yaml left unchanged: the program fails for the stack file as it is, and still after this edit; fix it first (`jetstream plan --stack iu`):\n  the program broke",
    );
    expect(read(dir, IU)).toBe(shipped(IU));
  });

  test("an edit that repairs a failing program is written; only the resource diff is missing", async () => {
    const dir = copyProject();
    const out: string[] = [];
    await offline(
      dir,
      evaluator((text) => !text.includes("mode: offline")),
      out,
    );
    expect(read(dir, IU)).toBe(shipped(IU).replace("mode: online", "mode: offline"));
    expect(out.join("")).toContain(
      "\nResource-level diff unavailable: the program failed for the stack file as it was:\n  the program broke\n",
    );
  });
});

describe("programErrorMessage", () => {
  const crashReport = [
    "/work/main/components/proxy/site-params.ts:42",
    "    throw new ProxySiteError(parameter, value, HOST_ALLOWED);",
    "          ^",
    "",
    "",
    '<ref *1> ProxySiteError: error serializing property "stdin": upstream host: "10.0.0.300" is not allowed',
    "    at checkUpstreamHost (/work/main/components/proxy/site-params.ts:42:11)",
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {",
    "  parameter: 'upstream host',",
    "}",
    "",
    "Node.js v20.20.2",
  ].join("\n");

  test.each([
    ["a crash report gives its error line", crashReport, 'upstream host: "10.0.0.300" is not allowed'],
    [
      "the worker's message before a crash report is kept, Pulumi's serializing prefixes dropped",
      `error serializing property "outputs": proxy.target: stack o/p/tacc exports no instance lappsgrid-x with a publicIp\n${crashReport}`,
      "proxy.target: stack o/p/tacc exports no instance lappsgrid-x with a publicIp",
    ],
    [
      "a multi-line message keeps its lines",
      "Pulumi.iu.yaml: invalid:\n  instances.a: bad\n  instances.b: bad\n    at f (/x.ts:1:2)",
      "Pulumi.iu.yaml: invalid:\n  instances.a: bad\n  instances.b: bad",
    ],
    [
      "the engine's wrapping of a refused resource is dropped, its name kept once",
      "failed to register new resource lappsgrid-router [openstack:networking/router:Router]: lappsgrid-router: Quota exceeded for resources: ['router'].",
      "lappsgrid-router: Quota exceeded for resources: ['router'].",
    ],
    [
      "a refusal that does not name the resource is given its name",
      "failed to register new resource lappsgrid-web [openstack:compute/instance:Instance]: no flavor m9.huge",
      "lappsgrid-web: no flavor m9.huge",
    ],
    ["an empty output says so", "", "the offline evaluation failed without a message"],
  ])("%s", (_case, output, message) => {
    expect(programErrorMessage(output)).toBe(message);
  });
});

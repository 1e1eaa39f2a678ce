/**
 * More of the verbs under hostile or careless input (hostile-input.test.ts has the first part):
 * one error printed once, one coherent message for two proxy hosts, aliases named as what the
 * operator wrote, and block scalars kept byte-identical by an edit after them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { copyProject, read, runVerb, shipped } from "./support";

jest.setTimeout(120_000);

const IU = "Pulumi.iu.yaml";

/** A copy of the project whose IU stack file has `from` replaced by `to` (once; `from` must be there). */
function iuWith(from: string, to: string): { dir: string; text: string } {
  const original = shipped(IU);
  if (!original.includes(from)) throw new Error(`test setup: ${JSON.stringify(from)} is not in ${IU}`);
  const text = original.replace(from, to);
  const dir = copyProject();
  writeFileSync(join(dir, IU), text);
  return { dir, text };
}

describe("a stack file with one error: the error is printed once", () => {
  const invalid =
    'jetstream: Pulumi.iu.yaml is not valid as it is; fix it first (`jetstream plan --stack iu`):\n  instances.lappsgrid-galaxy.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge\n';
  test.each([[["launch", "worker"]], [["suspend", "galaxy"]], [["proxy", "galaxy"]], [["delete", "galaxy"]]])(
    "%p",
    (argv) => {
      const { dir, text } = iuWith("size: large", "size: huge");
      expect(runVerb([...argv, "--stack", "iu", "--dir", dir])).toEqual({
        code: 1,
        stdout: "",
        stderr: invalid,
      });
      expect(read(dir, IU)).toBe(text);
    },
  );

  test("plan", () => {
    const { dir, text } = iuWith("size: large", "size: huge");
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: invalid config in Pulumi.iu.yaml:\ninstances.lappsgrid-galaxy.size: "huge" is not a size; allowed: tiny, small, medium, large, xlarge\n',
    });
    expect(read(dir, IU)).toBe(text);
  });
});

describe("two instances with role: proxy and a proxy block: one coherent message", () => {
  test.each([
    [
      "the proxy's target is the second proxy host",
      "      size: large",
      "      role: proxy\n      size: large",
    ],
    [
      "the proxy's target is a third instance",
      "      state: active\n",
      "      state: active\n    lappsgrid-proxy2:\n      role: proxy\n      ip: assign\n",
    ],
  ])("%s: plan names the second role only", (_case, from, to) => {
    const { dir, text } = iuWith(from, to);
    const second = to.includes("proxy2") ? "lappsgrid-proxy2" : "lappsgrid-galaxy";
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: invalid config in Pulumi.iu.yaml:\ninstances.${second}.role: "proxy" is already the role of instances.lappsgrid-proxy; allowed: one proxy host per stack\n`,
    });
    expect(read(dir, IU)).toBe(text);
  });

  test("with proxy.host naming one of them, the host is not called 'not the proxy host'", () => {
    const { dir, text } = iuWith(
      "      state: active\n",
      "      state: active\n    lappsgrid-proxy2:\n      role: proxy\n      ip: assign\n",
    );
    const withHost = text.replace("    mode: online\n", "    host: lappsgrid-proxy2\n    mode: online\n");
    writeFileSync(join(dir, IU), withHost);
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'jetstream: invalid config in Pulumi.iu.yaml:\ninstances.lappsgrid-proxy2.role: "proxy" is already the role of instances.lappsgrid-proxy; allowed: one proxy host per stack\n',
    });
    expect(read(dir, IU)).toBe(withHost);
  });
});

describe("a value written as a YAML alias is named as what the operator wrote, not as an internal error", () => {
  const worker = "      state: &up active\n    lappsgrid-worker:\n      ip: assign\n      state: *up\n";

  test.each([
    ["suspend", "shelved"],
    ["stop", "stopped"],
  ])("%s of an instance whose state is an alias", (verb) => {
    const { dir, text } = iuWith("      state: active\n", worker);
    expect(runVerb([verb, "worker", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml: instances.lappsgrid-worker.state: written as the alias *up; left unchanged; allowed: write the value itself there (state: active), then run the verb again\n",
    });
    expect(read(dir, IU)).toBe(text);
  });

  test("suspend of an instance whose state carries an anchor another instance's state uses: both would change", () => {
    const shared = worker
      .replace("      state: &up active\n", "      state: active\n")
      .replace(
        "      ip: assign\n      state: *up\n",
        "      ip: assign\n      state: &up active\n    lappsgrid-worker2:\n      ip: assign\n      state: *up\n",
      );
    const { dir, text } = iuWith("      state: active\n", shared);
    expect(runVerb(["suspend", "worker", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml: instances.lappsgrid-worker.state: carries the anchor &up, which *up uses elsewhere in the file; left unchanged (the edit would change those values too); allowed: write the value itself where *up is, then run the verb again\n",
    });
    expect(read(dir, IU)).toBe(text);
  });

  const sharedMap =
    "      state: active\n    lappsgrid-worker: &base\n      ip: assign\n    lappsgrid-worker2: *base\n";

  test("suspend of an instance written as an alias of another instance's settings", () => {
    const { dir, text } = iuWith("      state: active\n", sharedMap);
    expect(runVerb(["suspend", "worker2", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml: instances.lappsgrid-worker2: written as the alias *base; left unchanged; allowed: write the value itself there, then run the verb again\n",
    });
    expect(read(dir, IU)).toBe(text);
  });

  test("suspend of an instance whose settings another instance shares by alias: both would be shelved", () => {
    const { dir, text } = iuWith("      state: active\n", sharedMap);
    expect(runVerb(["suspend", "worker", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml: instances.lappsgrid-worker: carries the anchor &base, which *base uses elsewhere in the file; left unchanged (the edit would change those values too); allowed: write the value itself where *base is, then run the verb again\n",
    });
    expect(read(dir, IU)).toBe(text);
  });

  test("delete of an instance whose settings another instance shares by alias: that one would break", () => {
    const { dir, text } = iuWith("      state: active\n", sharedMap);
    expect(runVerb(["delete", "worker", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml: instances.lappsgrid-worker: carries the anchor &base, which *base uses elsewhere in the file; left unchanged (deleting it would leave them pointing at nothing); allowed: write the value itself where *base is, then run the verb again\n",
    });
    expect(read(dir, IU)).toBe(text);
  });

  test("delete of an instance written as an alias removes it alone", () => {
    const { dir, text } = iuWith("      state: active\n", sharedMap);
    expect(runVerb(["delete", "worker2", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(read(dir, IU)).toBe(text.replace("    lappsgrid-worker2: *base\n", ""));
  });

  test("proxy when proxy.target is an alias of the instance's key", () => {
    const { dir, text } = iuWith(
      "    lappsgrid-galaxy:\n",
      "    lappsgrid-worker:\n      ip: assign\n    &galaxy lappsgrid-galaxy:\n",
    );
    const aliased = text.replace("    target: lappsgrid-galaxy\n", "    target: *galaxy\n");
    writeFileSync(join(dir, IU), aliased);
    expect(runVerb(["proxy", "worker", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.iu.yaml: proxy.target: written as the alias *galaxy; left unchanged; allowed: write the value itself there (target: lappsgrid-galaxy), then run the verb again\n",
    });
    expect(read(dir, IU)).toBe(aliased);
  });
});

describe("an edit after a block scalar keeps its value and the blank line after it", () => {
  const withUserData = (indicator: string) =>
    `      state: active\n    lappsgrid-worker:\n      ip: assign\n      userData: ${indicator}\n        #!/bin/sh\n        echo ready\n`;

  test.each([["|"], ["|-"]])(
    "suspend after `userData: %s` adds state right after its content",
    (indicator) => {
      const { dir, text } = iuWith("      state: active\n", withUserData(indicator));
      expect(runVerb(["suspend", "worker", "--stack", "iu", "--dir", dir]).code).toBe(0);
      expect(read(dir, IU)).toBe(
        text.replace(
          "        echo ready\n\n  # jetstream.lappsgrid.org",
          "        echo ready\n      state: shelved\n\n  # jetstream.lappsgrid.org",
        ),
      );
    },
  );

  test("suspend after `userData: |+` keeps the kept blank line in the value and the gap before the next section", () => {
    const { dir, text } = iuWith("      state: active\n", withUserData("|+"));
    expect(runVerb(["suspend", "worker", "--stack", "iu", "--dir", dir]).code).toBe(0);
    // Under |+ the blank line is part of the value ("#!/bin/sh\necho ready\n\n"): state goes
    // after it, and a blank line after state keeps the gap before the proxy section.
    expect(read(dir, IU)).toBe(
      text.replace(
        "        echo ready\n\n  # jetstream.lappsgrid.org",
        "        echo ready\n\n      state: shelved\n\n  # jetstream.lappsgrid.org",
      ),
    );
    const instances = parse(read(dir, IU)).config["lappsgrid-jetstream:instances"];
    expect(instances["lappsgrid-worker"].userData).toBe("#!/bin/sh\necho ready\n\n");
  });

  test("launch after an instance whose last value is `userData: |+` keeps that value and the gap", () => {
    const { dir, text } = iuWith("      state: active\n", withUserData("|+"));
    expect(runVerb(["launch", "extra", "--stack", "iu", "--dir", dir]).code).toBe(0);
    expect(read(dir, IU)).toBe(
      text.replace(
        "        echo ready\n\n  # jetstream.lappsgrid.org",
        "        echo ready\n\n    lappsgrid-extra:\n      size: medium\n      image: ubuntu\n\n  # jetstream.lappsgrid.org",
      ),
    );
  });
});

describe("a stack file that is not YAML: one line naming the file, the line and what is wrong", () => {
  const duplicate =
    "jetstream: Pulumi.iu.yaml: not valid YAML at line 82, column 5: Map keys must be unique (mode: offline)\n";

  test.each([[["plan"]], [["launch", "worker"]], [["suspend", "galaxy"]]])("%p", (argv) => {
    const { dir, text } = iuWith("    mode: online\n", "    mode: online\n    mode: offline\n");
    expect(runVerb([...argv, "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: duplicate,
    });
    expect(read(dir, IU)).toBe(text);
  });
});

describe("a Pulumi.yaml that is not YAML is named, not skipped (pulumi would refuse the project)", () => {
  test("plan", () => {
    const dir = copyProject();
    const project = `${shipped("Pulumi.yaml")}  broken: [\n`;
    writeFileSync(join(dir, "Pulumi.yaml"), project);
    // The parser reports the unclosed list where the file ends (line 25 of 24); the message, where it opened.
    expect(runVerb(["plan", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "jetstream: Pulumi.yaml: not valid YAML at line 24, column 11: broken: the [ opened here is never closed; allowed: close it with ] (broken: [); fix it first (pulumi refuses the project too)\n",
    });
    expect(read(dir, "Pulumi.yaml")).toBe(project);
  });
});

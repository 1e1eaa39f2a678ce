/**
 * Reading a stack file without the Pulumi CLI: which values reach the program, which file
 * shapes are refused before any value is read, and each refusal's exact line.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  isSecureValue,
  listStacks,
  readStackFile,
  StackConfigError,
  splitStackConfig,
  stackFilePath,
  yamlProblem,
} from "../../config";
import { stackFileShapeProblems } from "../../config/stack-yaml";
import { makeTempDir } from "../../harness/nginx";

const REPO = join(__dirname, "..", "..");

/**
 * readStackFile's refusal as an operator without read permission meets it. Root reads any
 * file through its DAC capabilities, so a test running as root drops them (setpriv) and stays
 * root: the checkout need not be readable by another user.
 */
function messageReadingWithoutPermission(projectDir: string, stack: string): string {
  const script = `require("./bin/ts-hook"); try { require("./config/stack-file").readStackFile(process.argv[1], process.argv[2]); console.log("read"); } catch (e) { console.log(e.message); }`;
  const node = [process.execPath, "-e", script, projectDir, stack];
  const caps = "-dac_override,-dac_read_search";
  const withoutOverride =
    process.getuid?.() === 0 ? ["setpriv", `--inh-caps=${caps}`, `--bounding-set=${caps}`] : [];
  const [command, ...args] = [...withoutOverride, ...node];
  const run = spawnSync(command, args, { cwd: REPO, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`reading without permission failed: ${run.stderr}`);
  return run.stdout.trim();
}

const ROOT_KEYS = "allowed: config, environment, secretsprovider, encryptedkey, encryptionsalt";

/** The problems a StackConfigError carries, or the message of any other error. */
function refusal(call: () => unknown): string[] | string {
  try {
    call();
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    return (error as Error).message;
  }
  throw new Error("accepted");
}

describe("splitStackConfig", () => {
  test("project keys lose their namespace, a bare key is the project's, other namespaces stay as written", () => {
    const text = [
      "secretsprovider: passphrase",
      "config:",
      "  lappsgrid-jetstream:cloud: iu",
      "  sshFrom: 10.0.0.0/8",
      "  openstack:region: IU",
      "  openstack:insecure: 'false'",
      "  lappsgrid-jetstream:proxySshKey:",
      "    secure: v1:abc",
      "",
    ].join("\n");
    expect(splitStackConfig(text, "Pulumi.iu.yaml")).toEqual({
      project: { cloud: "iu", sshFrom: "10.0.0.0/8", proxySshKey: { secure: "v1:abc" } },
      other: { "openstack:region": "IU", "openstack:insecure": "false" },
    });
  });

  test("an empty file or one without config: holds no values", () => {
    expect(splitStackConfig("", "Pulumi.lab.yaml")).toEqual({ project: {}, other: {} });
    expect(splitStackConfig("# nothing yet\n", "Pulumi.lab.yaml")).toEqual({ project: {}, other: {} });
    expect(splitStackConfig("secretsprovider: passphrase\n", "Pulumi.lab.yaml")).toEqual({
      project: {},
      other: {},
    });
  });

  test("a second YAML document is refused with the line it starts on", () => {
    expect(refusal(() => splitStackConfig("config: {}\n---\nconfig: {}\n", "Pulumi.lab.yaml"))).toBe(
      "Pulumi.lab.yaml: not valid YAML: a second document starts at line 2 (---); allowed: one document",
    );
  });

  test("broken YAML names the file's base name, the line, the column and the line's text", () => {
    expect(refusal(() => splitStackConfig("config:\n  a: [1, 2\n", "/some/dir/Pulumi.lab.yaml"))).toBe(
      "Pulumi.lab.yaml: not valid YAML at line 2, column 6: a: the [ opened here is never closed; allowed: close it with ] (a: [1, 2)",
    );
    expect(refusal(() => splitStackConfig("config:\n  a: b: c\n", "Pulumi.lab.yaml"))).toBe(
      "Pulumi.lab.yaml: not valid YAML at line 2, column 6: Nested mappings are not allowed in compact mappings (a: b: c)",
    );
  });

  // The parser reports a quote or flow collection left open where the file ends (or on the next
  // line): the operator needs the line where it opened, and the key it belongs to.
  const instances = (line: string) =>
    `config:\n  lappsgrid-jetstream:instances:\n    lappsgrid-worker:\n${line}\n      image: docker\n    lappsgrid-db:\n      size: small\n`;
  test.each([
    [
      '      size: "m3.small',
      'line 4, column 13: size: the " opened here is never closed; allowed: close it with " (size: "m3.small)',
    ],
    [
      "      size: 'm3.small",
      "line 4, column 13: size: the ' opened here is never closed; allowed: close it with ' (size: 'm3.small)",
    ],
    [
      "      size: {flavor: m3.small",
      "line 4, column 13: size: the { opened here is never closed; allowed: close it with } (size: {flavor: m3.small)",
    ],
    [
      "      size: [m3.small, m3.quad",
      "line 4, column 13: size: the [ opened here is never closed; allowed: close it with ] (size: [m3.small, m3.quad)",
    ],
    [
      '      size: [m3.small, "m3.quad]',
      'line 4, column 24: size: the " opened here is never closed; allowed: close it with " (size: [m3.small, "m3.quad])',
    ],
    [
      '      "size: m3.small',
      'line 4, column 7: lappsgrid-worker: the " opened here is never closed; allowed: close it with " ("size: m3.small)',
    ],
  ])("%s left open is reported where it opened, with its key", (line, where) => {
    expect(refusal(() => splitStackConfig(instances(line), "Pulumi.lab.yaml"))).toBe(
      `Pulumi.lab.yaml: not valid YAML at ${where}`,
    );
  });

  test("a quote closed on a later line is YAML, not an error", () => {
    expect(splitStackConfig("config:\n  a: \"one\n    two\"\n  b: 'it''s'\n", "Pulumi.lab.yaml")).toEqual({
      project: { a: "one two", b: "it's" },
      other: {},
    });
  });

  test("a quote left open in a CRLF file is reported on its line", () => {
    expect(
      refusal(() =>
        splitStackConfig(instances('      size: "m3.small').replace(/\n/g, "\r\n"), "Pulumi.lab.yaml"),
      ),
    ).toBe(
      'Pulumi.lab.yaml: not valid YAML at line 4, column 13: size: the " opened here is never closed; allowed: close it with " (size: "m3.small)',
    );
  });

  // The caller puts the file's name in front ("invalid config in Pulumi.lab.yaml:").
  test("config: that is not a map is refused, saying what it holds and what is allowed", () => {
    expect(refusal(() => splitStackConfig("config: [a, b]\n", "Pulumi.lab.yaml"))).toEqual([
      "config: a list is not allowed; allowed: a map of settings",
    ]);
    expect(refusal(() => splitStackConfig("config: 3\n", "Pulumi.lab.yaml"))).toEqual([
      "config: 3 is not allowed; allowed: a map of settings",
    ]);
  });

  test("a key in an unknown namespace is refused; a null config: holds nothing", () => {
    expect(refusal(() => splitStackConfig("config:\n  lappsgrid:cloud: iu\n", "Pulumi.lab.yaml"))).toEqual([
      'lappsgrid:cloud: unknown config namespace "lappsgrid"; allowed: lappsgrid-jetstream, openstack, command, pulumi',
    ]);
    expect(splitStackConfig("config:\n", "Pulumi.lab.yaml")).toEqual({ project: {}, other: {} });
  });
});

describe("the stack file's shape", () => {
  test.each<[string, string, string[]]>([
    ["a list at the top", "- config\n", ["(top level): expected a map holding config:, got a list"]],
    ["a word at the top", "config\n", ['(top level): expected a map holding config:, got string "config"']],
    ["a number at the top", "42\n", ["(top level): expected a map holding config:, got number 42"]],
    ["an unknown top-level key", "config: {}\nconfg: {}\n", [`confg: unknown top-level key; ${ROOT_KEYS}`]],
    [
      "a numeric instance name",
      "config:\n  lappsgrid-jetstream:instances:\n    123:\n      size: tiny\n",
      [
        'instances.123: YAML reads this key as a number, not a name; allowed: the name in quotes ("123") or another name that YAML reads as text',
      ],
    ],
    [
      "a boolean key",
      "config:\n  true: 1\n",
      [
        'true: YAML reads this key as a boolean, not a name; allowed: the name in quotes ("true") or another name that YAML reads as text',
      ],
    ],
    [
      "a null key",
      "config:\n  ~: 1\n",
      [
        '~: YAML reads this key as null, not a name; allowed: the name in quotes ("~") or another name that YAML reads as text',
      ],
    ],
    [
      "a key YAML 1.1 reads as a boolean",
      "config:\n  lappsgrid-jetstream:instances:\n    yes: {}\n",
      [
        'instances.yes: YAML reads this key as a boolean (YAML 1.1), not a name; allowed: the name in quotes ("yes") or another name that YAML reads as text',
      ],
    ],
    [
      "a key YAML 1.1 reads as a date",
      "config:\n  lappsgrid-jetstream:instances:\n    2026-12-01: {}\n",
      [
        'instances.2026-12-01: YAML reads this key as a date (YAML 1.1), not a name; allowed: the name in quotes ("2026-12-01") or another name that YAML reads as text',
      ],
    ],
    [
      "a numeric key outside config:",
      "environment:\n  1: x\n",
      [
        'environment.1: YAML reads this key as a number, not a name; allowed: the name in quotes ("1") or another name that YAML reads as text',
      ],
    ],
    [
      "a list as a key",
      "config:\n  ? [a]\n  : 1\n",
      [
        '[a]: YAML reads this key as a list or map, not a name; allowed: the name in quotes ("[a]") or another name that YAML reads as text',
      ],
    ],
    [
      "a numeric key inside a list",
      "config:\n  openstack:x:\n    - 1: a\n",
      [
        'openstack:x.0.1: YAML reads this key as a number, not a name; allowed: the name in quotes ("1") or another name that YAML reads as text',
      ],
    ],
  ])("%s is refused in one line", (_, text, problems) => {
    expect(stackFileShapeProblems(text)).toEqual(problems);
    expect(refusal(() => splitStackConfig(text, "Pulumi.lab.yaml"))).toEqual(problems);
  });

  test("quoted names, every root key Pulumi reads and an empty document are fine", () => {
    const text = [
      "secretsprovider: passphrase",
      "encryptedkey: abc",
      "encryptionsalt: def",
      "environment: [lappsgrid]",
      "config:",
      "  lappsgrid-jetstream:instances:",
      '    "123": {}',
      "    'yes': {}",
      "",
    ].join("\n");
    expect(stackFileShapeProblems(text)).toEqual([]);
    expect(stackFileShapeProblems("")).toEqual([]);
    expect(stackFileShapeProblems("~\n")).toEqual([]);
  });
});

describe("stack files on disk", () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir("stack-files");
    mkdirSync(join(dir, "Pulumi.sub.yaml"));
    for (const file of [
      "Pulumi.yaml",
      "Pulumi.tacc.yaml",
      "Pulumi.iu.yml",
      "Pulumi.lab.yaml",
      "notes.yaml",
      "xPulumi.old.yaml",
      "Pulumi.bak.yaml.orig",
    ])
      writeFileSync(join(dir, file), "config:\n  lappsgrid-jetstream:cloud: iu\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("each Pulumi.<stack>.yaml or .yml is one stack, sorted; Pulumi.yaml is the project", () => {
    expect(listStacks(dir)).toStrictEqual(["iu", "lab", "sub", "tacc"]);
  });

  test("a stack file is read with its path, its text and its values", () => {
    expect(readStackFile(dir, "lab")).toEqual({
      path: join(dir, "Pulumi.lab.yaml"),
      text: "config:\n  lappsgrid-jetstream:cloud: iu\n",
      project: { cloud: "iu" },
      other: {},
    });
    expect(stackFilePath("/p", "iu")).toBe("/p/Pulumi.iu.yaml");
  });

  test("a stack without a file is named with the path looked for", () => {
    expect(refusal(() => readStackFile(dir, "nowhere"))).toBe(
      `no stack file for stack "nowhere": ${join(dir, "Pulumi.nowhere.yaml")} does not exist`,
    );
  });

  test("a directory in place of a stack file is named a directory, not a missing file", () => {
    const project = makeTempDir("stack-file-directory");
    mkdirSync(join(project, "Pulumi.lab.yaml"));
    expect(refusal(() => readStackFile(project, "lab"))).toBe(
      `stack file for stack "lab": ${join(project, "Pulumi.lab.yaml")} is a directory, not a stack file; allowed: a YAML file`,
    );
  });

  test("a stack file the operator may not read is named unreadable, with the fix", () => {
    const project = makeTempDir("stack-file-denied");
    const path = join(project, "Pulumi.lab.yaml");
    writeFileSync(path, "config: {}\n", { mode: 0o000 });
    chmodSync(project, 0o755);
    expect(messageReadingWithoutPermission(project, "lab")).toBe(
      `stack file for stack "lab": ${path} cannot be read (permission denied); make it readable (chmod u+r ${path})`,
    );
  });

  test("a cause nobody expects (a symbolic link to itself) is shown as the system gives it", () => {
    const project = makeTempDir("stack-file-loop");
    const path = join(project, "Pulumi.lab.yaml");
    symlinkSync(path, path);
    expect(refusal(() => readStackFile(project, "lab"))).toBe(
      `ELOOP: too many symbolic links encountered, open '${path}'`,
    );
  });
});

test.each<[unknown, boolean]>([
  [{ secure: "v1:abc" }, true],
  [{ secure: 1 }, false],
  [{ secure: "v1:abc", other: 1 }, false],
  [{}, false],
  [null, false],
  ["secure", false],
])("isSecureValue(%j) is %s", (value, expected) => {
  expect(isSecureValue(value)).toBe(expected);
});

test("an error that is not the YAML parser's is shown by its first line", () => {
  expect(yamlProblem(new Error("boom\nsecond line"), "config: {}\n")).toBe(": boom");
});

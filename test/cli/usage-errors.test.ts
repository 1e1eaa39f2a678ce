/**
 * Usage errors (a missing argument, an unknown option or command, a flag given a value, a
 * required option left out) are one line naming what was wrong, what is allowed and where the
 * verb's help is: the whole help after it would push the one line that matters off the screen.
 */
import { copyProject, filesIn, read, runVerb, shipped } from "./support";

const LAUNCH_OPTIONS =
  "--tiny (-t), --small (-s), --medium (-m), --large (-l), --xlarge (-x), --size, --image (-i), --ip, --stack, --dir, --help (-h)";
const COMMANDS =
  "launch, suspend, resume, stop, start, delete, list, ssh, visit, forget, proxy, online, offline, plan, diff, proxy-config, preview, up, drift, openrc, inventory";

describe("usage errors are one line naming the argument or option and what is allowed", () => {
  test.each([
    [
      "a missing NAME",
      ["launch"],
      "jetstream: launch NAME: missing; allowed: instance name, with or without the lappsgrid- prefix (`jetstream launch --help`)",
    ],
    [
      "an unknown option",
      ["launch", "galaxy", "--bogus"],
      `jetstream: launch: unknown option --bogus; allowed: ${LAUNCH_OPTIONS} (\`jetstream launch --help\`)`,
    ],
    [
      "an unknown command",
      ["nosuch"],
      `jetstream: no command "nosuch"; allowed: ${COMMANDS} (\`jetstream --help\`)`,
    ],
    [
      "an option before any command",
      ["--version"],
      "jetstream: unknown option --version; allowed: --help (-h), or a command and then its options (`jetstream --help`)",
    ],
    [
      "a size flag and --size together",
      ["launch", "x", "-t", "--size", "tiny"],
      "jetstream: launch: give one size, not -t and --size tiny; allowed: -t|-s|-m|-l|-x or --size NAME (`jetstream launch --help`)",
    ],
    [
      "two size flags",
      ["launch", "-t", "-l", "x"],
      "jetstream: launch: give one size, not -t and -l; allowed: -t|-s|-m|-l|-x or --size NAME (`jetstream launch --help`)",
    ],
    [
      "a value given to a flag",
      ["plan", "--json=yes"],
      'jetstream: plan: --json takes no value (given "yes"); allowed: --json alone (`jetstream plan --help`)',
    ],
    [
      "a required option left out",
      ["proxy-config"],
      "jetstream: proxy-config: --out <dir>: required, not given; allowed: directory to write site.conf, offline.html and nginx.conf into (`jetstream proxy-config --help`)",
    ],
    [
      "an option without its value",
      ["launch", "x", "--size"],
      "jetstream: launch: --size <name>: no value given; allowed: size by name; allowed: tiny, small, medium, large, xlarge (`jetstream launch --help`)",
    ],
    [
      "a value outside an option's choices",
      ["diff", "--format", "xml"],
      'jetstream: diff: --format: "xml" is not allowed; allowed: text, markdown, json (`jetstream diff --help`)',
    ],
    [
      "one argument too many",
      ["launch", "a", "b"],
      "jetstream: launch: too many arguments (a, b); allowed: NAME (`jetstream launch --help`)",
    ],
    [
      "a mistyped option, with the likely one",
      ["launch", "x", "--stak", "iu"],
      `jetstream: launch: unknown option --stak (did you mean --stack?); allowed: ${LAUNCH_OPTIONS} (\`jetstream launch --help\`)`,
    ],
    [
      "a mistyped command, with the likely one",
      ["lanch", "x"],
      `jetstream: no command "lanch" (did you mean launch?); allowed: ${COMMANDS} (\`jetstream --help\`)`,
    ],
    [
      "an unknown option holding a quote, quoted whole",
      ["launch", "x", "--it's"],
      `jetstream: launch: unknown option --it's; allowed: ${LAUNCH_OPTIONS} (\`jetstream launch --help\`)`,
    ],
    [
      "a choice holding a quote, quoted whole",
      ["diff", "--format", "x'y"],
      'jetstream: diff: --format: "x\'y" is not allowed; allowed: text, markdown, json (`jetstream diff --help`)',
    ],
    [
      "an unknown subcommand",
      ["openrc", "export"],
      'jetstream: openrc: no command "export" (did you mean import?); allowed: import (`jetstream openrc --help`)',
    ],
  ])("%s", (_case, args, message) => {
    const dir = copyProject();
    const before = filesIn(dir);
    expect(runVerb(args, { cwd: dir })).toEqual({
      code: 1,
      stdout: "",
      stderr: `${message}\n`,
    });
    expect(filesIn(dir)).toEqual(before);
    expect(read(dir, "Pulumi.iu.yaml")).toBe(shipped("Pulumi.iu.yaml"));
  });

  test("--help still prints the verb's help on stdout and succeeds", () => {
    const result = runVerb(["launch", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Usage: jetstream launch \[options\] <name>\n/);
  });
});

describe("a bare command group prints its help on stdout and succeeds, as the Pulumi CLI does", () => {
  test.each([
    [[], "Usage: jetstream [options] [command]\n"],
    [["openrc"], "Usage: jetstream openrc [options] [command]\n"],
    [["inventory"], "Usage: jetstream inventory [options] [command]\n"],
  ])("jetstream %j", (args, usage) => {
    const dir = copyProject();
    const result = runVerb(args, { cwd: dir });
    expect({ code: result.code, stderr: result.stderr, usage: result.stdout.split("\n")[0] }).toEqual({
      code: 0,
      stderr: "",
      usage: usage.trimEnd(),
    });
    // The same help as --help asks for.
    expect(result.stdout).toBe(runVerb([...args, "--help"], { cwd: dir }).stdout);
    expect(filesIn(dir)).toEqual(["Pulumi.iu.yaml", "Pulumi.tacc.yaml", "Pulumi.yaml"]);
  });

  test("jetstream help openrc is the group's help too", () => {
    const result = runVerb(["help", "openrc"]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout.split("\n")[0]).toBe("Usage: jetstream openrc [options] [command]");
  });
});

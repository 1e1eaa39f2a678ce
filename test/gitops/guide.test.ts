import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGitopsCli } from "./run-cli";
import { ROOT } from "./workflow-files";

const guide = readFileSync(join(ROOT, "README.md"), "utf8");

/** `jetstream VERB ...` lines of the guide, from code spans and indented blocks. */
function guideCommands(): string[] {
  const spans = [
    ...guide.matchAll(/`((?:npx )?jetstream [^`]+)`/g),
    ...guide.matchAll(/^ +((?:npx )?jetstream .+)$/gm),
  ];
  return spans.map((match) => match[1].replace(/^npx /, "").trim());
}

const help: Record<string, string> = JSON.parse(runGitopsCli(["--help-json"]).stdout);

describe("the operator's guide and `jetstream --help` agree", () => {
  const commands = guideCommands();

  test("the guide shows the verbs of the old script and this issue", () => {
    const verbs = new Set(commands.map((command) => command.split(/\s+/)[1]));
    for (const verb of ["launch", "suspend", "resume", "stop", "start", "delete", "list", "proxy"]) {
      expect(verbs).toContain(verb);
    }
    for (const verb of ["offline", "online", "plan", "diff", "openrc", "drift"])
      expect(verbs).toContain(verb);
  });

  test.each(commands)("%s: the verb exists and takes every option shown", (command) => {
    const words = command.split(/\s+/).slice(1);
    if (words[0].startsWith("<")) return; // `jetstream <verb> ...`: the dispatch form
    const verb = help[`${words[0]} ${words[1]}`] !== undefined ? `${words[0]} ${words[1]}` : words[0];
    if (help[verb] === undefined) {
      // The old script's ssh/visit/forget: the guide must say they are gone and what to use.
      const row = guide.split("\n").find((line) => line.startsWith(`| \`jetstream ${verb}`)) ?? "";
      expect({ verb, row: /\| not carried over +\|/.test(row) }).toEqual({ verb, row: true });
      return;
    }
    for (const option of words.filter((word) => /^--?[a-z]/.test(word))) {
      expect({
        command,
        option,
        known: help[verb].includes(`${option.split("=")[0]} `) || help[verb].includes(`${option},`),
      }).toEqual({
        command,
        option,
        known: true,
      });
    }
  });
});

describe("the guide's offline commands run as written", () => {
  test("openrc import: the settings land in the stack file, the secrets in the instructions only", () => {
    const dir = mkdtempSync(join(tmpdir(), "guide-"));
    copyFileSync(join(ROOT, "test", "fixtures", "openrc", "Pulumi.iu.yaml"), join(dir, "Pulumi.iu.yaml"));
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    const openrc = join(ROOT, "test", "fixtures", "openrc", "app-credential.sh");
    const run = runGitopsCli(["openrc", "import", openrc, "--stack", "iu", "--dir", dir]);
    expect(run.status).toBe(0);
    // The two commands the guide prints for the secrets are the ones the import prints.
    for (const line of [
      "pulumi config set --secret openstack:applicationCredentialId --stack iu",
      "pulumi config set --secret openstack:applicationCredentialSecret --stack iu",
    ]) {
      expect(guide).toContain(`    ${line}\n`);
      expect(run.stdout).toContain(`    ${line}\n`);
    }
  });

  test("drift --event-log: the guide's example explanation is what the command prints", () => {
    const log = join(ROOT, "test", "fixtures", "refresh", "galaxy-shelved.json");
    const run = runGitopsCli(["drift", "--stack", "iu", "--event-log", log]);
    expect(run.stdout).toContain("run `jetstream suspend galaxy --stack iu` to record it");
    expect(guide).toContain("run `jetstream suspend galaxy --stack iu` to\n  record it");
    expect(run.stdout).toContain("or `pulumi up --refresh --stack iu` to make it active again");
    expect(guide).toContain("or `pulumi up --refresh --stack iu` to make it active again");
  });
});

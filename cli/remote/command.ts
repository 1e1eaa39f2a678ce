/**
 * `ssh`, `visit` and `forget`: the old script's ways onto a server. Registration only; each
 * verb's code (and the Automation API behind live outputs) loads when the verb runs: `require`,
 * as in engine/pulumi-cli.ts, because under tsx a dynamic import is a native ES import.
 */
import type { Command } from "commander";
import { ExitStatus } from "../exit-status";
import { refuseEmptyName } from "../name-argument";
import { addStackOptions } from "../stack-file/options";
import type { ForgetOptions } from "./forget";
import type { SshOptions } from "./ssh";
import type { VisitOptions } from "./visit";

const ADDRESS_HELP =
  "the instance's address, instead of the stack's live outputs (those need the Pulumi CLI): [USER@]HOST[:PORT]";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerSsh(program: Command): void {
  addStackOptions(
    program
      .command("ssh")
      .summary("log in to an instance (through the proxy host when it has no public address)")
      .description(
        "Log in to an instance with ssh, or run COMMAND there. The address comes from the stack's live " +
          "outputs (Pulumi CLI) or --address; the user from the image (ubuntu, rocky, centos, almalinux, " +
          "debian, fedora; ubuntu for LAPPS-made images). An instance without a public address is reached " +
          "through the proxy host (ProxyJump). Host keys are checked against --known-hosts, else the project's " +
          "known_hosts, else ~/.ssh/known_hosts; a changed key stops the login (after a rebuild: jetstream forget NAME).",
      )
      .argument("<name>", "instance, with or without the lappsgrid- prefix")
      .argument("[command...]", "after --: the command to run instead of a login shell")
      .option("--address <address>", ADDRESS_HELP)
      .option("--jump <address>", "the jump host, instead of the proxy host: [USER@]HOST[:PORT]")
      .option("--user <user>", "log in as this user instead of the image's")
      .option("-i, --identity <file>", "private key file (repeatable)", collect)
      .option("--known-hosts <file>", "known_hosts file to check host keys against")
      .option("--accept-new", "trust an instance's key on this first connection and record it"),
  ).action(async (name: string, command: string[], options: SshOptions) => {
    refuseEmptyName("ssh", name);
    const { runSsh } = require("./ssh") as typeof import("./ssh");
    const result = await runSsh(name, command, options);
    if (result.code !== 0) throw new ExitStatus(result.code);
  });
}

export function registerVisit(program: Command): void {
  addStackOptions(
    program
      .command("visit")
      .summary("print an instance's URL and open it where a browser exists")
      .description(
        "Print http://ADDRESS[:PORT]/PATH for an instance (its public address from the stack's live outputs, " +
          "or --address; the proxy's domain for the proxy's online target without one) and open it with " +
          "xdg-open when a display is set.",
      )
      .argument("<name>", "instance, with or without the lappsgrid- prefix")
      .argument("[port/path]", "like 8080, 8080/galaxy or /api")
      .option(
        "--address <host>",
        "the instance's address (HOST), instead of the stack's live outputs (those need the Pulumi CLI); " +
          "NAME need not be in the stack then (a warning says so): a server deleted from the file but still running",
      ),
  ).action(async (name: string, portPath: string | undefined, options: VisitOptions) => {
    refuseEmptyName("visit", name);
    const { openUrl, visitUrl } = require("./visit") as typeof import("./visit");
    const { url, warnings } = await visitUrl(name, portPath, options);
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(openUrl(url));
  });
}

export function registerForget(program: Command): void {
  addStackOptions(
    program
      .command("forget")
      .summary("remove an instance's addresses from known_hosts (after a rebuild)")
      .description(
        "Remove the host keys of an instance's addresses (live public and private, or adopted in the stack " +
          "file, or --address) from --known-hosts, else the project's known_hosts, else ~/.ssh/known_hosts. " +
          "NAME may be one already deleted from the stack file (a warning says the stack has no such instance).",
      )
      .argument("<name>", "instance, with or without the lappsgrid- prefix")
      .option("--address <address>", "an address to forget, instead of the stack's (repeatable)", collect)
      .option("--known-hosts <file>", "known_hosts file to clean; it must exist"),
  ).action(async (name: string, options: ForgetOptions) => {
    const { runForget } = require("./forget") as typeof import("./forget");
    const { report, warnings } = await runForget(name, options);
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(report);
  });
}

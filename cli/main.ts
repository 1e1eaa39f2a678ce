/**
 * `jetstream`: the operator's verbs. Each verb lives in its folder, `cli/<verb>/command.ts`, and is
 * registered here; the CLI never builds resources, it edits stack files and evaluates the
 * program offline (or hands over to the Pulumi CLI).
 */
import { Command, CommanderError, type Option } from "commander";
import { registerDelete } from "./delete/command";
import { registerDiff } from "./diff/command";
import { registerDrift } from "./drift/command";
import { errorReport } from "./error-report";
import { ExitStatus } from "./exit-status";
import { registerInventory } from "./inventory/command";
import { registerLaunch } from "./launch/command";
import { registerResume, registerStart, registerStop, registerSuspend } from "./lifecycle/command";
import { registerList } from "./list/command";
import { registerOpenrc } from "./openrc/command";
import { registerPlan } from "./plan/command";
import { registerPreview, registerUp } from "./preview-up/command";
import { escapeUnshown, holdsUnshown } from "./printable";
import { registerOffline, registerOnline, registerProxy } from "./proxy/command";
import { registerProxyConfig } from "./proxy/config-command";
import { registerForget, registerSsh, registerVisit } from "./remote/command";
import type { EditDeps } from "./stack-file/edit-flow";
import { oneLineUsageErrors, UsageError } from "./usage-error";

/** @param editDeps how edits evaluate and report; tests of the file edit alone skip the evaluation */
export function buildProgram(editDeps: EditDeps = {}): Command {
  const program = new Command("jetstream")
    .description(
      "Operate the LAPPS Grid's Jetstream2 stacks. Every verb edits Pulumi.<stack>.yaml (review it, commit it); " +
        "`plan` and `diff` evaluate it offline; `pulumi preview/up --stack S` (or `jetstream preview/up`) apply it.",
    )
    .exitOverride();
  // In the order of the old script's help, then the new offline and pipeline verbs.
  registerLaunch(program, editDeps);
  registerSuspend(program, editDeps);
  registerResume(program, editDeps);
  registerStop(program, editDeps);
  registerStart(program, editDeps);
  registerDelete(program, editDeps);
  registerList(program);
  registerSsh(program);
  registerVisit(program);
  registerForget(program);
  registerProxy(program, editDeps);
  registerOnline(program, editDeps);
  registerOffline(program, editDeps);
  registerPlan(program);
  registerDiff(program, editDeps);
  registerProxyConfig(program);
  registerPreview(program);
  registerUp(program);
  registerDrift(program);
  registerOpenrc(program);
  registerInventory(program);
  oneLineUsageErrors(program);
  return program;
}

/** The command `args` name (`openrc import` included), or undefined. */
function commandOf(program: Command, args: string[]): Command | undefined {
  let command = program.commands.find((candidate) => candidate.name() === args[0]);
  const sub = command?.commands.find((candidate) => candidate.name() === args[1]);
  if (sub !== undefined) command = sub;
  return command;
}

/**
 * `-tt` as commander reads it: several one-letter flags that take no value, each on its own.
 * Anything else is returned as it is.
 */
function splitShortFlags(arg: string, options: readonly Option[]): string[] {
  if (!/^-[A-Za-z]{2,}$/.test(arg)) return [arg];
  const flags = [...arg.slice(1)].map((letter) => `-${letter}`);
  const isFlag = (flag: string) =>
    options.some((option) => option.short === flag && !option.required && !option.optional);
  return flags.every(isFlag) ? flags : [arg];
}

/**
 * An option given twice: commander keeps the last value silently, so `--stack iu --stack tacc`
 * would edit tacc; a flag given twice (`-t -t`) is refused the same way, as the slip it is.
 * Arguments after `--` belong to a remote command.
 */
function repeatedOption(program: Command, args: string[]): string | undefined {
  // An option with its own parser collects repetitions on purpose (`--identity`, `--address`).
  const options = (commandOf(program, args)?.options ?? []).filter((option) => option.parseArg === undefined);
  const given = new Map<Option, string[]>();
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  const words = args.slice(0, end).flatMap((arg) => splitShortFlags(arg, options));
  for (let index = 0; index < words.length; index++) {
    const [flag, inline] = words[index].split(/=(.*)/s);
    const option = options.find((candidate) => flag === candidate.long || flag === candidate.short);
    if (option === undefined) continue;
    const takesValue = option.required || option.optional;
    // A value is shown for an option that takes one, the flag as written for one that does not.
    const value = takesValue ? (inline ?? words[index + 1] ?? "") : flag;
    given.set(option, [...(given.get(option) ?? []), value]);
    if (takesValue && inline === undefined) index++;
  }
  for (const [option, values] of given) {
    if (values.length > 1) {
      const times = values.length === 2 ? "twice" : `${values.length} times`;
      return `${option.long ?? option.short}: given ${times} (${values.join(", ")}); allowed: once`;
    }
  }
  return undefined;
}

/**
 * `--dir "$PROJECT"` with PROJECT unset: resolved, "" is the current folder, so a verb run from
 * inside another checkout would edit that checkout's stack files. Refused as the unset value it is.
 */
function emptyDir(args: string[]): boolean {
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  return args
    .slice(0, end)
    .some((arg, index) => arg === "--dir=" || (arg === "--dir" && args[index + 1] === ""));
}

/** `jetstream` alone, or a group of commands (`openrc`, `inventory`) without one of them. */
function bareGroup(program: Command, args: string[]): Command | undefined {
  if (args.length === 0) return program;
  const command = program.commands.find((candidate) => candidate.name() === args[0]);
  return args.length === 1 && command !== undefined && command.commands.length > 0 ? command : undefined;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[], editDeps: EditDeps = {}): Promise<number> {
  const program = buildProgram(editDeps);
  // A value with a line break would be spliced into the stack file as broken YAML, and reported
  // as the file's fault: refuse it as the argument it is.
  const multiLine = argv.slice(2).find(holdsUnshown);
  if (multiLine !== undefined) {
    console.error(
      `jetstream: argument ${escapeUnshown(JSON.stringify(multiLine))}: holds a line break, a control character or an invisible formatting character; allowed: one line of printable text`,
    );
    return 1;
  }
  const repeated = repeatedOption(program, argv.slice(2));
  if (repeated !== undefined) {
    console.error(`jetstream: ${repeated}`);
    return 1;
  }
  if (emptyDir(argv.slice(2))) {
    console.error(
      "jetstream: --dir: an empty value (an unset shell variable?); allowed: the project folder (where Pulumi.yaml is)",
    );
    return 1;
  }
  const group = bareGroup(program, argv.slice(2));
  if (group !== undefined) {
    // As `pulumi` and `pulumi config` do (cobra): asking for a group is asking what it holds.
    process.stdout.write(group.helpInformation());
    return 0;
  }
  const [verb, topic] = argv.slice(2);
  const commands = program.commands.map((command) => command.name());
  if (verb === "help" && topic !== undefined && !commands.includes(topic)) {
    // Commander would print the general help and exit 0, as if the topic existed.
    console.error(`jetstream: help: no command ${JSON.stringify(topic)}; allowed: ${commands.join(", ")}`);
    return 1;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(escapeUnshown(error.message));
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    if (error instanceof ExitStatus) return error.code;
    console.error(escapeUnshown(errorReport(error)));
    return 1;
  }
}

/**
 * Commander's usage errors (`error: unknown option '--bogus'` followed by the whole help) as one
 * line in the CLI's own voice: which argument or option, what is allowed, and where the verb's
 * help is. The help after the error pushed the one line that matters off the screen.
 */
import { type Command, CommanderError, type Option } from "commander";

/** A usage error already worded for the operator; main prints its message and exits with its code. */
export class UsageError extends CommanderError {}

/** What commander raises without it being an error: help and version output. */
const NOT_ERRORS = new Set(["commander.help", "commander.helpDisplayed", "commander.version"]);

/** `jetstream launch`, `jetstream openrc import`: how the operator calls the command. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at !== null; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

/** `--tiny (-t)`: the long name first, as the help lists it, the short one in brackets. */
function optionName(option: Option): string {
  if (option.long === undefined) return option.short ?? option.flags;
  return option.short === undefined ? option.long : `${option.long} (${option.short})`;
}

function findOption(command: Command, flag: string): Option | undefined {
  return command.options.find((option) => option.long === flag || option.short === flag);
}

/**
 * The pieces of commander's message: `error: unknown option '--it's'` quotes what was written
 * as it is, so a value is matched up to the quote before the fixed text after it, never to the
 * first quote. Each pattern is commander 15's wording (node_modules/commander/lib/command.js).
 */
const WORDINGS = {
  argument: /^error: missing required argument '(.*)'$/s,
  option: /^error: (?:option|required option) '([^']*)' (?:argument missing|not specified)$/s,
  unknownOption: /^error: unknown option '(.*)'(?:\n\(Did you mean (.*)\?\))?$/s,
  unknownCommand: /^error: unknown command '(.*)'(?:\n\(Did you mean (.*)\?\))?$/s,
  choice: /^error: option '([^']*)' argument '(.*)' is invalid\./s,
};

/** Commander's suggestion of the nearest name, as ` (did you mean --stack?)`. */
function didYouMean(nearest: string | undefined): string {
  return nearest === undefined ? "" : ` (did you mean ${nearest}?)`;
}

/** What the command accepts where `error` found something else. */
function explain(command: Command, error: CommanderError): string {
  const verb = command.parent === null ? "" : commandPath(command).replace(/^jetstream /, "");
  const at = verb === "" ? "" : `${verb}: `;
  const message = error.message.replace(/^error: /, "");
  switch (error.code) {
    case "commander.missingArgument": {
      const name = WORDINGS.argument.exec(error.message)?.[1] ?? "";
      const argument = command.registeredArguments.find((candidate) => candidate.name() === name);
      return `${verb} ${name.toUpperCase()}: missing; allowed: ${argument?.description ?? name}`;
    }
    case "commander.excessArguments": {
      const given = command.args;
      const allowed = command.registeredArguments.map((argument) => argument.name().toUpperCase());
      return `${at}too many arguments (${given.join(", ")}); allowed: ${allowed.join(" ") || "none"}`;
    }
    case "commander.unknownCommand": {
      const [, written, nearest] = WORDINGS.unknownCommand.exec(error.message) ?? [];
      const commands = command.commands.map((candidate) => candidate.name());
      return `${at}no command ${JSON.stringify(written ?? "")}${didYouMean(nearest)}; allowed: ${commands.join(", ")}`;
    }
    case "commander.unknownOption": {
      const [, written = "", nearest] = WORDINGS.unknownOption.exec(error.message) ?? [];
      const [flag, value] = written.split(/=(.*)/s);
      const option = findOption(command, flag);
      if (value !== undefined && option !== undefined && !option.required && !option.optional) {
        return `${at}${flag} takes no value (given ${JSON.stringify(value)}); allowed: ${flag} alone`;
      }
      // Commander's own help option, on every command and not among command.options.
      const help = "--help (-h)";
      if (command.parent === null) {
        return `unknown option ${written}${didYouMean(nearest)}; allowed: ${help}, or a command and then its options`;
      }
      const names = [...command.options.map(optionName), help];
      return `${at}unknown option ${written}${didYouMean(nearest)}; allowed: ${names.join(", ")}`;
    }
    case "commander.optionMissingArgument":
    case "commander.missingMandatoryOptionValue": {
      const flags = WORDINGS.option.exec(error.message)?.[1] ?? "";
      const option = command.options.find((candidate) => candidate.flags === flags);
      const problem =
        error.code === "commander.optionMissingArgument" ? "no value given" : "required, not given";
      return `${at}${flags}: ${problem}; allowed: ${option?.description ?? "a value"}`;
    }
    case "commander.invalidArgument": {
      const [, flags, given = ""] = WORDINGS.choice.exec(error.message) ?? [];
      const option = command.options.find((candidate) => candidate.flags === flags);
      if (option?.argChoices !== undefined) {
        const value = JSON.stringify(given);
        return `${at}${option.long ?? option.flags}: ${value} is not allowed; allowed: ${option.argChoices.join(", ")}`;
      }
      return `${at}${message}`;
    }
    default:
      return `${at}${message}`;
  }
}

/**
 * Makes every command of `program` raise its usage errors as a {@link UsageError} (one line, the
 * verb's `--help` named) instead of printing commander's message and help.
 */
export function oneLineUsageErrors(program: Command): void {
  const commands = [program];
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index];
    commands.push(...command.commands);
    command.configureOutput({ outputError: () => undefined }).exitOverride((error) => {
      if (NOT_ERRORS.has(error.code)) throw error;
      const help = `\`${commandPath(command)} --help\``;
      throw new UsageError(error.exitCode, error.code, `jetstream: ${explain(command, error)} (${help})`);
    });
  }
}

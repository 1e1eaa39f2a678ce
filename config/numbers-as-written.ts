/**
 * Numbers as the operator wrote them. YAML reads `1e400` as Infinity, `0x10` as 16 and `1e3` as
 * 1000 before any check sees the value, so a refusal would name a value the file does not
 * hold (`.inf is not a size`). The reader records each number whose text differs from how a
 * message would show it, by key path, and the refusal puts the file's text back.
 */
import { isMap, isScalar, isSeq } from "yaml";
import { written } from "./schema";

interface AsWritten {
  shown: string;
  source: string;
}

/** Key path (`quotas.routers`) -> the number as a message shows it and as the file writes it. */
export type NumbersAsWritten = Map<string, AsWritten>;

/** The numbers under `node` (a YAML node at key path `path`) whose text in the file differs. */
export function numbersAsWrittenIn(node: unknown, path = ""): NumbersAsWritten {
  const numbers: NumbersAsWritten = new Map();
  const at = (parent: string, key: string | number) => (parent === "" ? String(key) : `${parent}.${key}`);
  const walk = (where: string, value: unknown): void => {
    if (isScalar(value) && typeof value.value === "number" && value.source !== undefined) {
      const shown = written(value.value);
      if (shown !== value.source) numbers.set(where, { shown, source: value.source });
    } else if (isMap(value)) {
      for (const pair of value.items) {
        if (isScalar(pair.key)) walk(at(where, String(pair.key.value)), pair.value);
      }
    } else if (isSeq(value)) {
      for (const [index, item] of value.items.entries()) walk(at(where, index), item);
    }
  };
  walk(path, node);
  return numbers;
}

/** `path: message` lines with each number at that path shown as written; others unchanged. */
export function showNumbersAsWritten(numbers: NumbersAsWritten, problems: string[]): string[] {
  return problems.map((problem) => {
    const separator = problem.indexOf(": ");
    const number = separator < 0 ? undefined : numbers.get(problem.slice(0, separator));
    if (number === undefined) return problem;
    const message = problem.slice(separator + 2);
    return `${problem.slice(0, separator)}: ${message.replace(number.shown, number.source)}`;
  });
}

/** Per project values object (splitStackConfig's `project`): its numbers as written. */
const recorded = new WeakMap<object, NumbersAsWritten>();

/** Records the numbers of one setting's value (`node`) for the project values `project`. */
export function recordNumbers(project: object, setting: string, node: unknown): void {
  const numbers = numbersAsWrittenIn(node, setting);
  if (numbers.size === 0) return;
  recorded.set(project, new Map([...(recorded.get(project) ?? []), ...numbers]));
}

/**
 * `to` names numbers as `from` does: `to` is `from` with values added that no stack file wrote
 * (Pulumi.yaml's defaults, which the engine adds), so the file's numbers are still its own.
 */
export function keepNumbersAsWritten(from: object, to: object): void {
  const numbers = recorded.get(from);
  if (numbers !== undefined) recorded.set(to, numbers);
}

/** The problems of validating `project`, each recorded number shown as written. */
export function withNumbersAsWritten(project: object, problems: string[]): string[] {
  const numbers = recorded.get(project);
  return numbers === undefined ? problems : showNumbersAsWritten(numbers, problems);
}

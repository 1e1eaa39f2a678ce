/**
 * Numbers as the operator wrote them. YAML reads `1e400` as Infinity, `0x10` as 16 and `1e3` as
 * 1000 before any check sees the value, so a refusal would name a value the file does not
 * hold (`.inf is not a size`). The reader records each number whose text differs from how a
 * message would show it, by key path, and the refusal puts the file's text back.
 */
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { written } from "./schema";

interface AsWritten {
  shown: string;
  source: string;
}

/** Per project values object (splitStackConfig's `project`): key path -> the number's two forms. */
const recorded = new WeakMap<object, Map<string, AsWritten>>();

/** Records the numbers under `node` (a setting's value) whose text in the file differs. */
export function recordNumbers(project: object, path: string, node: unknown): void {
  const numbers = recorded.get(project) ?? new Map<string, AsWritten>();
  const walk = (at: string, value: unknown): void => {
    if (isScalar(value) && typeof value.value === "number" && value.source !== undefined) {
      const shown = written(value.value);
      if (shown !== value.source) numbers.set(at, { shown, source: value.source });
    } else if (isMap(value)) {
      for (const pair of value.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined) walk(`${at}.${key}`, pair.value);
      }
    } else if (isSeq(value)) {
      for (const [index, item] of value.items.entries()) walk(`${at}.${index}`, item);
    }
  };
  walk(path, node as Node);
  if (numbers.size > 0) recorded.set(project, numbers);
}

/** `path: message` lines with each recorded number shown as written; others unchanged. */
export function withNumbersAsWritten(project: object, problems: string[]): string[] {
  const numbers = recorded.get(project);
  if (numbers === undefined) return problems;
  return problems.map((problem) => {
    const separator = problem.indexOf(": ");
    const number = separator < 0 ? undefined : numbers.get(problem.slice(0, separator));
    if (number === undefined) return problem;
    const message = problem.slice(separator + 2);
    return `${problem.slice(0, separator)}: ${message.replace(number.shown, number.source)}`;
  });
}

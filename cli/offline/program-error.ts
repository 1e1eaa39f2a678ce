/**
 * The program's own words from a failed offline evaluation. The evaluation runs in a child
 * process; when the program throws inside an `apply`, Node prints the whole error object
 * (source excerpt, stack, the resource tree: hundreds of lines) where the message should be.
 * An operator needs the message only.
 */

/** Lines of a Node crash report or a stack trace: where the message has ended. */
const TRACE_LINE = [
  /^(?:file:\/\/)?\/\S+:\d+$/, // /work/main/components/proxy/index.ts:106
  /^\s*\^+\s*$/, // the caret under the source excerpt
  /^\s+at .*(?::\d+:\d+\)?|\(native\)|\(<anonymous>\))$/, // a stack frame
  /^<ref \*\d+> /,
  /^Node\.js v\d/,
  /^\s*$/,
];

/** `<ref *1> ProxySiteError: upstream host: ...`: the error line of Node's crash report. */
const ERROR_LINE = /^(?:<ref \*\d+> )?(?:[A-Z]\w*)?Error(?: \[\w+\])?: (.+)$/;

/** Pulumi's wrapping of an error thrown while it serialised an input: says where, not what. */
const SERIALIZING = /^(?:error serializing property "[^"]*": )+/;

/**
 * The engine's wrapping of a resource the cloud refused (@pulumi/pulumi runtime/resource.js):
 * the type says nothing the operator acts on, and the refusal names the resource itself.
 */
const REGISTERING = /^failed to register new resource (\S+) \[[^\]]*\]: /;

function unwrapRegistration(line: string): string {
  const match = REGISTERING.exec(line);
  if (match === null) return line;
  const [wrapping, name] = match;
  const refusal = line.slice(wrapping.length);
  return refusal.startsWith(`${name}: `) ? refusal : `${name}: ${refusal}`;
}

/**
 * A crash report's error line may be followed by the error object's fields: a few lines of it
 * at most. The worker's own message is whole (an invalid stack lists every problem).
 */
const MAX_CRASH_LINES = 5;

function isTrace(line: string): boolean {
  return TRACE_LINE.some((pattern) => pattern.test(line));
}

/** The first meaningful line(s) of an evaluation's error output, never a stack trace. */
export function programErrorMessage(output: string): string {
  const lines = output.replace(/\r/g, "").split("\n");
  // The worker writes the message first; a crash report starts with the source location.
  let message: string[] = [];
  for (const line of lines) {
    if (isTrace(line)) break;
    message.push(line);
  }
  if (message.length === 0) {
    const index = lines.findIndex((line) => ERROR_LINE.test(line));
    if (index >= 0) {
      message = [(ERROR_LINE.exec(lines[index]) as RegExpExecArray)[1]];
      for (const line of lines.slice(index + 1)) {
        if (isTrace(line)) break;
        message.push(line);
      }
      message = message.slice(0, MAX_CRASH_LINES);
    }
  }
  const cleaned = message
    .map((line) => line.replace(/^(?:[A-Z]\w*)?Error: /, "").replace(SERIALIZING, ""))
    .map((line) => unwrapRegistration(line).trimEnd());
  return cleaned.join("\n") || "the offline evaluation failed without a message";
}

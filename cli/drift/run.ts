/**
 * `jetstream drift --stack S`: `pulumi refresh --preview-only` through the Automation API, then
 * what changed outside Pulumi and what to do about it. Reads nothing into the state: a preview.
 */
import { readFileSync } from "node:fs";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { PROJECT } from "../../config/defaults";
import { unreadableFile } from "../../config/stack-file";
import { selectEngineStack } from "../engine/pulumi-cli";
import { selectStack } from "../stack-file/select";
import { countCheckedResources, explainDrift, renderDriftReport, unreadableServers } from "./explain";
import { sitesServed } from "./site-targets";

export interface DriftOptions {
  stack?: string;
  dir?: string;
  json?: boolean;
  failOnDrift?: boolean;
  eventLog?: string;
}

const EVENT_LOG_ALLOWED = "allowed: the file `pulumi refresh --preview-only --event-log FILE` writes";

/** An event log as `pulumi refresh --preview-only --event-log FILE` writes it: one JSON event a line. */
function readEventLog(text: string, fileName: string): EngineEvent[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed) as EngineEvent[];
    } catch {
      throw new Error(
        `--event-log ${fileName}: not a JSON array of engine events (cut off or damaged); ${EVENT_LOG_ALLOWED}`,
      );
    }
  }
  // Numbered as in the file, blank lines counted, so an editor's line number finds it.
  return text.split("\n").flatMap((line, index) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as EngineEvent];
    } catch {
      throw new Error(
        `--event-log ${fileName}: line ${index + 1} is not JSON; allowed: one JSON engine event per line, the file \`pulumi refresh --preview-only --event-log FILE\` writes`,
      );
    }
  });
}

/** The engine colours its diagnostics; the message is shown plain. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

function readEventLogFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new Error(
      `--event-log ${path}: ${unreadableFile(error, "an event log") ?? `cannot be read (${code})`}`,
    );
  }
}

/**
 * Two runs appended to one file: the later run's events for a resource would be read over the
 * earlier's, so drift the first one saw can vanish (and `--fail-on-drift` pass).
 */
function refuseJoinedRuns(events: EngineEvent[], path: string): void {
  const preludes = events.filter((event) => event.preludeEvent !== undefined).length;
  const summaries = events.filter((event) => event.summaryEvent !== undefined).length;
  const runs = Math.max(preludes, summaries);
  if (runs <= 1) return;
  throw new Error(
    `--event-log ${path}: holds ${runs} refreshes (${preludes} prelude events, ${summaries} summary events), not one; ` +
      "allowed: the log of one `pulumi refresh --preview-only --event-log FILE` run; record it again into a new file",
  );
}

/**
 * A log of another stack would be explained with this stack's names in every remedy (`jetstream
 * suspend galaxy --stack tacc` for IU's Galaxy): the URNs (`urn:pulumi:STACK::PROJECT::...`) say
 * whose refresh it is.
 */
function refuseOtherStack(events: EngineEvent[], stack: string, path: string): void {
  for (const event of events) {
    const metadata =
      event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata;
    const urn = metadata?.urn ?? event.diagnosticEvent?.urn ?? "";
    const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    if (match === null) continue;
    const [prefix, logStack, logProject] = match;
    if (logStack === stack && logProject === PROJECT) continue;
    const records =
      logProject === PROJECT
        ? `records stack ${logStack} (its URNs start ${prefix}), not ${stack}`
        : `records project ${logProject}'s stack ${logStack} (its URNs start ${prefix}), not ${PROJECT}'s ${stack}`;
    throw new Error(
      `--event-log ${path}: ${records}; allowed: a log of stack ${stack}, from \`pulumi refresh --preview-only --stack ${stack} --event-log FILE\``,
    );
  }
}

/**
 * A log that holds nothing, stops before the refresh finished, or records a failed refresh
 * says nothing about drift: reporting "No drift" from it would hide the failure from a
 * scheduled pipeline. Servers the provider cannot read are drift, and explained.
 */
function refuseIncompleteLog(events: EngineEvent[], stack: string, path: string): void {
  if (events.length === 0)
    throw new Error(`--event-log ${path}: holds no engine events; ${EVENT_LOG_ALLOWED}`);
  refuseJoinedRuns(events, path);
  refuseOtherStack(events, stack, path);
  const explained = unreadableServers(events, stack).length > 0;
  const failure = events.find((event) => event.diagnosticEvent?.severity === "error");
  if (failure !== undefined && !explained) {
    const message = (failure.diagnosticEvent?.message ?? "").replace(ANSI_COLOUR, "").trim().split("\n")[0];
    throw new Error(
      `--event-log ${path}: the refresh failed, so it cannot tell whether anything drifted: ${message}`,
    );
  }
  if (!events.some((event) => event.summaryEvent !== undefined)) {
    throw new Error(
      `--event-log ${path}: the refresh did not finish (no summary event), so it cannot tell whether anything drifted; record it again`,
    );
  }
}

async function refreshEvents(projectDir: string, stack: string): Promise<EngineEvent[]> {
  const pulumiStack = await selectEngineStack(projectDir, stack, "drift");
  const events: EngineEvent[] = [];
  try {
    await pulumiStack.previewRefresh({ onEvent: (event) => events.push(event) });
  } catch (error) {
    // A server suspended in the web UI fails the provider's read and so the whole refresh: its
    // error event is the drift to explain, not a crash. Any other failure is pulumi's to report.
    if (unreadableServers(events, stack).length === 0) throw error;
  }
  return events;
}

export async function runDrift(options: DriftOptions): Promise<{ report: string; drifted: number }> {
  const { projectDir, stack } = selectStack(options);
  let events: EngineEvent[];
  // `--event-log "$LOG"` with LOG unset must not quietly run the real refresh instead.
  if (options.eventLog === "") {
    throw new Error(`--event-log: an empty value (an unset shell variable?); ${EVENT_LOG_ALLOWED}`);
  }
  if (options.eventLog !== undefined) {
    events = readEventLog(readEventLogFile(options.eventLog), options.eventLog);
    refuseIncompleteLog(events, stack, options.eventLog);
  } else {
    events = await refreshEvents(projectDir, stack);
  }
  const findings = explainDrift(events, stack, sitesServed(projectDir, stack));
  const report = options.json
    ? JSON.stringify({ stack, findings }, null, 2)
    : renderDriftReport(findings, stack, countCheckedResources(events));
  return { report, drifted: findings.length };
}

/** `--fail-on-drift`'s exit code when something drifted; any failure of the check itself exits 1. */
export const DRIFT_EXIT_CODE = 3;

/**
 * list: the instances of a stack with what an operator asks first: how big, which image, is it
 * running, where does it answer, and what does it burn per hour. From the stack file (what
 * `pulumi up` will make), or from the stack's real outputs (what the last `up` made).
 */
import { suBurnPerHour } from "../../config";
import { alignColumns } from "../columns";
import { currentConfig, type StackText } from "../stack-file/text";

export interface InstanceRow {
  name: string;
  size: string;
  image: string;
  state: string;
  /** From the file: `assign`, the adopted address, or `none`; live: the address itself. */
  publicAddress: string;
  suPerHour: number;
}

export interface InstanceList {
  stack: string;
  source: "stack file" | "live outputs";
  instances: InstanceRow[];
  suPerHour: number;
}

function total(rows: InstanceRow[]): number {
  return rows.reduce((sum, row) => sum + row.suPerHour, 0);
}

export function listFromStackFile(file: StackText): InstanceList {
  const config = currentConfig(file);
  const instances = config.instances.map((instance) => ({
    name: instance.name,
    size: instance.size,
    image: instance.imageAlias,
    state: instance.state,
    publicAddress: instance.ip.kind === "adopt" ? instance.ip.address : instance.ip.kind,
    suPerHour: suBurnPerHour(instance),
  }));
  return { stack: file.stack, source: "stack file", instances, suPerHour: total(instances) };
}

interface LiveInstance {
  name?: string;
  size?: string;
  state?: string;
  publicIp?: string;
  suPerHour?: number;
}

/**
 * Rows from the stack's `instances` output (index.ts). Outputs carry no image alias, so it is
 * taken from the stack file when the instance is still there.
 */
export function listFromOutputs(
  stack: string,
  outputs: Record<string, unknown>,
  file?: StackText,
): InstanceList {
  const fromFile = new Map((file ? listFromStackFile(file).instances : []).map((row) => [row.name, row]));
  const live = (outputs.instances ?? {}) as Record<string, LiveInstance>;
  const instances = Object.entries(live)
    .map(([name, value]) => ({
      name,
      size: value.size ?? "?",
      image: fromFile.get(name)?.image ?? "?",
      state: value.state ?? "?",
      publicAddress: value.publicIp ?? "none",
      suPerHour: value.suPerHour ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { stack, source: "live outputs", instances, suPerHour: total(instances) };
}

export function formatInstanceList(list: InstanceList): string {
  const header = ["NAME", "SIZE", "IMAGE", "STATE", "PUBLIC ADDRESS", "SU/HOUR"];
  const rows = list.instances.map((row) => [
    row.name,
    row.size,
    row.image,
    row.state,
    row.publicAddress,
    String(row.suPerHour),
  ]);
  const [heading, ...lines] = alignColumns([header, ...rows]);
  const body = lines.length > 0 ? lines : ["(no instances)"];
  return `${[`Stack ${list.stack} (${list.source}):`, heading, ...body, `Total: ${list.suPerHour} SU/hour, ${list.suPerHour * 24} SU/day`].join("\n")}\n`;
}

/** Jetstream2 service units: what an instance costs while it sits in its state. */
import { SU_RATE } from "./defaults";
import type { InstanceConfig } from "./types";

export function suBurnPerHour(instance: Pick<InstanceConfig, "flavor" | "state">): number {
  return instance.flavor.vcpus * SU_RATE[instance.state];
}

export function stackSuBurn(instances: InstanceConfig[]): { perHour: number; perDay: number } {
  const perHour = instances.reduce((sum, instance) => sum + suBurnPerHour(instance), 0);
  return { perHour, perDay: perHour * 24 };
}

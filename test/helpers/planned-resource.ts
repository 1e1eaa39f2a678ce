/** A resource as an offline evaluation records it, for tests that build evaluations by hand. */
import type { PlannedResource } from "../../cli/offline/evaluation";

/** `resource(name, type, inputs, extra)` for the given stack: a custom resource at the top, no options. */
export function resourceIn(stack: string) {
  return (
    name: string,
    type: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResource> = {},
  ): PlannedResource => ({
    urn: `urn:pulumi:${stack}::lappsgrid-jetstream::${type}::${name}`,
    type,
    name,
    parent: "",
    custom: true,
    inputs,
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    ...extra,
  });
}

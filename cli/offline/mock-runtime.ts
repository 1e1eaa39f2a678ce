/**
 * Pulumi's mock runtime, set up as the engine would start the program: the stack's config
 * (secrets marked), the project and stack names, and every resource and data source answered by
 * the offline cloud, each registration recorded.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../config/defaults";
import type { MockCloud } from "./mock-cloud";
import type { ResourceRecorder } from "./recorder";

export interface MockRuntime {
  stack: string;
  /** `ns:key` -> value as text, as the engine passes config. */
  config: Record<string, string>;
  secretKeys: string[];
  cloud: MockCloud;
  recorder: ResourceRecorder;
}

export async function installMockRuntime(runtime: MockRuntime): Promise<void> {
  const { cloud, recorder } = runtime;
  pulumi.runtime.setAllConfig(runtime.config, runtime.secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const result = cloud.newResource({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          id: args.id,
        });
        recorder.registered({ ...args, custom: args.custom === true }, result.id);
        return result;
      },
      call: (args) => cloud.call(args.token, args.inputs),
    },
    PROJECT,
    runtime.stack,
    false,
    "organization",
  );
}

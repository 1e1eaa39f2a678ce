/**
 * What the engine sees of each resource and Pulumi's mocks never get (protect, import,
 * ignoreChanges, deleteBeforeReplace, dependsOn, the parent chain): taken by a stack
 * transformation as the program declares the resource, completed with its inputs and ID when
 * the mock runtime registers it.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../config/defaults";
import type { PlannedResource } from "./evaluation";

/** Placeholder for a `secure:` value: offline there is no key to decrypt it, and no need. */
export const SECRET_PLACEHOLDER = "[secret]";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A value with every secret the runtime carries replaced by the placeholder. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    if (SECRET_SIG in value) return SECRET_PLACEHOLDER;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

function urnOf(stack: string, typeChain: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${typeChain}::${name}`;
}

interface Chain {
  typeChain: string;
  urn: string;
}

/**
 * `dependsOn` as the program declared it, as URNs. Only resources given directly are known
 * here; one passed as an Output or a promise resolves too late for the transformation.
 */
function dependencyUrns(
  dependsOn: pulumi.ResourceOptions["dependsOn"],
  chains: WeakMap<pulumi.Resource, Chain>,
) {
  if (dependsOn === undefined) return [];
  const given: unknown[] = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  return given.flatMap((resource) => {
    if (!pulumi.Resource.isInstance(resource)) return [];
    const chain = chains.get(resource);
    return chain === undefined ? [] : [chain.urn];
  });
}

export class ResourceRecorder {
  private readonly records = new Map<string, PlannedResource>();
  private readonly chains = new WeakMap<pulumi.Resource, Chain>();

  constructor(private readonly stack: string) {}

  /** The stack transformation: records a resource as the program declares it, options and all. */
  readonly declared = (args: pulumi.ResourceTransformationArgs): undefined => {
    const parent = args.opts.parent;
    const parentChain = parent ? this.chains.get(parent) : undefined;
    const typeChain = parentChain ? `${parentChain.typeChain}$${args.type}` : args.type;
    const urn = urnOf(this.stack, typeChain, args.name);
    this.chains.set(args.resource, { typeChain, urn });
    const opts = args.opts as pulumi.CustomResourceOptions;
    this.records.set(`${args.type}::${args.name}`, {
      urn,
      type: args.type,
      name: args.name,
      parent: parentChain?.urn ?? "",
      // Known once the resource registers; the constructor has not finished at this point.
      custom: false,
      inputs: {},
      protect: opts.protect === true,
      retainOnDelete: opts.retainOnDelete === true,
      importId: opts.import,
      ignoreChanges: opts.ignoreChanges ?? [],
      deleteBeforeReplace: opts.deleteBeforeReplace === true,
      dependsOn: dependencyUrns(opts.dependsOn, this.chains),
    });
    return undefined;
  };

  /** The mock runtime registered the resource: its inputs (secrets redacted) and the cloud's ID. */
  registered(resource: { type: string; name: string; inputs: unknown; custom: boolean }, id: string): void {
    const record = this.records.get(`${resource.type}::${resource.name}`);
    if (record === undefined) return;
    record.inputs = redactSecrets(resource.inputs) as Record<string, unknown>;
    record.id = id;
    record.custom = resource.custom;
  }

  /** Every resource the program declared, in declaration order. */
  resources(): PlannedResource[] {
    return [...this.records.values()];
  }
}

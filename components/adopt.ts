import type * as pulumi from "@pulumi/pulumi";

/**
 * Options for a resource the stack may adopt: with an OpenStack ID it is imported instead of
 * created, and kept in the cloud if the stack ever lets go of it, because someone made it by
 * hand before this project and may still rely on it.
 */
export function adoptOptions(
  parent: pulumi.Resource,
  importId: string | undefined,
): pulumi.CustomResourceOptions {
  return importId === undefined ? { parent } : { parent, import: importId, retainOnDelete: true };
}

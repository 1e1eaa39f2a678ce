/**
 * The words Jetstream2 (OpenStack through terraform-provider-openstack v1.54.1) answers with,
 * so an offline refusal reads like the real one. Where a text comes from is said beside it.
 */

/** data_source_openstack_networking_network_v2.go, data_source_openstack_images_image_v2.go */
export const NO_RESULTS = "Your query returned no results. Please change your search criteria and try again.";

/** data_source_openstack_images_image_v2.go, several images by one name without most_recent */
export const MORE_THAN_ONE_IMAGE =
  "Your query returned more than one result. Please try a more specific search criteria, or set `most_recent` attribute to true.";

/** data_source_openstack_networking_router_v2.go */
export const NO_ROUTER = "No Router found";

/** data_source_openstack_networking_secgroup_v2.go */
export const noSecurityGroup = (name: string) => `No Security Group found with name: ${name}`;

/** data_source_openstack_compute_keypair_v2.go around gophercloud's 404 and nova's KeypairNotFound. */
export const noKeypair = (name: string) =>
  `Error retrieving openstack_compute_keypair_v2 ${name}: Resource not found: Keypair ${name} not found for user`;

/** gophercloud/utils flavors.IDFromName, which the server's flavor_name goes through. */
export const noFlavor = (name: string) => `Unable to find flavor with name ${name}`;

/** neutron OverQuota: Jetstream2 allows one router per project. */
export const ROUTER_QUOTA = "Quota exceeded for resources: ['router'].";

/** neutron l3_db, adding an interface whose subnet overlaps one already on the router (400). */
export const overlappingSubnet = (cidr: string, subnetId: string, otherCidr: string, otherSubnetId: string) =>
  `Bad router request: Cidr ${cidr} of subnet ${subnetId} overlaps with cidr ${otherCidr} of subnet ${otherSubnetId}.`;

/** Pulumi's import check: the program's inputs must match the object that exists. */
export const IMPORT_DIFFERS = "inputs to import do not match the existing resource";

/**
 * The provider's own line of a failed lookup: the engine wraps it ("invoking TOKEN: ..." or
 * "... 1 error occurred:\n\t* ...").
 */
export function providerWords(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split("\n");
  return (lines.pop() ?? "")
    .replace(/^\s*\*\s*/, "")
    .replace(/^invoking [^:]+:[^:]+:[^:]+: /, "")
    .trim();
}

/** A lookup whose failure names the stack key it came from and what is allowed, not only the provider's words. */
export function explainLookup<T>(lookup: Promise<T>, explain: (words: string) => string): Promise<T> {
  return lookup.catch((error: unknown) => {
    throw new Error(explain(providerWords(error)));
  });
}

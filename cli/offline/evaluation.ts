/**
 * What an offline evaluation of the program yields: every resource it would register, with
 * the inputs and options the engine would see, and the stack outputs. Values the mocks made
 * up (IDs, addresses) are listed in `mockValues`, so printers can mark them.
 */

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource, "" for the stack itself. */
  parent: string;
  /** Custom resources are cloud objects; components only group them. */
  custom: boolean;
  /** Inputs as the program passed them (secrets shown as "[secret]"). */
  inputs: Record<string, unknown>;
  /** The mock ID (or the import ID for an adopted resource). */
  id?: string;
  protect: boolean;
  retainOnDelete: boolean;
  /** OpenStack ID this resource adopts instead of creating. */
  importId?: string;
  ignoreChanges: string[];
  /**
   * Replaced by deleting first: where the cloud refuses a second copy (a keypair name, a
   * server's port, a duplicate rule, a second address on a port).
   */
  deleteBeforeReplace?: boolean;
  /** URNs of the resources this one was declared to wait for (`dependsOn`), in program order. */
  dependsOn?: string[];
}

export interface Evaluation {
  stack: string;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  /** Every string the mock runtime invented (IDs, IPs), to be marked as such. */
  mockValues: string[];
  /** What the offline run had to stand in for, and what a real run will need instead. */
  notes?: string[];
  /** What the operator should know before `pulumi up`, although the stack is valid. */
  warnings?: string[];
}

/**
 * A stand-in for the OpenStack cloud during an offline evaluation: it answers the engine's
 * resource registrations and data-source calls with values shaped like real ones (UUIDs,
 * addresses from the stack's subnet, floating IPs from the documentation range 192.0.2.0/24)
 * and remembers each one it made up, so printers can mark them as mock-made.
 */
import { createHash } from "node:crypto";
import { intToIpv4, ipv4ToInt } from "../../config";

export interface MockResourceRequest {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id?: string;
}

/** Documentation range (RFC 5737): looks like a public address, can never be one. */
const MOCK_FLOATING_IP_BASE = ipv4ToInt("192.0.2.0");

export class MockCloud {
  readonly madeUp = new Set<string>();
  private nextPrivateHost = 10;
  private nextFloatingHost = 10;
  private readonly subnetBase: number;

  /**
   * @param subnetCidr private addresses are handed out from here, as Neutron would
   * @param otherStackOutputs outputs of another stack by its name, for StackReference targets
   */
  constructor(
    subnetCidr: string,
    private readonly otherStackOutputs: (stack: string) => Record<string, unknown> = () => ({}),
  ) {
    this.subnetBase = ipv4ToInt(subnetCidr.split("/")[0]);
  }

  private remember(value: string): string {
    this.madeUp.add(value);
    return value;
  }

  /** A UUID derived from what it names, so two runs of the same stack agree. */
  uuid(seed: string): string {
    const hex = createHash("sha256").update(seed).digest("hex");
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    return this.remember(id);
  }

  privateIp(): string {
    return this.remember(intToIpv4(this.subnetBase + this.nextPrivateHost++));
  }

  floatingIp(): string {
    return this.remember(intToIpv4(MOCK_FLOATING_IP_BASE + this.nextFloatingHost++));
  }

  newResource(request: MockResourceRequest): { id: string; state: Record<string, unknown> } {
    const { type, name, inputs } = request;
    // An adopted resource keeps the ID it was imported with: that one is real.
    const id = request.id ? request.id : this.uuid(`${type}::${name}`);
    switch (type) {
      case "openstack:networking/port:Port":
        return { id, state: { ...inputs, allFixedIps: [this.privateIp()] } };
      case "openstack:networking/floatingIp:FloatingIp":
        return { id, state: { ...inputs, address: inputs.address ?? this.floatingIp() } };
      case "openstack:compute/keypair:Keypair":
        return { id: String(inputs.name), state: inputs };
      case "pulumi:pulumi:StackReference": {
        const stackName = String(inputs.name).split("/").pop() ?? "";
        return { id: String(inputs.name), state: { ...inputs, outputs: this.otherStackOutputs(stackName) } };
      }
      default:
        return { id, state: inputs };
    }
  }

  /** Data sources the program reads; any other call is a program change the mock must learn. */
  call(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
      case "openstack:networking/getNetwork:getNetwork":
        return { ...inputs, id: this.uuid(`network::${inputs.name}`) };
      case "openstack:networking/getRouter:getRouter":
        return { ...inputs, id: this.uuid(`router::${inputs.name}`) };
      default:
        throw new Error(`offline evaluation does not know the data source ${token}`);
    }
  }
}

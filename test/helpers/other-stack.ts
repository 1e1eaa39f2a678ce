/** Another stack as the cross-stack guards see it, for in-process tests of the edit verbs. */
import type { OtherStack } from "../../cli/stack-file/other-stacks";
import { splitStackConfig, validateStackConfig } from "../../config";

/**
 * Stack hub: its proxy host edge, the `instances` lines after it, and a proxy block of the given
 * lines, which may serve lab's instances.
 */
export function hubWithProxy(proxy: string[], instances: string[] = []): OtherStack {
  const text = [
    "config:",
    "  lappsgrid-jetstream:cloud: IU",
    "  lappsgrid-jetstream:keypair:",
    "    name: hub-key",
    "  lappsgrid-jetstream:instances:",
    "    edge:",
    "      role: proxy",
    "      size: tiny",
    "      ip: 149.165.157.82",
    ...instances,
    "  lappsgrid-jetstream:proxy:",
    "    domain: hub.example.org",
    ...proxy,
    "",
  ].join("\n");
  const config = validateStackConfig(splitStackConfig(text, "Pulumi.hub.yaml").project, "hub");
  return { stack: "hub", fileName: "Pulumi.hub.yaml", config };
}

/**
 * `jetstream forget NAME`: drop the instance's host keys from known_hosts, after a rebuild gave
 * it new ones (the old script's `forget`). Every address the instance has or had in this
 * stack: its live public and private address, the address the stack file adopts, or the ones
 * given with `--address`.
 */
import { normaliseInstanceName } from "../../config";
import { forgetHost, knownHostsFile, knownHostsName } from "./known-hosts";
import { parseAddress, RemoteAccessError } from "./route";
import { liveOf, type OutputsReader, readLiveOutputs, readStackView } from "./stack-view";

export interface ForgetOptions {
  stack?: string;
  dir?: string;
  address?: string[];
  knownHosts?: string;
}

export async function runForget(
  name: string,
  options: ForgetOptions,
  readOutputs: OutputsReader = readLiveOutputs,
): Promise<string> {
  // `forget "$NAME"` with NAME unset would report the keys of "lappsgrid-" forgotten.
  if (name === "") {
    throw new RemoteAccessError(
      "forget NAME: an empty value (an unset shell variable?); allowed: an instance, with or without the lappsgrid- prefix",
    );
  }
  const view = readStackView(options);
  const instance = normaliseInstanceName(name);
  let names: string[];
  if (options.address !== undefined && options.address.length > 0) {
    names = options.address.map((address) => knownHostsName(parseAddress(address, "--address")));
  } else {
    // An instance already deleted from the stack file still has its addresses in the outputs.
    const live = (await liveOf(view, readOutputs, "forget"))[instance];
    const adopted = view.config.instances.find((entry) => entry.name === instance)?.ip;
    names = [live?.publicIp, live?.privateIp, adopted?.kind === "adopt" ? adopted.address : undefined].filter(
      (address): address is string => address !== undefined && address !== "",
    );
  }
  names = [...new Set(names)];
  if (names.length === 0) {
    throw new RemoteAccessError(
      `${instance} has no address in the stack's outputs or file; give the ones to forget with --address HOST[:PORT]`,
    );
  }
  const file = knownHostsFile(view.projectDir, options.knownHosts);
  return names
    .map((host) =>
      forgetHost(file, host)
        ? `forgot ${host} (${instance}) in ${file}\n`
        : `${host} (${instance}) was not in ${file}\n`,
    )
    .join("");
}

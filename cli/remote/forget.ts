/**
 * `jetstream forget NAME`: drop the instance's host keys from known_hosts, after a rebuild gave
 * it new ones (the old script's `forget`). Every address the instance has or had in this
 * stack: its live public and private address, the address the stack file adopts, or the ones
 * given with `--address`.
 */
import { normaliseInstanceName } from "../../config";
import { refuseImpossibleName, refuseUnusableAddress } from "./given-arguments";
import { forgetHost, knownHostsName, knownHostsToClean, refuseEmptyKnownHosts } from "./known-hosts";
import { parseAddress, RemoteAccessError } from "./route";
import { liveOf, type OutputsReader, readLiveOutputs, readStackView } from "./stack-view";

export interface ForgetOptions {
  stack?: string;
  dir?: string;
  address?: string[];
  knownHosts?: string;
}

/** What forget did (stdout) and what the operator should know about it (stderr). */
export interface ForgetReport {
  report: string;
  warnings: string[];
}

export async function runForget(
  name: string,
  options: ForgetOptions,
  readOutputs: OutputsReader = readLiveOutputs,
): Promise<ForgetReport> {
  // `forget "$NAME"` with NAME unset would report the keys of "lappsgrid-" forgotten.
  refuseImpossibleName("forget", name);
  refuseEmptyKnownHosts(options.knownHosts);
  for (const address of options.address ?? []) refuseUnusableAddress("forget", "--address", address);
  const view = readStackView(options);
  const instance = normaliseInstanceName(name);
  const given = (options.address ?? []).map((address) => knownHostsName(parseAddress(address, "--address")));
  const { file, present } = knownHostsToClean(view.projectDir, options.knownHosts);
  // After a delete the name is gone from the file, and its old keys are what forget is for:
  // go ahead, but a typo in NAME is said, not taken for a deleted instance.
  const warnings = view.config.instances.some((entry) => entry.name === instance)
    ? []
    : [
        `stack ${view.stack} has no instance ${instance} (deleted, or a typo?); forgetting its addresses anyway`,
      ];
  if (!present) return { report: `nothing to forget: ${file} does not exist\n`, warnings };
  let names = given;
  if (names.length === 0) {
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
  const report = names
    .map((host) =>
      forgetHost(file, host)
        ? `forgot ${host} (${instance}) in ${file}\n`
        : `${host} (${instance}) was not in ${file}\n`,
    )
    .join("");
  return { report, warnings };
}

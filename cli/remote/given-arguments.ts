/**
 * What `ssh`, `visit` and `forget` were given, checked before the stack is chosen or its live
 * outputs are read: an empty value (an unset shell variable) or a NAME that can never be an
 * instance is the argument's fault, and is said before `--stack` is asked for.
 */
import { badInstanceName, INSTANCE_NAME_ALLOWED, isInstanceName } from "../../config";
import { refuseEmptyName } from "../name-argument";
import { ADDRESS_ALLOWED, parseAddress, RemoteAccessError } from "./route";

export const UNSET = "an empty value (an unset shell variable?)";

/**
 * NAME as launch would accept it: an instance deleted from the stack file had such a name, so
 * one it lacks is still looked up; `Galaxy`, `a b` or `tacc/worker` never named a server.
 */
export function refuseImpossibleName(verb: string, name: string): void {
  refuseEmptyName(verb, name);
  if (!isInstanceName(name)) {
    throw new RemoteAccessError(`${verb} NAME: ${badInstanceName(name)}; ${INSTANCE_NAME_ALLOWED}`);
  }
}

/** `--address` or `--jump` as ssh and forget take them: `[USER@]HOST[:PORT]`. */
export function refuseUnusableAddress(verb: string, option: string, value: string | undefined): void {
  if (value === undefined) return;
  if (value === "") throw new RemoteAccessError(`${verb} ${option}: ${UNSET}; ${ADDRESS_ALLOWED}`);
  parseAddress(value, option);
}

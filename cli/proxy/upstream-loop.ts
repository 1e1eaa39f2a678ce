/**
 * Whether nginx, listening where `--listen` says, would forward to itself through `--upstream`:
 * each request would come back in as a new one until the workers run out of connections.
 */
import { networkInterfaces } from "node:os";
import { cidrContains, isIpv4, isLocalhostName } from "../../config/net";

/** nginx resolves `localhost` (and names under it) to 127.0.0.1 for an upstream. */
function addressOf(host: string): string {
  return isLocalhostName(host) ? "127.0.0.1" : host;
}

/** This machine's IPv4 addresses: where a listen on 0.0.0.0 takes connections. */
export function localIpv4Addresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((addresses) =>
    (addresses ?? []).filter((address) => address.family === "IPv4").map((address) => address.address),
  );
}

/**
 * Why `upstream` is nginx's own listening socket, or undefined. Two loopback addresses are two
 * sockets (127.0.0.1:8090 and 127.0.0.2:8090); 0.0.0.0 listens on every address of the machine.
 */
export function forwardsToItself(
  listen: string,
  upstream: { host: string; port: number },
  localAddresses: string[],
  listenGiven = true,
): string | undefined {
  // Named as the operator set it: --listen, or the default they never typed.
  const setBy = listenGiven ? `--listen ${listen}` : "the default, without --listen";
  const [listenHost, listenPort] = listen.includes(":") ? listen.split(":") : ["0.0.0.0", listen];
  if (Number(listenPort) !== upstream.port) return undefined;
  const address = addressOf(upstream.host);
  const shown = `${upstream.host}:${upstream.port}`;
  if (listenHost === "0.0.0.0") {
    const onThisMachine =
      address === "0.0.0.0" ||
      (isIpv4(address) && cidrContains("127.0.0.0/8", address)) ||
      localAddresses.includes(address);
    return onThisMachine
      ? `${shown} is on this machine, where nginx listens on port ${listenPort} of every address (${setBy})`
      : undefined;
  }
  return address === listenHost ? `${shown} is the address nginx listens on (${setBy})` : undefined;
}

/**
 * `jetstream visit NAME [PORT/PATH]`: the URL of a service on an instance, opened in a browser
 * where there is one (xdg-open and a display), printed always. A server without a public
 * address is reachable from a browser only as the proxy's online target, at its domain.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { normaliseInstanceName } from "../../config";
import { isProgrammingError } from "../error-report";
import { refuseImpossibleName, UNSET } from "./given-arguments";
import { RemoteAccessError } from "./route";
import { liveOf, type OutputsReader, readLiveOutputs, readStackView } from "./stack-view";

export interface VisitOptions {
  stack?: string;
  dir?: string;
  address?: string;
}

/** `8080`, `8080/galaxy/`, `/api`: the old script's `[port/path]`. */
export function parsePortPath(value: string | undefined): { port?: number; path: string } {
  if (value === undefined) return { path: "/" };
  const match = /^(\d{1,5})?(\/[^\s#]*)?$/.exec(value);
  const port = match?.[1] === undefined ? undefined : Number(match[1]);
  if (!match || value === "" || (port !== undefined && (port < 1 || port > 65535))) {
    throw new RemoteAccessError(
      `PORT/PATH: ${JSON.stringify(value)} is not a port and path; allowed: 8080, 8080/some/path or /some/path`,
    );
  }
  return { port, path: match[2] ?? "/" };
}

/** `--address` for visit names a host only: a port goes in PORT/PATH, and a browser has no login user. */
function visitHost(address: string): string {
  const allowed = "allowed: an IPv4 address or host name, with the port in PORT/PATH (8080/galaxy)";
  if (address === "") throw new RemoteAccessError(`visit --address: ${UNSET}; ${allowed}`);
  const host = /^[A-Za-z0-9.-]+$/.test(address) ? address : undefined;
  if (host === undefined) {
    throw new RemoteAccessError(`--address: ${JSON.stringify(address)} is not a host for visit; ${allowed}`);
  }
  return host;
}

/** The URL to open (stdout), and what the operator should know about it (stderr). */
export interface Visit {
  url: string;
  warnings: string[];
}

export async function visitUrl(
  name: string,
  portPath: string | undefined,
  options: VisitOptions,
  readOutputs: OutputsReader = readLiveOutputs,
): Promise<Visit> {
  refuseImpossibleName("visit", name);
  const { port, path } = parsePortPath(portPath);
  const given = options.address === undefined ? undefined : visitHost(options.address);
  const view = readStackView(options);
  const instance = normaliseInstanceName(name);
  const inStack = view.config.instances.some((entry) => entry.name === instance);
  const unknown = `stack ${view.stack} has no instance ${instance}`;
  const at = (host: string) => `http://${host}${port === undefined ? "" : `:${port}`}${path}`;
  if (given !== undefined) {
    // The address is all a browser needs: a server of another project, or one deleted from the
    // file but still running, is visited; a typo in NAME is said, not taken for either.
    return { url: at(given), warnings: inStack ? [] : [`${unknown}; visiting --address ${given} as given`] };
  }
  const instances = view.config.instances.map((entry) => entry.key).join(", ") || "none";
  const noInstance = (where: string) =>
    new RemoteAccessError(
      `NAME: no instance ${JSON.stringify(name)} in stack ${view.stack}${where}; allowed: ${instances}, or an address with --address HOST`,
    );
  let live: Awaited<ReturnType<typeof liveOf>>;
  try {
    live = await liveOf(view, readOutputs, "visit");
  } catch (error) {
    // A server deleted from the file may still be in the outputs; without them, the NAME the
    // file lacks is what to say (a typo, most often), not why the outputs could not be read.
    if (inStack || isProgrammingError(error)) throw error;
    throw noInstance("");
  }
  const host = live[instance]?.publicIp;
  if (host) return { url: at(host), warnings: [] };
  if (!inStack) throw noInstance(" (nor in its outputs)");
  const proxy = view.config.proxy;
  if (proxy?.mode === "online" && proxy.target?.kind === "instance" && proxy.target.name === instance) {
    // The proxy forwards its domain to this instance's service port; a port of its own cannot be reached.
    if (port !== undefined && port !== proxy.port) {
      throw new RemoteAccessError(
        `${instance} has no public address; only port ${proxy.port} is reachable, through the proxy at ${proxy.domain}`,
      );
    }
    return { url: `http://${proxy.domain}${path}`, warnings: [] };
  }
  throw new RemoteAccessError(
    `${instance} has no public address, and the proxy does not forward to it; log in with \`jetstream ssh ${name}\`, or give an address with --address HOST`,
  );
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((directory) => {
    try {
      accessSync(join(directory, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Opens the URL when a browser can show it; says so either way. */
export function openUrl(url: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!env.DISPLAY || !onPath("xdg-open", env)) return `${url}\n`;
  const opener = spawn("xdg-open", [url], { detached: true, stdio: "ignore", env });
  opener.on("error", () => undefined);
  opener.unref();
  return `${url}\n(opened with xdg-open)\n`;
}

/**
 * Checks every value that ends up inside an nginx site before it is rendered. nginx has no
 * quoting we could trust for arbitrary text, so a value is accepted only when it is made of
 * characters that cannot end a directive or open a block: letters, digits and a few
 * punctuation marks per kind. Anything else (";", "{", "}", quotes, "$", spaces, newlines) is
 * refused with the parameter's name and what it takes.
 */
import { isHostName, isIpv4 } from "../../config/net";

export class ProxySiteError extends Error {
  constructor(
    readonly parameter: string,
    value: unknown,
    allowed: string,
  ) {
    super(`${parameter}: ${JSON.stringify(value)} is not allowed; allowed: ${allowed}`);
    this.name = "ProxySiteError";
  }
}

const DOMAIN_ALLOWED =
  'a domain name: letters, digits, "-" and "." in labels, ending in a label with a letter';
const HOST_ALLOWED = 'an IPv4 address or a host name (letters, digits, "-" and ".")';
const PORT_ALLOWED = "a whole number from 1 to 65535";
const LISTEN_ALLOWED = 'a port (80) or an IPv4 address and a port ("127.0.0.1:8080")';
const DIR_ALLOWED = 'an absolute path of letters, digits, "/", ".", "_" and "-", without ".." segments';

/** A host name nginx would not mistake for a malformed address: its last label has a letter. */
function isNamedHost(value: string): boolean {
  const labels = value.split(".");
  return isHostName(value) && /[A-Za-z]/.test(labels[labels.length - 1]);
}

export function checkDomain(value: string, parameter = "domain"): string {
  if (typeof value !== "string" || !isNamedHost(value))
    throw new ProxySiteError(parameter, value, DOMAIN_ALLOWED);
  return value;
}

export function checkUpstreamHost(value: string, parameter = "upstream host"): string {
  if (typeof value !== "string" || !(isIpv4(value) || isNamedHost(value))) {
    throw new ProxySiteError(parameter, value, HOST_ALLOWED);
  }
  return value;
}

export function checkPort(value: number, parameter = "port"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ProxySiteError(parameter, value, PORT_ALLOWED);
  }
  return value;
}

/** `80` or `127.0.0.1:8080`: what nginx's `listen` takes, minus every option. */
export function checkListen(value: string, parameter = "listen"): string {
  const match = typeof value === "string" ? /^(?:(.+):)?(\d{1,5})$/.exec(value) : null;
  if (!match || (match[1] !== undefined && !isIpv4(match[1]))) {
    throw new ProxySiteError(parameter, value, LISTEN_ALLOWED);
  }
  const port = Number(match[2]);
  if (port < 1 || port > 65535 || match[2].startsWith("0"))
    throw new ProxySiteError(parameter, value, LISTEN_ALLOWED);
  return value;
}

export function checkDirectory(value: string, parameter = "offline page directory"): string {
  const ok =
    typeof value === "string" &&
    /^\/[A-Za-z0-9._/-]*$/.test(value) &&
    !value.split("/").some((segment) => segment === "..");
  if (!ok) throw new ProxySiteError(parameter, value, DIR_ALLOWED);
  const collapsed = value.replace(/\/+/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}

/** `HOST:PORT` as operators type it for `--upstream`. */
export function parseHostPort(value: string, parameter: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(value);
  if (!match) throw new ProxySiteError(parameter, value, `HOST:PORT with HOST ${HOST_ALLOWED}`);
  return { host: checkUpstreamHost(match[1], parameter), port: checkPort(Number(match[2]), parameter) };
}

/**
 * What each nginx site parameter takes and the exact one-line refusal for what it does not:
 * the parameter's name, the value as JSON, and what is allowed.
 */
import {
  checkDirectory,
  checkDomain,
  checkListen,
  checkPort,
  checkUpstreamHost,
  ProxySiteError,
  parseHostPort,
} from "../../components/proxy/site-params";

const DOMAIN_ALLOWED =
  'a domain name: letters, digits, "-" and "." in labels, ending in a label with a letter';
const HOST_ALLOWED = 'an IPv4 address or a host name (letters, digits, "-" and ".")';
const PORT_ALLOWED = "a whole number from 1 to 65535";
const LISTEN_ALLOWED = 'a port (80) or an IPv4 address and a port ("127.0.0.1:8080")';
const DIR_ALLOWED = 'an absolute path of letters, digits, "/", ".", "_" and "-", without ".." segments';

/** The error a call throws, so its class, parameter and message are all checked. */
function refusal(call: () => unknown): { name: string; parameter: string; message: string } {
  try {
    call();
  } catch (error) {
    if (!(error instanceof ProxySiteError)) throw error;
    return { name: error.name, parameter: error.parameter, message: error.message };
  }
  throw new Error("accepted");
}

test.each<[string, () => unknown, string, string]>([
  [
    "a domain ending in a digit label",
    () => checkDomain("lappsgrid.org1.2"),
    "domain",
    `"lappsgrid.org1.2" is not allowed; allowed: ${DOMAIN_ALLOWED}`,
  ],
  [
    "a domain with a space",
    () => checkDomain("jetstream lappsgrid.org"),
    "domain",
    `"jetstream lappsgrid.org" is not allowed; allowed: ${DOMAIN_ALLOWED}`,
  ],
  [
    "a domain given as a number",
    () => checkDomain(42 as unknown as string),
    "domain",
    `42 is not allowed; allowed: ${DOMAIN_ALLOWED}`,
  ],
  [
    "an upstream host with a semicolon",
    () => checkUpstreamHost("10.0.0.5;"),
    "upstream host",
    `"10.0.0.5;" is not allowed; allowed: ${HOST_ALLOWED}`,
  ],
  [
    "an upstream host of digits and dots that is no address",
    () => checkUpstreamHost("10.0.0.300"),
    "upstream host",
    `"10.0.0.300" is not allowed; allowed: ${HOST_ALLOWED}`,
  ],
  [
    "an upstream host given as a number",
    () => checkUpstreamHost(10 as unknown as string),
    "upstream host",
    `10 is not allowed; allowed: ${HOST_ALLOWED}`,
  ],
  ["port 0", () => checkPort(0), "port", `0 is not allowed; allowed: ${PORT_ALLOWED}`],
  ["port 65536", () => checkPort(65536), "port", `65536 is not allowed; allowed: ${PORT_ALLOWED}`],
  ["a fractional port", () => checkPort(80.5), "port", `80.5 is not allowed; allowed: ${PORT_ALLOWED}`],
  [
    "a port given as text",
    () => checkPort("80" as unknown as number),
    "port",
    `"80" is not allowed; allowed: ${PORT_ALLOWED}`,
  ],
  [
    "listen on a host name",
    () => checkListen("localhost:80"),
    "listen",
    `"localhost:80" is not allowed; allowed: ${LISTEN_ALLOWED}`,
  ],
  ["listen on port 0", () => checkListen("0"), "listen", `"0" is not allowed; allowed: ${LISTEN_ALLOWED}`],
  [
    "listen on port 65536",
    () => checkListen("127.0.0.1:65536"),
    "listen",
    `"127.0.0.1:65536" is not allowed; allowed: ${LISTEN_ALLOWED}`,
  ],
  [
    "listen on a port with a leading zero",
    () => checkListen("080"),
    "listen",
    `"080" is not allowed; allowed: ${LISTEN_ALLOWED}`,
  ],
  [
    "listen with an option after the port",
    () => checkListen("80 default_server"),
    "listen",
    `"80 default_server" is not allowed; allowed: ${LISTEN_ALLOWED}`,
  ],
  [
    "listen with letters before the port",
    () => checkListen("a80"),
    "listen",
    `"a80" is not allowed; allowed: ${LISTEN_ALLOWED}`,
  ],
  [
    "--upstream with text after the port",
    () => parseHostPort("10.0.0.5:8080x", "--upstream"),
    "--upstream",
    `"10.0.0.5:8080x" is not allowed; allowed: HOST:PORT with HOST ${HOST_ALLOWED}`,
  ],
  [
    "listen given as a number",
    () => checkListen(80 as unknown as string),
    "listen",
    `80 is not allowed; allowed: ${LISTEN_ALLOWED}`,
  ],
  [
    "a relative page directory",
    () => checkDirectory("var/www"),
    "offline page directory",
    `"var/www" is not allowed; allowed: ${DIR_ALLOWED}`,
  ],
  [
    "a page directory climbing out with ..",
    () => checkDirectory("/var/www/../etc"),
    "offline page directory",
    `"/var/www/../etc" is not allowed; allowed: ${DIR_ALLOWED}`,
  ],
  [
    "a page directory with a space",
    () => checkDirectory("/var/my www"),
    "offline page directory",
    `"/var/my www" is not allowed; allowed: ${DIR_ALLOWED}`,
  ],
  [
    "--upstream without a port",
    () => parseHostPort("10.0.0.5", "--upstream"),
    "--upstream",
    `"10.0.0.5" is not allowed; allowed: HOST:PORT with HOST ${HOST_ALLOWED}`,
  ],
  [
    "--upstream with a bad host",
    () => parseHostPort("10.0.0.5;x:8080", "--upstream"),
    "--upstream",
    `"10.0.0.5;x" is not allowed; allowed: ${HOST_ALLOWED}`,
  ],
  [
    "--upstream with port 0",
    () => parseHostPort("10.0.0.5:0", "--upstream"),
    "--upstream",
    `0 is not allowed; allowed: ${PORT_ALLOWED}`,
  ],
])("%s is refused, naming the parameter and what it takes", (_, call, parameter, rest) => {
  expect(refusal(call)).toEqual({ name: "ProxySiteError", parameter, message: `${parameter}: ${rest}` });
});

test("a caller's own parameter name is the one the refusal names", () => {
  expect(refusal(() => checkListen("x", "--listen")).message).toBe(
    `--listen: "x" is not allowed; allowed: ${LISTEN_ALLOWED}`,
  );
  expect(refusal(() => checkDirectory("out", "--out")).parameter).toBe("--out");
  expect(refusal(() => checkDomain("-", "proxy.domain")).parameter).toBe("proxy.domain");
  expect(refusal(() => checkUpstreamHost("", "proxy.target")).parameter).toBe("proxy.target");
  expect(refusal(() => checkPort(-1, "proxy.port")).parameter).toBe("proxy.port");
});

test.each<[string, () => unknown, unknown]>([
  ["a domain", () => checkDomain("jetstream.lappsgrid.org"), "jetstream.lappsgrid.org"],
  ["a one-label domain", () => checkDomain("localhost"), "localhost"],
  ["an upstream address", () => checkUpstreamHost("10.0.0.12"), "10.0.0.12"],
  ["an upstream host name", () => checkUpstreamHost("galaxy.lappsgrid.org"), "galaxy.lappsgrid.org"],
  ["the lowest port", () => checkPort(1), 1],
  ["the highest port", () => checkPort(65535), 65535],
  ["listen on a port", () => checkListen("80"), "80"],
  ["listen on the lowest port", () => checkListen("1"), "1"],
  ["listen on the highest port", () => checkListen("65535"), "65535"],
  ["listen on an address and port", () => checkListen("127.0.0.1:8080"), "127.0.0.1:8080"],
  [
    "--upstream HOST:PORT",
    () => parseHostPort("galaxy.lappsgrid.org:8080", "--upstream"),
    { host: "galaxy.lappsgrid.org", port: 8080 },
  ],
])("%s is accepted as it is", (_, call, expected) => {
  expect(call()).toEqual(expected);
});

test.each([
  ["/var/www/lappsgrid-proxy", "/var/www/lappsgrid-proxy"],
  ["/var/www/lappsgrid-proxy/", "/var/www/lappsgrid-proxy"],
  ["//var///www//", "/var/www"],
  ["/", "/"],
  ["///", "/"],
  ["/srv/my_site.d/..x", "/srv/my_site.d/..x"],
])("page directory %j becomes %j: repeated and trailing slashes dropped", (given, expected) => {
  expect(checkDirectory(given)).toBe(expected);
});

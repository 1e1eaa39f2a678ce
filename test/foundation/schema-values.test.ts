/**
 * Values the schema refuses, checked in process (the plan tests that show them run the CLI in
 * another process): names, numbers YAML writes as .inf or .nan, invisible characters, image
 * aliases, ACME settings, the proxy's health path and port ranges, each refused with the key, the
 * value as written and what is allowed; and the edges that must stay accepted.
 */
import { problemsIn } from "../helpers/config";

const offlineProxy = (settings: Record<string, unknown>) => ({
  proxy: { host: "149.165.157.82", mode: "offline", ...settings },
});

const NAME_ALLOWED =
  'allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters';
const PORT_ALLOWED = "allowed: an integer from 1 to 65535";

test.each<[string, Record<string, unknown>, string]>([
  [
    "a name starting with -",
    { network: { name: "-net" } },
    `network.name: "-net" is not a name; ${NAME_ALLOWED}`,
  ],
  [
    "a name with a space inside",
    { network: { name: "lappsgrid net" } },
    `network.name: "lappsgrid net" is not a name; ${NAME_ALLOWED}`,
  ],
  [
    "a port of .inf",
    offlineProxy({ port: Number.POSITIVE_INFINITY }),
    `proxy.port: .inf is not a port; ${PORT_ALLOWED}`,
  ],
  [
    "a port of -.inf",
    offlineProxy({ port: Number.NEGATIVE_INFINITY }),
    `proxy.port: -.inf is not a port; ${PORT_ALLOWED}`,
  ],
  ["a port of .nan", offlineProxy({ port: Number.NaN }), `proxy.port: .nan is not a port; ${PORT_ALLOWED}`],
  [
    "a size ending in a no-break space",
    { instances: { web: { size: "tiny\u00a0" } } },
    'instances.web.size: "tiny\\u00a0" is not a size; allowed: tiny, small, medium, large, xlarge',
  ],
  [
    "an image alias with a capital",
    { images: { Docker: "Featured-Ubuntu22" } },
    'images.Docker: "Docker" is not an image alias; allowed: lower-case letters, digits and "-"',
  ],
  [
    "an image alias ending in a dot",
    { images: { "docker.": "Featured-Ubuntu22" } },
    'images.docker.: "docker." is not an image alias; allowed: lower-case letters, digits and "-"',
  ],
  [
    "an empty image name",
    { images: { docker: "" } },
    "images.docker: an empty value; allowed: at least 1 character",
  ],
  [
    "an ACME e-mail written as a mailto: link",
    offlineProxy({ domain: "galaxy.lappsgrid.org", tls: { acme: { email: "mailto:ops@lappsgrid.org" } } }),
    'proxy.tls.acme.email: "mailto:ops@lappsgrid.org" is not an e-mail address; allowed: one e-mail address, like "ops@lappsgrid.org"',
  ],
  [
    "two ACME e-mails in one value",
    offlineProxy({
      domain: "galaxy.lappsgrid.org",
      tls: { acme: { email: "ops@lappsgrid.org, admin@lappsgrid.org" } },
    }),
    'proxy.tls.acme.email: "ops@lappsgrid.org, admin@lappsgrid.org" is not an e-mail address; allowed: one e-mail address, like "ops@lappsgrid.org"',
  ],
  [
    "a health path that is a full URL",
    offlineProxy({ healthPath: "http://galaxy/" }),
    'proxy.healthPath: "http://galaxy/" is not a health-check path; allowed: a path starting with "/", of letters, digits and URL punctuation (no spaces, quotes or #)',
  ],
  [
    "a port range from 0",
    { securityGroup: { rules: [{ protocol: "udp", ports: "0-10", from: "10.0.0.0/24" }] } },
    'securityGroup.rules.0.ports: "0-10" is not a port range; allowed: low-high within 1-65535',
  ],
  [
    "a port range past 65535",
    { securityGroup: { rules: [{ protocol: "tcp", ports: "60000-65536", from: "10.0.0.0/24" }] } },
    'securityGroup.rules.0.ports: "60000-65536" is not a port range; allowed: low-high within 1-65535',
  ],
])("%s is refused, naming the key, the value and what is allowed", (_case, values, problem) => {
  expect(problemsIn(values)).toEqual([problem]);
});

test.each<[string, Record<string, unknown>]>([
  ["ports 1 and 65535", { securityGroup: { servicePort: 1 }, ...offlineProxy({ port: 65535 }) }],
  [
    "a tcp rule over every port, 1-65535",
    { securityGroup: { rules: [{ protocol: "tcp", ports: "1-65535", from: "10.0.0.0/24" }] } },
  ],
  [
    "a short offline title and message",
    offlineProxy({ offlineTitle: "Back Monday", offlineMessage: "Back soon." }),
  ],
  [
    "an ACME directory without a port or a path",
    offlineProxy({
      domain: "galaxy.lappsgrid.org",
      tls: { acme: { directory: "https://acme.lappsgrid.org" } },
    }),
  ],
  [
    "an ACME directory with a port and no path",
    offlineProxy({
      domain: "galaxy.lappsgrid.org",
      tls: { acme: { directory: "https://acme.lappsgrid.org:14000" } },
    }),
  ],
])("%s are accepted", (_case, values) => {
  expect(problemsIn(values)).toEqual([]);
});

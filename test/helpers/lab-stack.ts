/** The opening lines of stack lab, shared by the in-process tests of the edit verbs. */

/** Its cloud, its keypair and its proxy host; the tests add their own instances below. */
export const LAB_HEAD = [
  "config:",
  "  lappsgrid-jetstream:cloud: TACC",
  "  lappsgrid-jetstream:keypair:",
  "    name: lab-key",
  "  lappsgrid-jetstream:instances:",
  "    proxy:",
  "      role: proxy",
  "      size: tiny",
  "      ip: 149.165.9.1",
];

/**
 * Stack lab with two instances behind a site at lab.example.org: galaxy (large) and web
 * (small). `proxy`: the proxy block's lines after its domain; `galaxy`: galaxy's lines after
 * its size (`      state: shelved`).
 */
export function labSite(proxy: string[], galaxy: string[] = []): string {
  return [
    ...LAB_HEAD,
    "    galaxy:",
    "      size: large",
    ...galaxy,
    "    web:",
    "      size: small",
    "  lappsgrid-jetstream:proxy:",
    "    domain: lab.example.org",
    ...proxy,
    "",
  ].join("\n");
}

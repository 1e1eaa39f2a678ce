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

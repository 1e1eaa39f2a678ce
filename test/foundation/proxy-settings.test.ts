/**
 * The proxy's health gate and "expected back" settings: their defaults, what each bad value
 * says, what reaches the apply script and the offline page, and the one rule that keeps the
 * site from forwarding to a target the same `up` stops or shelves.
 */
import { renderApplyInput } from "../../components/proxy/apply-input";
import { renderProxyCandidate } from "../../components/proxy/candidate";
import { validateStackConfig } from "../../config";
import { problemsOf } from "../helpers/config";

const instances = { proxy: { role: "proxy", ip: "assign" }, galaxy: {}, galaxy2: {} };
const stackWith = (proxy: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  instances: { ...instances, ...extra },
  proxy: { target: "galaxy", ...proxy },
});

test("the health gate defaults to GET / answered 2xx or 3xx, 30 tries 10 s apart", () => {
  const config = validateStackConfig(stackWith({}), "iu");
  expect(config.proxy?.health).toEqual({ path: "/", statuses: "200-399", tries: 30, intervalSeconds: 10 });
  expect(config.proxy?.offlineUntil).toBeUndefined();
});

test("health settings and offlineUntil are taken as given; statuses become ranges", () => {
  const config = validateStackConfig(
    stackWith({
      healthPath: "/api/version?deep=1",
      healthStatuses: "200, 302,400-404",
      healthTries: 5,
      healthInterval: 3,
      offlineUntil: "2026-12-01T09:00-05:00",
    }),
    "iu",
  );
  expect(config.proxy?.health).toEqual({
    path: "/api/version?deep=1",
    statuses: "200-200,302-302,400-404",
    tries: 5,
    intervalSeconds: 3,
  });
  expect(config.proxy?.offlineUntil).toBe("2026-12-01T09:00-05:00");
});

const PATH_ALLOWED =
  'allowed: a path starting with "/", of letters, digits and URL punctuation (no spaces, quotes or #)';
const STATUSES_ALLOWED =
  'allowed: status codes from 100 to 599, single or as low-high ranges, comma-separated ("200-399", "200,302")';
const UNTIL_ALLOWED =
  'allowed: an ISO date ("2026-12-01") or date-time with a zone ("2026-12-01T09:00Z", "2026-12-01T09:00:00-05:00"); quote it in YAML';

describe("each bad proxy setting fails with one line naming the key, the value and what is allowed", () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      "health path without a leading slash",
      { healthPath: "health" },
      `proxy.healthPath: "health" is not a health-check path; ${PATH_ALLOWED}`,
    ],
    [
      "health path with a space",
      { healthPath: "/a b" },
      `proxy.healthPath: "/a b" is not a health-check path; ${PATH_ALLOWED}`,
    ],
    [
      "health path with a line break",
      { healthPath: "/\nhost x" },
      `proxy.healthPath: "/\\nhost x" is not a health-check path; ${PATH_ALLOWED}`,
    ],
    [
      "statuses as a class",
      { healthStatuses: "2xx" },
      `proxy.healthStatuses: "2xx" is not a status list; ${STATUSES_ALLOWED}`,
    ],
    [
      "a status above 599",
      { healthStatuses: "200-600" },
      `proxy.healthStatuses: "200-600" is not a status list; ${STATUSES_ALLOWED}`,
    ],
    [
      "a range upside down",
      { healthStatuses: "399-200" },
      `proxy.healthStatuses: "399-200" is not a status list; ${STATUSES_ALLOWED}`,
    ],
    [
      "an empty status list",
      { healthStatuses: "" },
      `proxy.healthStatuses: "" is not a status list; ${STATUSES_ALLOWED}`,
    ],
    [
      "no tries",
      { healthTries: 0 },
      "proxy.healthTries: 0 is not allowed; allowed: an integer from 1 to 120",
    ],
    [
      "too many tries",
      { healthTries: 121 },
      "proxy.healthTries: 121 is not allowed; allowed: an integer from 1 to 120",
    ],
    [
      "tries as text",
      { healthTries: "5" },
      'proxy.healthTries: "5" is not allowed; allowed: an integer from 1 to 120',
    ],
    [
      "half a second apart",
      { healthInterval: 0.5 },
      "proxy.healthInterval: 0.5 is not allowed; allowed: an integer from 1 to 60",
    ],
    [
      "more than a minute apart",
      { healthInterval: 61 },
      "proxy.healthInterval: 61 is not allowed; allowed: an integer from 1 to 60",
    ],
    [
      "offlineUntil in words",
      { offlineUntil: "next week" },
      `proxy.offlineUntil: "next week" is not a date; ${UNTIL_ALLOWED}`,
    ],
    [
      "offlineUntil on a day that does not exist",
      { offlineUntil: "2026-02-30" },
      `proxy.offlineUntil: "2026-02-30" is not a date; ${UNTIL_ALLOWED}`,
    ],
    [
      "offlineUntil at hour 25",
      { offlineUntil: "2026-12-01T25:00Z" },
      `proxy.offlineUntil: "2026-12-01T25:00Z" is not a date; ${UNTIL_ALLOWED}`,
    ],
    [
      "offlineUntil without a zone",
      { offlineUntil: "2026-12-01T09:00" },
      `proxy.offlineUntil: "2026-12-01T09:00" is not a date; ${UNTIL_ALLOWED}`,
    ],
    [
      "offlineUntil as a number",
      { offlineUntil: 20261201 },
      `proxy.offlineUntil: 20261201 is not a date; ${UNTIL_ALLOWED}`,
    ],
  ])("%s", (_, proxy, message) => {
    expect(problemsOf(stackWith(proxy))).toEqual([message]);
  });
});

describe("an online proxy's target must be active: stop or shelve it only after going offline", () => {
  test.each([
    ["stopped", "start"],
    ["shelved", "resume"],
  ])("an online target that is %s is refused, naming the fix", (state, verb) => {
    expect(problemsOf(stackWith({ mode: "online" }, { galaxy: { state } }))).toEqual([
      `instances.galaxy.state: "${state}" is not allowed while proxy.target is galaxy and proxy.mode is online: the site would forward to a server that is down; allowed: active (\`jetstream ${verb} galaxy\`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)`,
    ]);
  });

  test("the target written with its prefix is refused the same way", () => {
    const values = {
      instances: { proxy: { role: "proxy", ip: "assign" }, galaxy: { state: "shelved" } },
      proxy: { target: "lappsgrid-galaxy" },
    };
    expect(problemsOf(values)).toEqual([
      'instances.galaxy.state: "shelved" is not allowed while proxy.target is galaxy and proxy.mode is online: the site would forward to a server that is down; allowed: active (`jetstream resume galaxy`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)',
    ]);
  });

  test("the target written as the instance's fixed public address is refused the same way, naming the address", () => {
    const values = {
      instances: {
        proxy: { role: "proxy", ip: "assign" },
        galaxy: { state: "shelved", ip: "149.165.157.90" },
      },
      proxy: { target: "149.165.157.90" },
    };
    expect(problemsOf(values)).toEqual([
      'instances.galaxy.state: "shelved" is not allowed while proxy.target is 149.165.157.90 (galaxy\'s ip:) and proxy.mode is online: the site would forward to a server that is down; allowed: active (`jetstream resume galaxy`), or first take the site offline (jetstream offline) or point it elsewhere (jetstream proxy OTHER)',
    ]);
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["offline with the target shelved", { mode: "offline" }, { galaxy: { state: "shelved" } }],
    [
      "online to another instance while the old target stops",
      { target: "galaxy2" },
      { galaxy: { state: "stopped" } },
    ],
    [
      "online to an address while an instance is shelved",
      { target: "10.0.0.50" },
      { galaxy: { state: "shelved" } },
    ],
  ])("%s is accepted", (_, proxy, extra) => {
    expect(validateStackConfig(stackWith(proxy, extra), "iu").proxy?.mode).toBe(proxy.mode ?? "online");
  });
});

describe("what reaches the proxy host", () => {
  const config = (proxy: Record<string, unknown>) => validateStackConfig(stackWith(proxy), "iu").proxy!;

  test("the online candidate carries the probe of the target's address, port and settings", () => {
    const candidate = renderProxyCandidate(
      config({
        port: 9000,
        healthPath: "/api/version",
        healthStatuses: "200,302",
        healthTries: 4,
        healthInterval: 2,
      }),
      "10.0.0.12",
    );
    expect(candidate.probe).toEqual({
      host: "10.0.0.12",
      port: 9000,
      path: "/api/version",
      statuses: "200-200,302-302",
      tries: 4,
      interval: 2,
    });
    // The probe's frame ends where the next one (the HTTPS form of the site) starts.
    expect(renderApplyInput(candidate).split("#== probe\n")[1].split("#== ")[0]).toBe(
      "host 10.0.0.12\nport 9000\npath /api/version\nstatuses 200-200,302-302\ntries 4\ninterval 2\n",
    );
  });

  test("the offline candidate carries no probe", () => {
    const candidate = renderProxyCandidate(config({ mode: "offline" }), undefined);
    expect(candidate.probe).toBeUndefined();
    expect(renderApplyInput(candidate)).not.toContain("#== probe");
  });

  test("the offline page says when the site is expected back, only when offlineUntil is set", () => {
    const page = renderProxyCandidate(
      config({ mode: "offline", offlineUntil: "2026-12-01" }),
      undefined,
    ).page;
    expect(page).toContain('<p>Expected back: <time datetime="2026-12-01">2026-12-01</time></p>\n</body>');
    const without = renderProxyCandidate(config({ mode: "offline" }), undefined).page;
    expect(without).not.toContain("Expected back");
  });
});

describe("the edges of the status list and of the expected-back date", () => {
  test.each([
    ["100", "100-100"],
    ["599", "599-599"],
    ["100-599", "100-599"],
    ["204-204", "204-204"],
    [" 200 , 301-302 ", "200-200,301-302"],
  ])("statuses %j are the ranges %j", (written, ranges) => {
    expect(validateStackConfig(stackWith({ healthStatuses: written }), "iu").proxy?.health.statuses).toBe(
      ranges,
    );
  });

  test.each(["99", "600", "099-200", "200-", "200,,300", "2000", "x200", "200x"])(
    "statuses %j are refused",
    (written) => {
      expect(problemsOf(stackWith({ healthStatuses: written }))).toEqual([
        `proxy.healthStatuses: ${JSON.stringify(written)} is not a status list; ${STATUSES_ALLOWED}`,
      ]);
    },
  );

  test.each([
    "2026-12-01",
    "2028-02-29",
    "2026-12-31T23:59Z",
    "2026-12-01T00:00:59+23:59",
    "2026-12-01T09:00-05:00",
  ])("offlineUntil %j is a date", (until) => {
    expect(validateStackConfig(stackWith({ offlineUntil: until }), "iu").proxy?.offlineUntil).toBe(until);
  });

  test.each([
    "2026-13-01",
    "2026-00-10",
    "2026-12-00",
    "2026-12-32",
    "2027-02-29",
    "2026-12-01T24:00Z",
    "2026-12-01T09:60Z",
    "2026-12-01T09:00:60Z",
    "2026-12-01T09:00+24:00",
    "2026-12-01T09:00+05:60",
    "2026-12-01 09:00Z",
    "2026-12-01T09:00:5Z",
    "0050-01-01",
    "x2026-12-01",
    "2026-12-01Zx",
  ])("offlineUntil %j is refused", (until) => {
    expect(problemsOf(stackWith({ offlineUntil: until }))).toEqual([
      `proxy.offlineUntil: ${JSON.stringify(until)} is not a date; ${UNTIL_ALLOWED}`,
    ]);
  });
});

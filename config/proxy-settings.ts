/**
 * The proxy settings that need more than a pattern: the health gate's accepted statuses, the
 * offline page's "expected back" date. Each returns the value or one problem line.
 */

const STATUSES_ALLOWED =
  'allowed: status codes from 100 to 599, single or as low-high ranges, comma-separated ("200-399", "200,302")';

/** "200-399,401" -> "200-399,401-401": the apply script reads every item as a range. */
export function parseHealthStatuses(value: string): { ranges: string } | { problem: string } {
  const items = value.split(",");
  const ranges: string[] = [];
  for (const item of items) {
    const match = /^(\d{3})(?:-(\d{3}))?$/.exec(item.trim());
    const low = Number(match?.[1]);
    const high = Number(match?.[2] ?? match?.[1]);
    if (!match || low < 100 || high > 599 || low > high) {
      return {
        problem: `proxy.healthStatuses: ${JSON.stringify(value)} is not a status list; ${STATUSES_ALLOWED}`,
      };
    }
    ranges.push(`${low}-${high}`);
  }
  return { ranges: ranges.join(",") };
}

export const OFFLINE_UNTIL_ALLOWED =
  'allowed: an ISO date ("2026-12-01") or date-time with a zone ("2026-12-01T09:00Z", "2026-12-01T09:00:00-05:00"); quote it in YAML';

/** A real calendar date and time, in the two ISO 8601 forms people write by hand. */
export function checkOfflineUntil(value: unknown): string | undefined {
  const text = typeof value === "string" ? value : "";
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:Z|[+-](\d{2}):(\d{2})))?$/.exec(
    text,
  );
  const [year, month, day, hour, minute, second, zoneHour, zoneMinute] = (match?.slice(1) ?? []).map((part) =>
    Number(part ?? 0),
  );
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    match !== null &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    zoneHour < 24 &&
    zoneMinute < 60;
  if (valid) return undefined;
  return `proxy.offlineUntil: ${JSON.stringify(value)} is not a date; ${OFFLINE_UNTIL_ALLOWED}`;
}

/**
 * Well-known ports of services that do not speak HTTP: the proxy forwards plain HTTP to
 * proxy.port, so a target there answers every request with an error (most often the SSH port
 * given for the service's, or a typo). Only ports no web service is put on by convention.
 */
const NOT_HTTP_PORTS = new Map<number, string>([
  [21, "FTP"],
  [22, "SSH"],
  [23, "Telnet"],
  [25, "SMTP"],
  [53, "DNS"],
  [111, "rpcbind"],
  [465, "SMTPS"],
  [587, "SMTP submission"],
  [2049, "NFS"],
  [3306, "MySQL"],
  [5432, "PostgreSQL"],
  [5672, "AMQP (RabbitMQ)"],
  [6379, "Redis"],
]);

const REFUSED_PORTS = [...NOT_HTTP_PORTS.keys(), 443].sort((a, b) => a - b).join(", ");

export const PROXY_PORT_ALLOWED = `allowed: the port of the target's HTTP service (Galaxy's is 8080), an integer from 1 to 65535 but ${REFUSED_PORTS}`;

/** Why the proxy cannot forward to `port` ("is SSH's port, ..."), or undefined. */
export function notAnHttpPort(port: number): string | undefined {
  // 443 is HTTPS by convention; nginx's `proxy_pass http://` sends plain HTTP, which a TLS
  // listener refuses (nginx's own answers "400 The plain HTTP request was sent to HTTPS port").
  if (port === 443) {
    return "is HTTPS's port: the proxy speaks plain HTTP to its target (proxy_pass http://), which a TLS service answers with 400";
  }
  const service = NOT_HTTP_PORTS.get(port);
  return service === undefined
    ? undefined
    : `is ${service}'s port, not an HTTP service's: the proxy forwards HTTP`;
}

/**
 * Whether the "expected back" date has passed at `now`. A date alone passes once its day has
 * ended everywhere (at UTC-12): the operator's zone is not written down.
 */
export function offlineUntilPassed(value: string, now: Date): boolean {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const end = day ? Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1, 12) : Date.parse(value);
  return now.getTime() >= end;
}

/** The problem a passed `offlineUntil` makes on the offline page, or undefined. */
export function offlineUntilPassedProblem(value: string | undefined, now: Date): string | undefined {
  if (value === undefined || !offlineUntilPassed(value, now)) return undefined;
  return `proxy.offlineUntil: ${JSON.stringify(value)} has passed: the offline page would tell visitors the site was expected back then; allowed: a later date, or no offlineUntil`;
}

/**
 * What a port refusal offers: the open ports ("22", "8000-8100") an HTTP service can be on, as
 * "one of those an HTTP service can be on (80, 8080), or " (empty when there is none).
 */
export function openHttpPortsChoice(open: string[]): string {
  const http = open.filter((ports) => ports.includes("-") || notAnHttpPort(Number(ports)) === undefined);
  return http.length === 0 ? "" : `one of those an HTTP service can be on (${http.join(", ")}), or `;
}

/**
 * The proxy settings that need more than a pattern: the health gate's accepted statuses and the
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

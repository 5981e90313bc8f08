/**
 * How the console writes numbers and times for people: counts with thousands separators, instants
 * as "UTC 2026-11-23 08:00 (local 09:00)" — UTC first, the common time of a coalition — and
 * lengths of time in the largest units that matter.
 */
const counts = new Intl.NumberFormat('en-GB');

export const formatCount = (n: number) => counts.format(n);

/** "3 observations", "1 observation". */
export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

const pad = (n: number) => String(n).padStart(2, '0');

/** "UTC 2026-11-23 08:00:05"; seconds only when asked for. */
export function utc(iso: string, seconds = false): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const day = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}${seconds ? `:${pad(t.getUTCSeconds())}` : ''}`;
  return `UTC ${day} ${time}`;
}

/** The workstation's local time of the same instant, with the date when it differs from the UTC one. */
export function local(iso: string, seconds = false): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}${seconds ? `:${pad(t.getSeconds())}` : ''}`;
  const sameDay = t.getDate() === t.getUTCDate();
  return sameDay ? `local ${time}` : `local ${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${time}`;
}

/** "UTC 2026-11-23 08:00 (local 09:00)". */
export const instant = (iso: string, seconds = false) => `${utc(iso, seconds)} (${local(iso, seconds)})`;

/** A duration in seconds as "6 h", "5 min", "1 d 2 h". */
export function duration(totalSeconds: number): string {
  const d = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`, s && !d && `${s} s`].filter(Boolean);
  return parts.length === 0 ? '0 s' : parts.slice(0, 2).join(' ');
}

/** A field name as people say it: "derivedPurged" → "derived purged", "divergence-threshold" → "divergence threshold". */
export function humanise(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
}

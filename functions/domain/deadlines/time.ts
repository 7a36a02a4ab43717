/**
 * Asia/Shanghai date and time arithmetic. China has used UTC+8 all year with no daylight saving since 1991,
 * so Shanghai wall-clock time is plain fixed-offset arithmetic: no timezone library, no host-TZ dependence.
 *
 * Two kinds of value travel through this module:
 * - a *date* (`LocalDate`): `YYYY-MM-DD`, a calendar day in Shanghai;
 * - an *instant*: ISO 8601 with an explicit offset (`Z` or `±HH:MM`), e.g. `2026-09-30T15:30:00Z`.
 * Every instant this module produces is written with the `+08:00` offset, e.g. `2026-10-08T23:59:59+08:00`.
 *
 * An instant is read in every form ISO 8601 (RFC 3339) writes one: `Z` or an offset, seconds optional, a fraction of
 * any length (kept to the millisecond, the rest truncated). Only years 0000–9999 exist here: a value that would need
 * another year is a RangeError, never a silently cut string (`new Date(…).toISOString()` writes `+010000-…`).
 */

/** `YYYY-MM-DD`, a calendar day in Asia/Shanghai. */
export type LocalDate = string;

export const SHANGHAI_OFFSET = '+08:00';
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Linear: each part is a fixed run of digits or one unbounded run of digits followed by a different character.
const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d+))?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const MIN_YEAR = 0;
const MAX_YEAR = 9999;

/** True for a real calendar day written `YYYY-MM-DD` (rejects 2026-02-30, 2026-13-01). */
export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** Milliseconds since the epoch of an ISO 8601 instant with an explicit offset; throws RangeError otherwise. */
export function parseInstant(iso: string): number {
  const ms = instantOrUndefined(iso);
  if (ms === undefined) throw new RangeError(`not an ISO 8601 instant with an offset: ${JSON.stringify(iso.length > 64 ? `${iso.slice(0, 64)}…` : iso)}`);
  return ms;
}

/** Like parseInstant, but undefined instead of a RangeError (for reading stored values that may predate a check). */
export function instantOrUndefined(iso: unknown): number | undefined {
  if (typeof iso !== 'string') return undefined;
  const m = INSTANT_RE.exec(iso);
  if (!m || !isLocalDate(m[1]!)) return undefined;
  // Date.parse reads at most milliseconds reliably: the fraction is cut to three digits first.
  const frac = (m[5] ?? '').slice(0, 3).padEnd(3, '0');
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}.${frac}${m[6]}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The one stored form of an instant: Shanghai time, milliseconds only when non-zero (`formatShanghai`). */
export const normaliseInstant = (iso: string): string => formatShanghai(parseInstant(iso));

/** `YYYY-MM-DDTHH:mm:ss.sss` of a UTC millisecond count; a RangeError outside years 0000–9999. */
function isoOf(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (Number.isNaN(y) || y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`instant outside the years ${MIN_YEAR}–${MAX_YEAR}: ${ms}`);
  return d.toISOString().slice(0, 23);
}

/** The Shanghai calendar day of an instant (`2026-09-30T15:30:00Z` → `2026-09-30`, `…T16:30:00Z` → `2026-10-01`). */
export function shanghaiDateOf(instant: string | number): LocalDate {
  const ms = typeof instant === 'number' ? instant : parseInstant(instant);
  return isoOf(ms + OFFSET_MS).slice(0, 10);
}

/**
 * The Shanghai day of either a `YYYY-MM-DD` date (returned as is) or an instant (converted to Shanghai
 * time first). Throws RangeError for anything else.
 */
export function toShanghaiDate(dateOrInstant: string): LocalDate {
  if (DATE_RE.test(dateOrInstant)) {
    if (!isLocalDate(dateOrInstant)) throw new RangeError(`not a real date: ${JSON.stringify(dateOrInstant)}`);
    return dateOrInstant;
  }
  return shanghaiDateOf(dateOrInstant);
}

/** An instant written in Shanghai time: `2026-10-01T00:30:00+08:00` (milliseconds only when non-zero). */
export function formatShanghai(ms: number): string {
  const iso = isoOf(ms + OFFSET_MS); // YYYY-MM-DDTHH:mm:ss.sss, shifted to wall-clock
  const frac = iso.slice(19, 23);
  return `${iso.slice(0, 19)}${frac === '.000' ? '' : frac}${SHANGHAI_OFFSET}`;
}

/** 23:59:59 Shanghai time of a day: `2026-10-08T23:59:59+08:00`. */
export function endOfDay(date: LocalDate): string {
  return `${date}T23:59:59${SHANGHAI_OFFSET}`;
}

function dateToUtcMs(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m || !isLocalDate(date)) throw new RangeError(`not a real date: ${JSON.stringify(date)}`);
  // Not Date.UTC: it reads the years 0–99 as 1900–1999.
  return new Date(0).setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** The day `n` calendar days after `date` (negative `n` goes back). */
export function plusDays(date: LocalDate, n: number): LocalDate {
  return isoOf(dateToUtcMs(date) + n * DAY_MS).slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(dateToUtcMs(date)).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

export function daysInMonth(year: number, month1to12: number): number {
  return new Date(new Date(0).setUTCFullYear(year, month1to12, 0)).getUTCDate();
}

/**
 * The same day-of-month `n` months later, clamped to the month's last day when it is shorter:
 * 2026-01-31 + 1 → 2026-02-28, 2028-01-31 + 1 → 2028-02-29, 2026-08-31 + 3 → 2026-11-30.
 */
export function plusMonths(date: LocalDate, n: number): LocalDate {
  const m = DATE_RE.exec(date);
  if (!m || !isLocalDate(date)) throw new RangeError(`not a real date: ${JSON.stringify(date)}`);
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + n;
  const y = Math.floor(total / 12);
  if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`date outside the years ${MIN_YEAR}–${MAX_YEAR}: ${date} + ${n} months`);
  const mo = (total % 12) + 1;
  const d = Math.min(Number(m[3]), daysInMonth(y, mo));
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

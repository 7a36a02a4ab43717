/**
 * The deployed working calendar: `config/calendar.json`, one entry per year. `validateCalendar()` checks it with zod
 * (every problem listed, the year named) and runs in the tests and in `cdk synth` (lib/hotline-app.ts), so a bad
 * edit never deploys; `calendar` is built from the JSON without validating it again, which keeps zod out of the
 * Lambda bundles. The JSON is imported statically so esbuild inlines it (no file I/O at cold start).
 *
 * To add a year (the State Council publishes the next year's notice, usually in November): add its entry to
 * `config/calendar.json` — by hand, or `npx tsx scripts/calendar-from-chinese-days.ts` after updating the
 * chinese-days devDependency. No code changes. Until then, deadlines that run into that year are computed
 * weekends-only and flagged `beyondKnownCalendar`.
 */
import file from '../../config/calendar.json' with { type: 'json' };
import { ConfigError } from '../domain/errors.js';
import { calendarFromFiles, calendarYearFromFile, WorkingCalendar, type CalendarYearFile } from '../domain/deadlines/calendar.js';

const FILE = 'config/calendar.json';

export function yearEntries(data: unknown): ReadonlyArray<readonly [file: string, data: unknown]> {
  const years = (data as { years?: unknown }).years;
  if (!Array.isArray(years)) throw new ConfigError(FILE, ['years: expected an array of calendar years']);
  return years.map((y, i) => [`${FILE} years.${i} (${String((y as { year?: unknown }).year)})`, y] as const);
}

/** `[label, data]` per year, for validation. */
export const YEAR_ENTRIES = /* @__PURE__ */ yearEntries(file);

/** Validates every year of the file; throws ConfigError listing every problem. */
export function validateCalendar(): WorkingCalendar {
  return calendarFromFiles(YEAR_ENTRIES);
}

export const calendar: WorkingCalendar = WorkingCalendar.fromYears((file.years as CalendarYearFile[]).map(calendarYearFromFile));

/**
 * The deployed working calendar: `config/calendar.json`, one entry per year, validated at module load (a bad edit
 * fails the build, the tests and the first cold start, with every problem listed and the year named). The JSON is
 * imported statically so esbuild inlines it into each Lambda bundle (no file I/O at cold start).
 *
 * To add a year (the State Council publishes the next year's notice, usually in November): add its entry to
 * `config/calendar.json` — by hand, or `npx tsx scripts/calendar-from-chinese-days.ts` after updating the
 * chinese-days devDependency. No code changes. Until then, deadlines that run into that year are computed
 * weekends-only and flagged `beyondKnownCalendar`.
 */
import file from '../../config/calendar.json' with { type: 'json' };
import { ConfigError } from '../domain/errors.js';
import { WorkingCalendar } from '../domain/deadlines/calendar.js';

const FILE = 'config/calendar.json';

function yearEntries(data: unknown): ReadonlyArray<readonly [file: string, data: unknown]> {
  const years = (data as { years?: unknown }).years;
  if (!Array.isArray(years)) throw new ConfigError(FILE, ['years: expected an array of calendar years']);
  return years.map((y, i) => [`${FILE} years.${i} (${String((y as { year?: unknown }).year)})`, y] as const);
}

export const YEAR_ENTRIES = yearEntries(file);

export const calendar: WorkingCalendar = WorkingCalendar.fromFiles(YEAR_ENTRIES);

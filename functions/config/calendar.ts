/**
 * The deployed working calendar: one file per year under `config/calendar/`, validated at module load
 * (a bad edit fails the build, the tests and the first cold start, with every problem listed).
 *
 * Why one file per year with a static import each (rather than one big `config/calendar.json`, or an index
 * file read at run time): the State Council publishes one notice per year, so a year is one reviewable file
 * with its own `source`, the generator rewrites a year without touching the others, and an error names the
 * exact file. Static imports let esbuild inline the JSON into each Lambda bundle (no file I/O at cold
 * start); an index read at run time could not be bundled. The test
 * `test/domain/deadlines/config-files.test.ts` fails if a file in `config/calendar/` is not imported here,
 * so a forgotten line cannot go unnoticed.
 *
 * To add a year (e.g. when the notice for 2027 is published, usually in November):
 *   1. add `config/calendar/2027.json` (by hand, or `npx tsx scripts/calendar-from-chinese-days.ts` after
 *      updating the chinese-days devDependency);
 *   2. add one import line below and the name to `YEAR_FILES`.
 * Until then, deadlines that run into 2027 are computed weekends-only and flagged `beyondKnownCalendar`.
 */
import y2024 from '../../config/calendar/2024.json' with { type: 'json' };
import y2025 from '../../config/calendar/2025.json' with { type: 'json' };
import y2026 from '../../config/calendar/2026.json' with { type: 'json' };
import { WorkingCalendar } from '../domain/deadlines/calendar.js';

export const YEAR_FILES: ReadonlyArray<readonly [file: string, data: unknown]> = [
  ['config/calendar/2024.json', y2024],
  ['config/calendar/2025.json', y2025],
  ['config/calendar/2026.json', y2026],
];

export const calendar: WorkingCalendar = WorkingCalendar.fromFiles(YEAR_FILES);

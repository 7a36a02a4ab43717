/**
 * Regenerates the entries of `config/calendar.json` from the `chinese-days` devDependency (dev time only;
 * runtime code never imports chinese-days). Writes every year the package knows from `--from` (default 2024)
 * on, leaves other years alone (a deployer may have added a year by hand), validates each entry the way the
 * runtime does, and cross-checks every day of the year against the package's own `isWorkday`.
 *
 *   npx tsx scripts/calendar-from-chinese-days.ts            # write
 *   npx tsx scripts/calendar-from-chinese-days.ts --check    # exit 1 if an entry differs from the package
 *   npx tsx scripts/calendar-from-chinese-days.ts --from 2025
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import chineseDays from 'chinese-days';
import { parseCalendarYear, WorkingCalendar } from '../functions/domain/deadlines/calendar.js';
import { plusDays } from '../functions/domain/deadlines/time.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const calendarPath = join(root, 'config/calendar.json');
type Entry = { year: number; source: string; holidays: string[]; makeupWorkdays: string[] };
const calendarFile = JSON.parse(readFileSync(calendarPath, 'utf8')) as { $comment?: string; years: Entry[] };
const { values } = parseArgs({ options: { from: { type: 'string', default: '2024' }, check: { type: 'boolean', default: false } } });
const fromYear = Number(values.from);

const require = createRequire(import.meta.url);
const pkgJson = require.resolve('chinese-days/package.json');
const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
const data = JSON.parse(readFileSync(join(dirname(pkgJson), 'dist/chinese-days.json'), 'utf8')) as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const byYear = new Map<number, { holidays: string[]; makeupWorkdays: string[] }>();
const bucket = (d: string) => {
  const y = Number(d.slice(0, 4));
  let b = byYear.get(y);
  if (!b) {
    b = { holidays: [], makeupWorkdays: [] };
    byYear.set(y, b);
  }
  return b;
};
for (const d of Object.keys(data.holidays)) bucket(d).holidays.push(d);
for (const d of Object.keys(data.workdays)) bucket(d).makeupWorkdays.push(d);

let differs = 0;
let changed = false;
for (const year of [...byYear.keys()].filter((y) => y >= fromYear).sort()) {
  const b = byYear.get(year)!;
  const entry: Entry = {
    year,
    source: `国务院办公厅关于${year}年部分节假日安排的通知 (generated from chinese-days@${pkg.version} by scripts/calendar-from-chinese-days.ts)`,
    holidays: b.holidays.sort(),
    makeupWorkdays: b.makeupWorkdays.sort(),
  };
  const name = `config/calendar.json (${year})`;
  const parsed = parseCalendarYear(entry, name); // throws ConfigError on anything the runtime would reject

  // Cross-check every day against the package's own answer.
  const cal = WorkingCalendar.fromYears([parsed]);
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = plusDays(d, 1)) {
    if (cal.isWorkingDay(d) !== chineseDays.isWorkday(d)) throw new Error(`${name}: ${d} disagrees with chinese-days.isWorkday`);
  }

  const i = calendarFile.years.findIndex((y) => y.year === year);
  if (i >= 0 && JSON.stringify(calendarFile.years[i]) === JSON.stringify(entry)) {
    console.log(`${name}: up to date`);
  } else if (values.check) {
    differs++;
    console.log(`${name}: ${i < 0 ? 'missing' : 'differs from chinese-days'}`);
  } else {
    if (i >= 0) calendarFile.years[i] = entry;
    else calendarFile.years.push(entry);
    changed = true;
    console.log(`${name}: written (${entry.holidays.length} holidays, ${entry.makeupWorkdays.length} make-up working days)`);
  }
}
if (changed) {
  calendarFile.years.sort((a, b) => a.year - b.year);
  writeFileSync(calendarPath, `${JSON.stringify(calendarFile, null, 2)}\n`);
}
if (differs) process.exit(1);

/**
 * Regenerates `config/calendar/<year>.json` from the `chinese-days` devDependency (dev time only; runtime
 * code never imports chinese-days). Writes every year the package knows from `--from` (default 2024) on,
 * leaves other year files alone (a deployer may have added a year by hand), validates each file the way
 * the runtime does, and cross-checks every day of the year against the package's own `isWorkday`.
 *
 *   npx tsx scripts/calendar-from-chinese-days.ts            # write
 *   npx tsx scripts/calendar-from-chinese-days.ts --check    # exit 1 if a file differs from the package
 *   npx tsx scripts/calendar-from-chinese-days.ts --from 2025
 *
 * A year written for the first time must also be imported in `functions/config/calendar.ts`; the script
 * says so when one is missing.
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import chineseDays from 'chinese-days';
import { parseCalendarYear, WorkingCalendar } from '../functions/domain/deadlines/calendar.js';
import { plusDays } from '../functions/domain/deadlines/time.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'config/calendar');
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
  if (!b) byYear.set(y, (b = { holidays: [], makeupWorkdays: [] }));
  return b;
};
for (const d of Object.keys(data.holidays)) bucket(d).holidays.push(d);
for (const d of Object.keys(data.workdays)) bucket(d).makeupWorkdays.push(d);

const calendarTs = readFileSync(join(root, 'functions/config/calendar.ts'), 'utf8');
mkdirSync(outDir, { recursive: true });
let differs = 0;
for (const year of [...byYear.keys()].filter((y) => y >= fromYear).sort()) {
  const b = byYear.get(year)!;
  const file = {
    year,
    source: `国务院办公厅关于${year}年部分节假日安排的通知 (generated from chinese-days@${pkg.version} by scripts/calendar-from-chinese-days.ts)`,
    holidays: b.holidays.sort(),
    makeupWorkdays: b.makeupWorkdays.sort(),
  };
  const rel = `config/calendar/${year}.json`;
  const parsed = parseCalendarYear(file, rel); // throws ConfigError on anything the runtime would reject

  // Cross-check every day against the package's own answer.
  const cal = WorkingCalendar.fromYears([parsed]);
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = plusDays(d, 1)) {
    if (cal.isWorkingDay(d) !== chineseDays.isWorkday(d)) throw new Error(`${rel}: ${d} disagrees with chinese-days.isWorkday`);
  }

  const text = `${JSON.stringify(file, null, 2)}\n`;
  const path = join(outDir, `${year}.json`);
  const old = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (old === text) {
    console.log(`${rel}: up to date`);
  } else if (values.check) {
    differs++;
    console.log(`${rel}: ${old === undefined ? 'missing' : 'differs from chinese-days'}`);
  } else {
    writeFileSync(path, text);
    console.log(`${rel}: written (${file.holidays.length} holidays, ${file.makeupWorkdays.length} make-up working days)`);
  }
  if (!calendarTs.includes(`calendar/${year}.json`)) {
    console.log(`  → add to functions/config/calendar.ts: import y${year} from '../../config/calendar/${year}.json' with { type: 'json' };`);
  }
}
if (differs) process.exit(1);

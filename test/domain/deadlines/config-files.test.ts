import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { YEAR_ENTRIES, calendar } from '../../../functions/config/calendar.js';
import { parseCalendarYear } from '../../../functions/domain/deadlines/index.js';

const file = JSON.parse(readFileSync(new URL('../../../config/calendar.json', import.meta.url), 'utf8')) as {
  years: { year: number; holidays: string[]; makeupWorkdays: string[] }[];
};

describe('deployed calendar file', () => {
  it('holds every year once, in order, and the loader reads all of them (adding a year is a data change only)', () => {
    const years = file.years.map((y) => y.year);
    expect(years).toEqual([...new Set(years)].sort());
    expect(YEAR_ENTRIES.map(([, data]) => (data as { year: number }).year)).toEqual(years);
  });

  it('each year is valid on its own and the calendar covers 2024–2026 without gaps', () => {
    for (const [name, data] of YEAR_ENTRIES) expect(parseCalendarYear(data, name).source).toMatch(/国务院办公厅/);
    expect(calendar.years).toEqual([2024, 2025, 2026]);
  });

  it('2026 matches the State Council notice', () => {
    const y = file.years.find((x) => x.year === 2026)!;
    expect(y.makeupWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (let d = 1; d <= 7; d++) expect(y.holidays).toContain(`2026-10-0${d}`);
    for (let d = 15; d <= 23; d++) expect(y.holidays).toContain(`2026-02-${d}`);
    for (const d of ['2026-01-01', '2026-04-04', '2026-05-01', '2026-05-05', '2026-06-19', '2026-09-25']) expect(y.holidays).toContain(d);
    expect(y.holidays).toHaveLength(33);
  });
});

describe('runtime code', () => {
  it('never imports chinese-days (a devDependency, used only by scripts/calendar-from-chinese-days.ts)', () => {
    const root = new URL('../../../functions/', import.meta.url);
    const offenders = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from\s+['"]chinese-days|import\(\s*['"]chinese-days|require\(\s*['"]chinese-days/.test(readFileSync(new URL(f, root), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

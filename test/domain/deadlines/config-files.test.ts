import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { YEAR_FILES, calendar } from '../../../functions/config/calendar.js';
import { parseCalendarYear } from '../../../functions/domain/deadlines/index.js';

const dir = new URL('../../../config/calendar/', import.meta.url);

describe('deployed calendar files', () => {
  it('every config/calendar/<year>.json is imported by functions/config/calendar.ts', () => {
    const onDisk = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => `config/calendar/${f}`).sort();
    expect(YEAR_FILES.map(([f]) => f).sort()).toEqual(onDisk);
    for (const f of onDisk) expect(f).toMatch(/^config\/calendar\/\d{4}\.json$/);
  });

  it('each file is valid on its own and the calendar covers 2024–2026 without gaps', () => {
    for (const [file, data] of YEAR_FILES) expect(parseCalendarYear(data, file).source).toMatch(/国务院办公厅/);
    expect(calendar.years).toEqual([2024, 2025, 2026]);
  });

  it('2026 matches the State Council notice', () => {
    const y = JSON.parse(readFileSync(new URL('2026.json', dir), 'utf8')) as { holidays: string[]; makeupWorkdays: string[] };
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

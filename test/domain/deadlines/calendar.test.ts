import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/domain/errors.js';
import { calendarFromFiles, parseCalendarYear, WorkingCalendar } from '../../../functions/domain/deadlines/index.js';
import { calendar } from '../../../functions/config/calendar.js';

const validYear = (over: Record<string, unknown> = {}) => ({
  year: 2027,
  source: 'test',
  holidays: ['2027-01-01', '2027-10-01'],
  makeupWorkdays: ['2027-09-26'], // a Sunday
  ...over,
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('WorkingCalendar (deployed calendar)', () => {
  it('knows weekends, holidays and make-up days', () => {
    expect(calendar.isWorkingDay('2026-09-30')).toBe(true); // Wednesday
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // make-up Saturday
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // make-up Sunday
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Spring Festival make-up Saturday
    expect(calendar.isWorkingDay('2026-02-23')).toBe(false); // Spring Festival Monday
  });

  it('answers for an instant by its Shanghai day', () => {
    expect(calendar.isWorkingDay('2026-09-30T15:30:00Z')).toBe(true); // 23:30 on the 30th
    expect(calendar.isWorkingDay('2026-09-30T16:30:00Z')).toBe(false); // 00:30 on 1 October
  });

  it('knows its covered range', () => {
    expect(calendar.years).toEqual([2024, 2025, 2026]);
    expect(calendar.firstDay).toBe('2024-01-01');
    expect(calendar.lastDay).toBe('2026-12-31');
    expect(calendar.covers('2026-12-31')).toBe(true);
    expect(calendar.covers('2026-12-31T16:00:00Z')).toBe(false); // already 2027 in Shanghai
    expect(calendar.covers('2027-01-01')).toBe(false);
    expect(calendar.covers('2023-12-31')).toBe(false);
  });

  it('counts the Nth working day after the day, that day not counted', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toEqual({ at: '2026-10-08T23:59:59+08:00', beyondKnownCalendar: false });
    expect(calendar.addWorkingDays('2026-09-30', 3).at).toBe('2026-10-10T23:59:59+08:00');
    expect(calendar.addWorkingDays('2026-09-30', 13).at).toBe('2026-10-23T23:59:59+08:00');
    expect(calendar.addWorkingDays('2026-10-10', 0).at).toBe('2026-10-10T23:59:59+08:00');
    // dispatched on a holiday: the first working day after it
    expect(calendar.addWorkingDays('2026-10-03', 1).at).toBe('2026-10-08T23:59:59+08:00');
    expect(() => calendar.addWorkingDays('2026-10-03', -1)).toThrow(RangeError);
  });

  it('flags a count that runs past the known calendar and estimates weekends-only', () => {
    // Monday 2026-12-28: Tue 29, Wed 30, Thu 31, then 2027 unknown: Fri 1 Jan counted as a working day.
    expect(calendar.addWorkingDays('2026-12-28', 3)).toEqual({ at: '2026-12-31T23:59:59+08:00', beyondKnownCalendar: false });
    expect(calendar.addWorkingDays('2026-12-28', 4)).toEqual({ at: '2027-01-01T23:59:59+08:00', beyondKnownCalendar: true });
    expect(calendar.addWorkingDays('2026-12-28', 13)).toEqual({ at: '2027-01-14T23:59:59+08:00', beyondKnownCalendar: true });
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false); // Saturday, weekends-only estimate
  });

  it('treats a missing year between known years as unknown', () => {
    const cal = WorkingCalendar.fromYears([
      parseCalendarYear({ year: 2024, source: 's', holidays: [], makeupWorkdays: [] }, '2024.json'),
      parseCalendarYear({ year: 2026, source: 's', holidays: [], makeupWorkdays: [] }, '2026.json'),
    ]);
    expect(cal.covers('2025-06-01')).toBe(false);
    expect(cal.addWorkingDays('2024-12-30', 2).beyondKnownCalendar).toBe(true);
  });

  it('hours, days and months are calendar-independent', () => {
    expect(calendar.addHours('2027-05-01T10:00:00+08:00', 24)).toEqual({ at: '2027-05-02T10:00:00+08:00', beyondKnownCalendar: false });
    expect(calendar.addCalendarDays('2026-12-30', 7)).toEqual({ at: '2027-01-06T23:59:59+08:00', beyondKnownCalendar: false });
    expect(calendar.addMonths('2026-12-31', 2)).toEqual({ at: '2027-02-28T23:59:59+08:00', beyondKnownCalendar: false });
  });
});

describe('calendar file validation', () => {
  it('accepts a valid year', () => {
    const y = parseCalendarYear(validYear({ holidays: ['2027-10-01', '2027-01-01'] }), 'config/calendar/2027.json');
    expect(y.holidays).toEqual(['2027-01-01', '2027-10-01']);
  });

  it('rejects a make-up day on a weekday, naming file and path', () => {
    const e = configError(() => parseCalendarYear(validYear({ makeupWorkdays: ['2027-09-26', '2027-09-29'] }), 'config/calendar/2027.json'));
    expect(e.file).toBe('config/calendar/2027.json');
    expect(e.problems).toEqual([expect.stringMatching(/^makeupWorkdays\.1: 2027-09-29 is a Wednesday/)]);
    expect(e.message).toContain('config/calendar/2027.json');
  });

  it('rejects a date outside the file year', () => {
    const e = configError(() => parseCalendarYear(validYear({ holidays: ['2027-01-01', '2026-12-31'] }), 'config/calendar/2027.json'));
    expect(e.problems).toEqual(['holidays.1: 2026-12-31 is not in 2027']);
  });

  it('rejects a day that is both a holiday and a make-up day', () => {
    const e = configError(() => parseCalendarYear(validYear({ holidays: ['2027-09-26'] }), 'config/calendar/2027.json'));
    expect(e.problems).toEqual(['makeupWorkdays.0: 2027-09-26 is also listed under holidays']);
  });

  it('rejects duplicates, unreal dates, bad shapes and a year that disagrees with the file name', () => {
    expect(configError(() => parseCalendarYear(validYear({ holidays: ['2027-01-01', '2027-01-01'] }), 'c/2027.json')).problems).toEqual([
      'holidays.1: 2027-01-01 is listed twice (also holidays.0)',
    ]);
    const bad = configError(() => parseCalendarYear(validYear({ holidays: ['2027-02-30', '2027-1-5'] }), 'c/2027.json'));
    expect(bad.problems).toHaveLength(2);
    expect(bad.problems[0]).toMatch(/^holidays\.0: must be a real date/);
    expect(bad.problems[1]).toMatch(/^holidays\.1: /);
    expect(configError(() => parseCalendarYear(validYear({ extra: 1 }), 'c/2027.json')).problems[0]).toMatch(/extra/);
    expect(configError(() => parseCalendarYear({ year: 2027 }, 'c/2027.json')).problems.length).toBeGreaterThanOrEqual(3);
    expect(configError(() => parseCalendarYear(validYear(), 'config/calendar/2028.json')).problems).toEqual([
      'year: 2027 does not match the file name (2028.json)',
    ]);
  });

  it('names the bad file among several, and rejects a year given twice', () => {
    const good = validYear();
    const e = configError(() =>
      calendarFromFiles([
        ['config/calendar/2027.json', good],
        ['config/calendar/2028.json', { ...validYear({ year: 2028 }), holidays: ['2028-01-01'], makeupWorkdays: ['2028-01-05'] }],
      ]),
    );
    expect(e.file).toBe('config/calendar/2028.json');
    expect(e.problems[0]).toMatch(/^makeupWorkdays\.0: 2028-01-05 is a Wednesday/);

    const both = configError(() =>
      calendarFromFiles([
        ['config/calendar/2027.json', validYear({ holidays: ['2026-01-01'] })],
        ['config/calendar/2028.json', validYear({ year: 2028, holidays: [], makeupWorkdays: ['2028-01-05'] })],
      ]),
    );
    expect(both.problems).toEqual([
      'config/calendar/2027.json: holidays.0: 2026-01-01 is not in 2027',
      'config/calendar/2028.json: makeupWorkdays.0: 2028-01-05 is a Wednesday; a make-up working day (调休) falls on a weekend',
    ]);

    expect(
      configError(() =>
        calendarFromFiles([
          ['a/2027.json', good],
          ['b/2027.json', good],
        ]),
      ).problems,
    ).toEqual(['year 2027 is given twice']);
  });
});

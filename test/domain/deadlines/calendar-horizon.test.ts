import { describe, expect, it } from 'vitest';
import { CALENDAR_WARNING_DAYS, calendarHorizon } from '../../../functions/domain/deadlines/calendar-horizon.js';
import { WorkingCalendar } from '../../../functions/domain/deadlines/calendar.js';

const year = (y: number) => ({ year: y, source: 'test', holidays: [], makeupWorkdays: [] });
const through2026 = WorkingCalendar.fromYears([year(2025), year(2026)]);

describe('calendarHorizon', () => {
  it('warns on 2026-12-03 that a calendar ending with 2026 runs out in 29 days', () => {
    const h = calendarHorizon(through2026, new Date('2026-12-03T09:00:00+08:00'));
    expect(h).toMatchObject({ lastDay: '2026-12-31', daysLeft: 29, endsSoon: true });
    expect(h.warning).toContain('2026-12-31');
    expect(h.warning).toContain('config/calendar.json');
  });

  it(`warns from ${CALENDAR_WARNING_DAYS} days before the first unknown day, not a day earlier`, () => {
    // 2027-01-01 is the first unknown day; 90 days before it is 2026-10-03.
    expect(calendarHorizon(through2026, new Date('2026-10-02T12:00:00+08:00'))).toEqual({ lastDay: '2026-12-31', daysLeft: 91, endsSoon: false });
    expect(calendarHorizon(through2026, new Date('2026-10-03T00:00:00+08:00'))).toMatchObject({ daysLeft: 90, endsSoon: true });
  });

  it('counts Shanghai days: 16:30 UTC on 2 October is already 3 October in Shanghai', () => {
    expect(calendarHorizon(through2026, new Date('2026-10-02T16:30:00Z')).daysLeft).toBe(90);
    expect(calendarHorizon(through2026, new Date('2026-10-02T15:30:00Z')).daysLeft).toBe(91);
  });

  it('says the calendar ended once it has, and warns for an empty calendar', () => {
    const after = calendarHorizon(through2026, new Date('2027-01-05T10:00:00+08:00'));
    expect(after).toMatchObject({ daysLeft: -4, endsSoon: true });
    expect(after.warning).toMatch(/ended 2026-12-31/);
    expect(calendarHorizon(WorkingCalendar.fromYears([]), new Date('2026-01-01T00:00:00Z'))).toMatchObject({ lastDay: null, endsSoon: true });
  });

  it('takes another warning window', () => {
    expect(calendarHorizon(through2026, new Date('2026-12-03T09:00:00+08:00'), 14).endsSoon).toBe(false);
  });
});

/**
 * The calendar warning as the functions that compute deadlines give it: the `KnownCalendarDaysLeft` metric on every
 * invocation, one warning log line a day per instance while the calendar ends within 90 days.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { localContext } from '../../functions/adapters/local/in-process-queue.js';
import { DevJwtVerifier } from '../../functions/auth/dev-jwt.js';
import { makeCasesHandler } from '../../functions/cases/cases.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { WorkingCalendar } from '../../functions/domain/deadlines/calendar.js';
import { makeProcessHandler } from '../../functions/process/process.js';
import { CALENDAR_DAYS_LEFT_METRIC, calendarWatch } from '../../functions/shared/calendar-watch.js';
import { observability } from '../../functions/shared/observability.js';
import { apiEvent } from '../cases/support.js';

const through2026 = WorkingCalendar.fromYears([{ year: 2026, source: 'test', holidays: [], makeupWorkdays: [] }]);

function watched(now: { value: Date }) {
  const obs = observability('calendar-watch-test');
  const metric = vi.spyOn(obs.metrics, 'addMetric');
  const warn = vi.spyOn(obs.logger, 'warn').mockImplementation(() => undefined);
  const mw = calendarWatch({ ...obs, calendar: through2026, now: () => now.value });
  const invoke = () => (mw.before as (r: unknown) => void)({});
  return { metric, warn, invoke };
}

describe('calendarWatch', () => {
  it('adds the days left on every invocation and warns once a day while the calendar ends within 90 days', () => {
    const now = { value: new Date('2026-12-03T09:00:00+08:00') };
    const { metric, warn, invoke } = watched(now);
    invoke();
    invoke();
    expect(metric.mock.calls).toEqual([
      [CALENDAR_DAYS_LEFT_METRIC, 'Count', 29],
      [CALENDAR_DAYS_LEFT_METRIC, 'Count', 29],
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('2026-12-31');
    expect(warn.mock.calls[0]![1]).toEqual({ calendarLastDay: '2026-12-31', calendarDaysLeft: 29 });
    now.value = new Date('2026-12-04T09:00:00+08:00');
    invoke();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('does not warn while the calendar has more than 90 days left', () => {
    const { metric, warn, invoke } = watched({ value: new Date('2026-03-01T09:00:00+08:00') });
    invoke();
    expect(metric).toHaveBeenCalledWith(CALENDAR_DAYS_LEFT_METRIC, 'Count', 306);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('the functions that compute deadlines carry the watch', () => {
  const rules = { ...deployedRules, calendar: through2026 };
  const now = () => new Date('2026-12-03T09:00:00+08:00');

  it('the process function', async () => {
    const obs = observability('process-test');
    const metric = vi.spyOn(obs.metrics, 'addMetric');
    const warn = vi.spyOn(obs.logger, 'warn').mockImplementation(() => undefined);
    const handler = makeProcessHandler({
      ...obs,
      store: {} as never,
      classify: (() => undefined) as never,
      deadlines: deployedRules.deadlinesFor,
      rules,
      clusterRules: [],
      groupKeysOf: () => [],
      now,
    });
    await handler({ Records: [] }, localContext('process-test') as Context);
    expect(metric).toHaveBeenCalledWith(CALENDAR_DAYS_LEFT_METRIC, 'Count', 29);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('2026-12-31'), expect.anything());
  });

  it('the agency API (before its token check: even a refused request counts)', async () => {
    const obs = observability('cases-test');
    const metric = vi.spyOn(obs.metrics, 'addMetric');
    vi.spyOn(obs.logger, 'warn').mockImplementation(() => undefined);
    const handler = makeCasesHandler({ ...obs, store: {} as never, contacts: {} as never, auth: new DevJwtVerifier({ secret: 'x'.repeat(32) }), rules, now });
    const r = (await handler(apiEvent('GET', '/v1/cases/12345-X'), localContext('cases-test') as Context)) as { statusCode: number };
    expect(r.statusCode).toBe(401);
    expect(metric).toHaveBeenCalledWith(CALENDAR_DAYS_LEFT_METRIC, 'Count', 29);
  });
});

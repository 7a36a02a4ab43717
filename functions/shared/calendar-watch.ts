/**
 * Middy middleware for the functions that compute deadlines on the working calendar (process, the agency API,
 * feedback, deadlines): each invocation adds the `KnownCalendarDaysLeft` metric (days until the first day
 * config/calendar.json does not know; alarm or chart it), and while that is within CALENDAR_WARNING_DAYS each
 * function instance logs one warning a day. Reads only the deployed calendar: no I/O.
 */
import type { MiddlewareObj } from '@middy/core';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { calendarHorizon } from '../domain/deadlines/calendar-horizon.js';
import type { WorkingCalendar } from '../domain/deadlines/calendar.js';
import { METRIC } from './metric-names.js';
import type { Observability } from './observability.js';

export const CALENDAR_DAYS_LEFT_METRIC = METRIC.KnownCalendarDaysLeft;

export interface CalendarWatchDeps extends Pick<Observability, 'logger' | 'metrics'> {
  calendar: Pick<WorkingCalendar, 'lastDay'>;
  now?: () => Date;
}

export function calendarWatch(deps: CalendarWatchDeps): MiddlewareObj {
  let warnedOn: string | undefined;
  return {
    before: () => {
      const now = (deps.now ?? (() => new Date()))();
      const h = calendarHorizon(deps.calendar, now);
      deps.metrics.addMetric(CALENDAR_DAYS_LEFT_METRIC, MetricUnit.Count, h.daysLeft);
      const day = now.toISOString().slice(0, 10);
      if (h.endsSoon && warnedOn !== day) {
        warnedOn = day;
        deps.logger.warn(h.warning!, { calendarLastDay: h.lastDay, calendarDaysLeft: h.daysLeft });
      }
    },
  };
}

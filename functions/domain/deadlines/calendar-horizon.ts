/**
 * How far ahead the working calendar knows the official days (法定节假日, 调休). The State Council publishes next
 * year's notice late in the year; until someone adds it to config/calendar.json, deadlines that run into that year
 * are weekends-only estimates (`beyondKnownCalendar`). This says when that is about to happen, so `/health`, a log
 * line and the `KnownCalendarDaysLeft` metric can warn before it does.
 */
import type { WorkingCalendar } from './calendar.js';
import { plusDays, shanghaiDateOf, type LocalDate } from './time.js';

/** Warn this many days before the first day the calendar does not know. */
export const CALENDAR_WARNING_DAYS = 90;

export interface CalendarHorizon {
  /** The last day the calendar knows (31 December of its last year); null for an empty calendar. */
  lastDay: LocalDate | null;
  /** Days from today (Shanghai) to the first day it does not know: 1 on its last day, 0 or less once past it. */
  daysLeft: number;
  /** `daysLeft` ≤ the warning days: time to add the next year. */
  endsSoon: boolean;
  /** A sentence for a log line or a health answer, when `endsSoon`. */
  warning?: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: LocalDate, to: LocalDate): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export function calendarHorizon(calendar: Pick<WorkingCalendar, 'lastDay'>, now: Date, warningDays = CALENDAR_WARNING_DAYS): CalendarHorizon {
  const today = shanghaiDateOf(now.getTime());
  const lastDay = calendar.lastDay ?? null;
  const daysLeft = lastDay === null ? 0 : daysBetween(today, plusDays(lastDay, 1));
  const endsSoon = daysLeft <= warningDays;
  if (!endsSoon) return { lastDay, daysLeft, endsSoon };
  const what =
    lastDay === null
      ? 'The working calendar knows no year'
      : daysLeft > 0
        ? `The working calendar ends ${lastDay}, in ${daysLeft} days`
        : `The working calendar ended ${lastDay}`;
  return {
    lastDay,
    daysLeft,
    endsSoon,
    warning: `${what}: deadlines past it are weekends-only estimates (beyondKnownCalendar). Add the next year to config/calendar.json when the State Council publishes it.`,
  };
}

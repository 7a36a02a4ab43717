/**
 * The deadlines of a case (product.md §7, §9), computed from the policy and the working calendar.
 * Pure: no clock, no I/O, no AWS. Every result is an ISO instant in Shanghai time (`…+08:00`).
 */
import { z } from 'zod';
import { CASE_KINDS, SOURCES, URGENCIES, type CaseKind, type Source, type Urgency } from '../taxonomy.js';
import type { Deadline, WorkingCalendar } from './calendar.js';
import { addCalendarDays, addHours, addMonths } from './calendar.js';
import type { DeadlinePolicy, Duration } from './policy.js';
import { formatShanghai, parseInstant } from './time.js';

const Instant = /* @__PURE__ */ (() =>
  z.string().refine((s) => {
    try {
      parseInstant(s);
      return true;
    } catch {
      return false;
    }
  }, 'must be an ISO 8601 instant with an offset'))();

/** Validation of a deadline input, for tests and tools; pure, so Lambda bundles leave it (and zod) out. */
export const DeadlineInput = /* @__PURE__ */ (() =>
  z.object({
    source: z.enum(SOURCES),
    kind: z.enum(CASE_KINDS),
    ticketType: z.string().min(1),
    urgency: z.enum(URGENCIES),
    receivedAt: Instant,
    dispatchedAt: Instant,
  }))();

export interface DeadlineInput {
  source: Source;
  /**
   * `ticket`: a hotline ticket handled by the agency it was routed to (12345 → a government agency,
   * 12309 → the procuratorate). `transfer`: a 12309 ticket that belongs to the government, handled as a
   * 12345-style case while the 12309 side keeps its own replies. `clue`: a referral to the procuratorate.
   * `recommendation`: a 检察建议 the agency must answer.
   */
  kind: CaseKind;
  ticketType: string;
  urgency: Urgency;
  /** When the hotline received the ticket (受理时间); 12309 procedural and result replies count from it. */
  receivedAt: string;
  /** When this case was dispatched to the agency (or the clue referred, the recommendation issued). */
  dispatchedAt: string;
}

export interface Deadlines {
  /** 签收 by the agency (12345 tickets and transfers). */
  acceptBy?: string;
  /** 办结/答复 by the agency (12345 tickets and transfers); the agency's reply to a recommendation. */
  replyBy?: string;
  /** 12309 程序性回复 to the petitioner (12309 tickets and transfers). */
  proceduralReplyBy?: string;
  /** 12309 result reply to the petitioner (12309 tickets and transfers). */
  resultReplyBy?: string;
  /** The procuratorate accepts or declines a referred clue. */
  evaluateBy?: string;
  /** Some deadline counted working days through a year the calendar does not know: weekends-only estimate. */
  beyondKnownCalendar: boolean;
}

/**
 * Applies one policy duration to a start: working days count from the start's Shanghai day (that day not
 * counted); days and months end 23:59:59 of the target day; hours are exact (the start must be an instant).
 */
export function applyDuration(from: string, duration: Duration, calendar: WorkingCalendar): Deadline {
  switch (duration.unit) {
    case 'workingDays':
      return calendar.addWorkingDays(from, duration.amount);
    case 'days':
      return { at: addCalendarDays(from, duration.amount), beyondKnownCalendar: false };
    case 'months':
      return { at: addMonths(from, duration.amount), beyondKnownCalendar: false };
    case 'hours':
      return { at: addHours(from, duration.amount), beyondKnownCalendar: false };
  }
}

/** The 12345 reply limit for a ticket type and urgency: the urgency override if set, else the type's, else `otherTypes`. */
export function replyDuration(policy: DeadlinePolicy, ticketType: string, urgency: Urgency): Duration {
  const r = policy.hotline12345.replyBy;
  const override = urgency === 'normal' ? null : r[urgency];
  return override ?? r.byType[ticketType as keyof typeof r.byType] ?? r.otherTypes;
}

/**
 * All deadlines of a case. Government side (12345 tickets, and transfers from 12309): `acceptBy` and
 * `replyBy` from dispatch. 12309 side (12309 tickets, and transfers, which keep them): `proceduralReplyBy`
 * and `resultReplyBy` from receipt. Clues: `evaluateBy` from referral (`dispatchedAt`). Recommendations:
 * `replyBy` from issue (`dispatchedAt`). Throws RangeError for an instant without an offset.
 */
export function computeDeadlines(input: DeadlineInput, policy: DeadlinePolicy, calendar: WorkingCalendar): Deadlines {
  const { source, kind, ticketType, urgency, receivedAt, dispatchedAt } = input;
  parseInstant(receivedAt);
  parseInstant(dispatchedAt);
  const out: Deadlines = { beyondKnownCalendar: false };
  const set = (key: Exclude<keyof Deadlines, 'beyondKnownCalendar'>, from: string, d: Duration): void => {
    const r = applyDuration(from, d, calendar);
    out[key] = r.at;
    if (r.beyondKnownCalendar) out.beyondKnownCalendar = true;
  };

  switch (kind) {
    case 'ticket':
    case 'transfer':
      // A 12345 ticket, or a 12309 ticket transferred to the government (a 12345 ticket re-transferred
      // between agencies is counted like a 12345 ticket).
      if (source === '12345' || kind === 'transfer') {
        set('acceptBy', dispatchedAt, policy.hotline12345.acceptBy[urgency]);
        set('replyBy', dispatchedAt, replyDuration(policy, ticketType, urgency));
      }
      if (source === '12309') {
        set('proceduralReplyBy', receivedAt, policy.hotline12309.proceduralReplyBy);
        set('resultReplyBy', receivedAt, policy.hotline12309.resultReplyBy);
      }
      break;
    case 'clue':
      set('evaluateBy', dispatchedAt, policy.clue.evaluateBy);
      break;
    case 'recommendation':
      set('replyBy', dispatchedAt, policy.recommendation.replyBy[urgency]);
      break;
  }
  return out;
}

/**
 * The moment `fraction` of the time from `start` to `due` has passed (default policy: 0.8), in Shanghai
 * time, rounded down to the second.
 */
export function dueSoonAt(start: string, due: string, fraction: number): string {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be within 0..1, got ${fraction}`);
  const s = parseInstant(start);
  const d = parseInstant(due);
  if (d < s) throw new RangeError(`due ${due} is before start ${start}`);
  return formatShanghai(Math.floor((s + (d - s) * fraction) / 1000) * 1000);
}

/** When an overdue case is escalated (催办) to the agency's supervisor: `policy.escalation.afterDue` past `due` (default 5 working days). */
export function escalateAt(due: string, calendar: WorkingCalendar, policy: DeadlinePolicy): Deadline {
  return applyDuration(due, policy.escalation.afterDue, calendar);
}

/** The new reply deadline after an extension of `workingDays` working days counted from the old `replyBy`'s day. */
export function extendDeadline(replyBy: string, workingDays: number, calendar: WorkingCalendar): Deadline {
  if (!Number.isInteger(workingDays) || workingDays < 1) throw new RangeError(`an extension is a whole number ≥ 1 of working days, got ${workingDays}`);
  parseInstant(replyBy);
  return calendar.addWorkingDays(replyBy, workingDays);
}

/** Why an extension request breaks the policy (`undefined` = allowed): too many extensions, or too long. */
export function extensionProblem(policy: DeadlinePolicy, previousExtensions: number, workingDays: number): string | undefined {
  const { maxCount, maxWorkingDays } = policy.extension;
  if (previousExtensions >= maxCount) return `at most ${maxCount} extension(s) per case`;
  if (!Number.isInteger(workingDays) || workingDays < 1) return 'an extension is a whole number of working days, at least 1';
  if (workingDays > maxWorkingDays) return `an extension is at most ${maxWorkingDays} working days`;
  return undefined;
}

/**
 * Which deadline timers a case should have now (product.md §7), as a pure function of the case record: no clock,
 * no I/O. The plan is recomputed from the record after every state change, so moving a case moves its timers
 * (a new deadline gives a new time under the same name) and leaving a state deletes them (the name is no longer
 * planned). A case holds ONE schedule, at its next moment across all its timers (`nextMoment`); when it fires, the
 * timers the plan of the case as it is then holds at that moment are published (`dueAtMoment`), and the schedule
 * moves to the next moment.
 *
 * | deadline | while the case is | timers |
 * |---|---|---|
 * | `acceptBy` (签收) | dispatched, reopened | due-soon, overdue |
 * | `replyBy` (办结) | accepted, extension_requested, reopened | due-soon, overdue, escalation (催办) |
 * | `proceduralReplyBy`, `resultReplyBy` (12309) | any status from dispatch until replied/closed | due-soon, overdue |
 *
 * Due-soon fires when `policy.dueSoonFraction` (80 %) of the time from the start of the period to the deadline
 * has passed; overdue at the deadline; escalation `policy.escalation.afterDue` (5 working days) after it. The start
 * of an `acceptBy`/`replyBy` period is the latest dispatch, route or reopen (an extension moves the deadline, not
 * the start); 12309 replies count from receipt. A case in `received`, `needs_review` or `returned` has no
 * agency deadline running (routing recomputes them), and none once replied or closed.
 *
 * 12309 reply timers apply to every case that carries those deadlines: 12309 tickets the procuratorate keeps
 * and transfers to the government (the 12309 side keeps its own replies on a transfer).
 */
import { createHash } from 'node:crypto';
import type { CaseKind, CaseRecord, CaseStatus, HistoryEntry } from '../case/case.js';
import type { WorkingCalendar } from './calendar.js';
import { dueSoonAt, escalateAt } from './compute.js';
import type { DeadlinePolicy } from './policy.js';
import { parseInstant } from './time.js';

export const TIMER_KINDS = ['dueSoon', 'overdue', 'escalation'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** The deadlines that have timers. */
export const TIMED_DEADLINES = ['acceptBy', 'replyBy', 'proceduralReplyBy', 'resultReplyBy', 'evaluateBy'] as const;
export type TimedDeadline = (typeof TIMED_DEADLINES)[number];

/** The event a timer publishes. */
export const TIMER_EVENT = { dueSoon: 'Case.DueSoon', overdue: 'Case.Overdue', escalation: 'Case.Escalated' } as const satisfies Record<TimerKind, string>;

/** What a timer carries to the deadlines function (no personal data; the function reloads the case). */
export interface TimerPayload {
  caseId: string;
  timer: TimerKind;
  deadline: TimedDeadline;
  /** The deadline this timer belongs to; a case whose deadline moved since has a different one. */
  dueAt: string;
  /** The case version at which this deadline period began: with the type and deadline, it names the event. */
  version: number;
}

export interface PlannedTimer {
  name: string;
  /** When it fires, ISO instant with offset. */
  at: string;
  payload: TimerPayload;
}

export interface TimerRules {
  policy: DeadlinePolicy;
  calendar: WorkingCalendar;
}

interface Window {
  kinds: readonly CaseKind[];
  deadline: TimedDeadline;
  statuses: readonly CaseStatus[];
  timers: readonly TimerKind[];
}

const HOTLINE_CASES = ['ticket', 'transfer'] as const;

const WINDOWS: readonly Window[] = [
  { kinds: HOTLINE_CASES, deadline: 'acceptBy', statuses: ['dispatched', 'reopened'], timers: ['dueSoon', 'overdue'] },
  { kinds: HOTLINE_CASES, deadline: 'replyBy', statuses: ['accepted', 'extension_requested', 'reopened'], timers: ['dueSoon', 'overdue', 'escalation'] },
  // A referred clue: the department accepts or declines it by evaluateBy (30 days from referral).
  { kinds: ['clue'], deadline: 'evaluateBy', statuses: ['dispatched'], timers: ['dueSoon', 'overdue'] },
  // A 检察建议: the agency replies by replyBy (2 months, urgent 15 days from issue), signed for or not.
  { kinds: ['recommendation'], deadline: 'replyBy', statuses: ['dispatched', 'accepted'], timers: ['dueSoon', 'overdue'] },
  {
    kinds: HOTLINE_CASES,
    deadline: 'proceduralReplyBy',
    statuses: ['dispatched', 'needs_review', 'accepted', 'returned', 'extension_requested', 'reopened'],
    timers: ['dueSoon', 'overdue'],
  },
  {
    kinds: HOTLINE_CASES,
    deadline: 'resultReplyBy',
    statuses: ['dispatched', 'needs_review', 'accepted', 'returned', 'extension_requested', 'reopened'],
    timers: ['dueSoon', 'overdue'],
  },
];

/** EventBridge Scheduler names: 1–64 of `[0-9A-Za-z_.-]`. */
const NAME_MAX = 64;

/**
 * The schedule name of one timer of a case: `<caseId>.<deadline>.<timer>`, e.g.
 * `12345-7QK3M9W2Z4X8R6T0B1CD.replyBy.dueSoon` (at most 55 characters for today's case ids). An id that would not
 * fit is replaced by a hash of it, so the name stays deterministic.
 */
export function timerName(caseId: string, deadline: TimedDeadline, timer: TimerKind): string {
  const suffix = `.${deadline}.${timer}`;
  const safe = caseId.replace(/[^0-9A-Za-z_-]/g, '_');
  const id = safe === caseId && safe.length + suffix.length <= NAME_MAX ? safe : `h-${createHash('sha256').update(caseId).digest('hex').slice(0, 32)}`;
  return `${id}${suffix}`;
}

/**
 * The name of a case's one schedule: the case id, e.g. `12345-7QK3M9W2Z4X8R6T0B1CD` (an id that is not a valid
 * EventBridge Scheduler name, or is too long, is replaced by `h-<hash>`, so the name stays deterministic). A case
 * has at most one pending schedule, at its next timer moment: planning again under the same name is an upsert.
 */
export function scheduleName(caseId: string): string {
  const safe = caseId.replace(/[^0-9A-Za-z_.-]/g, '_');
  return safe === caseId && safe.length <= NAME_MAX ? safe : `h-${createHash('sha256').update(caseId).digest('hex').slice(0, 32)}`;
}

/** What the one schedule of a case carries to the deadlines function: the moment it was planned for. */
export interface TimerMoment {
  caseId: string;
  /** The planned instant (ISO with offset) of the timer(s) it fires; re-checked against the case when it fires. */
  at: string;
}

/** The case's next timer moment strictly after `after` (ms), with every timer planned at that moment. */
export function nextMoment(plan: PlannedTimer[], after: number): { at: string; timers: PlannedTimer[] } | undefined {
  let best: number | undefined;
  for (const p of plan) {
    const t = parseInstant(p.at);
    if (t > after && (best === undefined || t < best)) best = t;
  }
  if (best === undefined) return undefined;
  const timers = plan.filter((p) => parseInstant(p.at) === best);
  return { at: timers[0]!.at, timers };
}

/**
 * The timers a firing of `moment` publishes: none when the case's plan holds no timer at that moment any more (a
 * stale schedule, e.g. left behind by an extension); otherwise every planned timer from the moment up to `upTo`
 * (ms), earliest first — a late firing catches up on the moments it passed.
 */
export function dueAtMoment(plan: PlannedTimer[], moment: string, upTo: number): PlannedTimer[] {
  const m = parseInstant(moment);
  if (!plan.some((p) => parseInstant(p.at) === m)) return [];
  return plan
    .filter((p) => {
      const t = parseInstant(p.at);
      return t >= m && t <= Math.max(m, upTo);
    })
    .sort((a, b) => parseInstant(a.at) - parseInstant(b.at));
}

const lastEntry = (c: CaseRecord, pred: (h: HistoryEntry) => boolean): HistoryEntry | undefined => c.history.findLast(pred);

/** The history entry that began the current period of an agency deadline: the latest dispatch, route or reopen. */
const periodStart = (c: CaseRecord) => lastEntry(c, (h) => h.to === 'dispatched' || h.to === 'reopened');

/** The entry that last set the reply deadline: the period start, or a later extension grant. */
const replyBySetBy = (c: CaseRecord): HistoryEntry | undefined => {
  const start = periodStart(c);
  const grant = lastEntry(c, (h) => h.from === 'extension_requested' && h.to === 'accepted');
  return grant && (!start || grant.version > start.version) ? grant : start;
};

/**
 * The timers `c` should have in its current status, whether or not their time has passed (its schedule is at the
 * first one ahead: `nextMoment`; a firing checks itself against this plan).
 */
export function planTimers(c: CaseRecord, rules: TimerRules): PlannedTimer[] {
  const d = c.deadlines;
  if (!d || !c.agencyId) return [];
  const out: PlannedTimer[] = [];
  for (const w of WINDOWS) {
    const due = d[w.deadline];
    if (!due || !w.kinds.includes(c.kind) || !w.statuses.includes(c.status)) continue;
    let start: string | undefined;
    let version: number | undefined;
    if (w.deadline === 'acceptBy' || w.deadline === 'replyBy' || w.deadline === 'evaluateBy') {
      const s = periodStart(c);
      start = s?.at ?? c.dispatchedAt;
      version = (w.deadline === 'replyBy' ? replyBySetBy(c) : s)?.version;
    } else {
      // 12309 replies count from receipt and never move: the receiving entry (version 1) names them.
      start = c.receivedAt;
      version = c.history[0]?.version ?? 1;
    }
    if (!start || version === undefined) continue;
    for (const timer of w.timers) {
      const at = timerAt(timer, start, due, rules);
      if (!at) continue;
      out.push({ name: timerName(c.caseId, w.deadline, timer), at, payload: { caseId: c.caseId, timer, deadline: w.deadline, dueAt: due, version } });
    }
  }
  return out;
}

function timerAt(timer: TimerKind, start: string, due: string, rules: TimerRules): string | undefined {
  switch (timer) {
    case 'dueSoon':
      // A deadline before its own start (bad data) has no sensible warning time.
      return parseInstant(due) < parseInstant(start) ? undefined : dueSoonAt(start, due, rules.policy.dueSoonFraction);
    case 'overdue':
      return due;
    case 'escalation':
      return escalateAt(due, rules.calendar, rules.policy).at;
  }
}

/** The planned timers whose time is still ahead of `now`: the ones a scheduler should hold. */
export function upcomingTimers(plan: PlannedTimer[], now: Date): PlannedTimer[] {
  const t = now.getTime();
  return plan.filter((p) => parseInstant(p.at) > t);
}

/** The planned timer a fired payload corresponds to, if the case still has it (same name, same deadline). */
export function stillPlanned(c: CaseRecord, payload: TimerPayload, rules: TimerRules): PlannedTimer | undefined {
  const name = timerName(payload.caseId, payload.deadline, payload.timer);
  return planTimers(c, rules).find((p) => p.name === name && p.payload.dueAt === payload.dueAt && p.payload.version === payload.version);
}

import type { TimerPayload } from '../domain/deadlines/schedule-plan.js';

/** One timer of a case: fires once at `at` (an ISO instant with offset) and hands `payload` to the deadlines function. */
export interface ScheduleEntry {
  /** Deterministic per case and timer (`timerName(caseId, deadline, timer)`): scheduling the same name again moves it. */
  name: string;
  at: string;
  payload: TimerPayload;
}

/**
 * One-time deadline timers (EventBridge Scheduler in AWS, in process locally). Never a scan over all cases: each
 * case's timers are created, moved and deleted as the case moves (functions/app/deadline-timers.ts).
 */
export interface DeadlineScheduler {
  /** Creates each timer, or moves it when one with that name exists (idempotent upsert). */
  schedule(caseId: string, entries: ScheduleEntry[]): Promise<void>;
  /** Deletes the named timers of the case (every possible timer of the case when `names` is omitted); a missing one is fine. */
  cancel(caseId: string, names?: string[]): Promise<void>;
}

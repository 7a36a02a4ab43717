import type { TimerMoment } from '../domain/deadlines/schedule-plan.js';

/** The one pending timer of a case: fires once at `at` (an ISO instant with offset) and hands `payload` to the deadlines function. */
export interface CaseTimer {
  caseId: string;
  /** `scheduleName(caseId)`: one name per case, so setting it again moves the timer. */
  name: string;
  at: string;
  payload: TimerMoment;
}

export interface SetTimerOptions {
  /**
   * The caller's guess that the case already has a schedule (after a firing, or a transition from a status with
   * timers): an adapter may then try the update first. Only the number of calls depends on it, never the outcome.
   */
  exists?: boolean;
}

/**
 * One-time deadline timers, one per case at its next timer moment (EventBridge Scheduler in AWS, a DynamoDB Local
 * table and a poller locally). Never a scan over all cases: each case's timer is set, moved and deleted as the case
 * moves and as its timers fire (functions/app/deadline-timers.ts).
 */
export interface DeadlineScheduler {
  /** Creates the case's timer, or moves it when it exists (idempotent upsert by name). */
  set(timer: CaseTimer, opts?: SetTimerOptions): Promise<void>;
  /** Deletes the case's timer; a missing one is fine. */
  clear(caseId: string): Promise<void>;
}

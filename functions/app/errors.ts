/** Typed failures of the use cases; the handlers map them to HTTP answers, batch retries or dead letters. */
import type { Source } from '../domain/taxonomy.js';
import type { CaseStatus } from '../domain/case/case.js';
import type { Action } from '../domain/lifecycle/transitions.js';

/** Missing, or not the caller's: the same answer either way, so nothing leaks. */
export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`case ${caseId} not found`);
  }
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  constructor(
    readonly status: CaseStatus,
    readonly allowed: Action[],
    readonly reason?: string,
  ) {
    super(`invalid transition from ${status}${reason ? `: ${reason}` : ''}`);
  }
}

/** Another request changed the case first and the action would still apply: the client may look and try again. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
  constructor(readonly status: CaseStatus) {
    super(`the case changed concurrently (now ${status})`);
  }
}

export class InvalidActionInputError extends Error {
  override readonly name = 'InvalidActionInputError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** The case is in no state this 回访 feedback applies to (not replied, or dissatisfied a second time). */
export class FeedbackNotApplicableError extends Error {
  override readonly name = 'FeedbackNotApplicableError';
  constructor(
    readonly status: CaseStatus,
    readonly reason: string,
  ) {
    super(`feedback not applicable: ${reason}`);
  }
}

export class CallbackFailedError extends Error {
  override readonly name = 'CallbackFailedError';
  constructor(
    readonly source: Source,
    readonly eventId: string,
    readonly detail: string,
  ) {
    super(`status callback ${eventId} to hotline ${source} failed: ${detail}`);
  }
}

export interface TimerSyncFailure {
  caseId: string;
  version: number;
  cause: unknown;
}

/** The scheduler failed for some cases of a sync; `failures` names them (the others are in place). */
export class TimersNotSyncedError extends Error {
  override readonly name = 'TimersNotSyncedError';
  constructor(readonly failures: readonly TimerSyncFailure[]) {
    const f = failures[0];
    const cause = f?.cause as Error | undefined;
    super(`deadline timers of ${failures.length} case(s) not synced (first ${f?.caseId} v${f?.version}: ${cause?.message ?? String(cause)})`);
  }
  get caseIds(): string[] {
    return this.failures.map((f) => f.caseId);
  }
}

/**
 * Satisfaction results of the hotline's callback survey (回访, product.md §10), sent back through
 * `POST /v1/hotlines/{source}/feedback`. The lifecycle's state table decides what they do:
 *
 * | result | case | effect |
 * |---|---|---|
 * | satisfied, basically_satisfied | replied | `close` (结案) → closed, `Case.Closed` |
 * | dissatisfied | replied, never reopened | `reopen` (重办) → reopened, `Case.Reopened`, fresh deadlines |
 * | dissatisfied | replied, reopened before | not applicable (the reopen rule's "once") |
 * | any | any other status | not applicable |
 *
 * The transition is the lifecycle's own (`applyAction` with the rule's role, so its guards and deadline changes
 * apply unchanged); the history entry names the hotline (`hotline:12345`) as the actor, and the result is recorded
 * on the case (`feedback`). The same feedback sent again (a retry after a lost answer) is answered from the case
 * without a second transition.
 */
import type { CaseRecord, CaseStatus, HistoryEntry } from '../domain/case/case.js';
import { caseIdFor } from '../domain/case/case-id.js';
import { applyAction, type LifecycleCase, type LifecycleRules } from '../domain/lifecycle/index.js';
import { maskFreeText } from '../domain/privacy/mask.js';
import type { Source } from '../domain/taxonomy.js';
import type { CaseStore } from '../ports/case-store.js';
import { VersionConflictError } from '../ports/errors.js';
import { saveChange } from './save-change.js';
import { CaseNotFoundError, FeedbackNotApplicableError } from './errors.js';
import { transitionEventId } from './case-actions.js';

export const FEEDBACK_RESULTS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type FeedbackResult = (typeof FEEDBACK_RESULTS)[number];

const LABEL: Record<FeedbackResult, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };
const MAX_COMMENT = 500;

/** A survey result as stored on the case (the comment masked: it is free text from the caller). */
export interface FeedbackEntry {
  result: FeedbackResult;
  at: string;
  /** The case version the feedback produced. */
  version: number;
  comment?: string;
  /** 回访: the caller says the agency contacted them (响应率). */
  contacted?: boolean;
  /** 回访: the caller says the problem was solved (解决率). */
  resolved?: boolean;
}

export type FeedbackCase = LifecycleCase & { feedback?: FeedbackEntry[] };

export interface FeedbackInput {
  /** The hotline's own id of the ticket (12345 `ticketId`, 12309 `caseNo`). */
  sourceTicketId: string;
  result: FeedbackResult;
  comment?: string | undefined;
  contacted?: boolean | undefined;
  resolved?: boolean | undefined;
}

export interface FeedbackDeps {
  store: CaseStore;
  now: () => Date;
  rules: LifecycleRules;
}

export interface FeedbackOutcome {
  caseId: string;
  status: CaseStatus;
  result: FeedbackResult;
  /** The same feedback had already been recorded: nothing changed. */
  duplicate: boolean;
  eventId?: string;
}

const MAX_RACES = 3;

export async function recordFeedback(deps: FeedbackDeps, source: Source, input: FeedbackInput): Promise<FeedbackOutcome> {
  const rules = deps.rules;
  const caseId = caseIdFor(source, input.sourceTicketId);
  for (let race = 0; ; race++) {
    const c = (await deps.store.get(caseId)) as FeedbackCase | undefined;
    if (!c) throw new CaseNotFoundError(caseId);

    const last = c.feedback?.at(-1);
    // The same result, and nothing has happened to the case since (an overdue mark moves the version, not the history).
    if (last && last.result === input.result && c.history.at(-1)?.version === last.version) {
      return { caseId, status: c.status, result: input.result, duplicate: true };
    }
    if (c.status === 'merged')
      throw new FeedbackNotApplicableError(c.status, `this ticket was merged into ${c.mergedInto}: the survey of that case's reply applies`);
    if (c.status !== 'replied') throw new FeedbackNotApplicableError(c.status, `feedback applies to a replied case; this one is ${c.status}`);

    const at = deps.now().toISOString();
    const action = input.result === 'dissatisfied' ? 'reopen' : 'close';
    const comment = input.comment?.trim() ? maskFreeText(input.comment.trim()).slice(0, MAX_COMMENT) : undefined;
    const note = `回访${LABEL[input.result]}${comment ? `: ${comment}` : ''}`;
    // The rule's own role acts, so the lifecycle's checks (state, "once") and effects (fresh deadlines) apply as is.
    const outcome = applyAction(c, action, { reason: note, note }, { role: 'supervisor', agencyId: c.agencyId ?? null }, at, rules);
    if (!outcome.ok) {
      const reason = outcome.error === 'invalid_transition' ? (outcome.reason ?? `cannot ${action} a ${outcome.status} case`) : `cannot ${action} this case`;
      throw new FeedbackNotApplicableError(c.status, reason);
    }
    const entry: HistoryEntry = { ...outcome.entry, by: `hotline:${source}` };
    const feedback: FeedbackEntry = { result: input.result, at, version: outcome.next.version, ...(comment ? { comment } : {}) };
    if (input.contacted !== undefined) feedback.contacted = input.contacted;
    if (input.resolved !== undefined) feedback.resolved = input.resolved;
    const next: FeedbackCase = { ...outcome.next, history: [...c.history, entry], feedback: [...(c.feedback ?? []), feedback] };
    try {
      await saveChange(deps.store, c, next as CaseRecord);
    } catch (e) {
      if (e instanceof VersionConflictError && race < MAX_RACES) continue; // someone else moved it: decide again
      throw e;
    }
    const eventId = transitionEventId(next, entry);
    return { caseId, status: next.status, result: input.result, duplicate: false, eventId };
  }
}

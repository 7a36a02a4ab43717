/**
 * Use cases of the agency API: read a case, list a queue, act on a case. Authorization is enforced here, where
 * the data is read: after loading a case its `agencyId` (and place) is compared with the caller's agency and
 * jurisdiction (`canRead`), and a case the caller may not read is reported exactly like a missing one
 * (CaseNotFoundError), so nothing leaks.
 *
 * Acting: load → check ownership, role, state (transition table) → save with the version condition. Two racing
 * requests: both load version n, one save wins, the other gets a VersionConflictError and is answered from the case
 * as it is now (409).
 *
 * The saved version is the outbox: the relay (relay.ts), fed by the table's change stream, publishes the
 * transition's event (`transitionEvent(case, historyEntry)`, a deterministic id) and moves the case's deadline timer.
 * So a saved transition answers 200 with its event id even while the bus or the scheduler is down, and the event
 * goes out once they are back.
 */
import type { CaseStatus, HistoryEntry } from '../domain/case/case.js';
import { applyAction, transitionEvent, type Action, type ActionInput, type LifecycleCase } from '../domain/lifecycle/index.js';
import { isAgencyId } from '../domain/taxonomy.js';
import { canRead, type Principal } from '../auth/principal.js';
import type { CaseStore, CaseSummary, Page } from '../ports/case-store.js';
import type { CaseRules } from './rules.js';
import { VersionConflictError } from '../ports/errors.js';
import { pause } from '../shared/retry.js';
import { CONTENTION_RETRY } from './process-case.js';
import { saveChange, saveChanges } from './save-change.js';
import { auditRecord } from './audit.js';
import { withoutMerged } from '../domain/merge/merge.js';
import { CaseNotFoundError, ConcurrentUpdateError, ForbiddenError, InvalidActionInputError, InvalidTransitionError } from './errors.js';

export interface CaseActionDeps {
  store: CaseStore;
  now: () => Date;
  /** Deadline policy, calendar and directory rules (the handlers pass functions/config/deployed.ts). */
  rules: CaseRules;
}

type Directory = { rules: Pick<CaseRules, 'directory'> };

export async function readCase(deps: Pick<CaseActionDeps, 'store'> & Directory, p: Principal, caseId: string): Promise<LifecycleCase> {
  const c = await deps.store.get(caseId);
  if (!c || !canRead(p, c, deps.rules.directory)) throw new CaseNotFoundError(caseId);
  return c;
}

/**
 * An agency's queue: the agency's own staff, or an operator whose jurisdiction covers the agency. Any other queue
 * is forbidden (the caller named it, so 403 reveals nothing).
 */
export async function listQueue(
  deps: Pick<CaseActionDeps, 'store'> & Directory,
  p: Principal,
  agencyId: string,
  status: CaseStatus,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<CaseSummary>> {
  const own = p.role !== 'operator' && p.agencyId === agencyId;
  const overseen = p.role === 'operator' && deps.rules.directory.coversAgency(p.agencyId, agencyId);
  if (!own && !overseen) throw new ForbiddenError(`not agency ${agencyId}`);
  if (!isAgencyId(agencyId)) return { items: [] };
  return deps.store.listByAgency(agencyId, status, page);
}

export interface ActionResult {
  case: LifecycleCase;
  eventId: string;
  from: CaseStatus;
}

/**
 * A split saves two cases: the ticket, and the case it had joined (which lists it no more). When only that other case
 * moved meanwhile (its agency acted on it), the split itself still stands: it is tried again on what is stored then,
 * like a process batch's contention (`CONTENTION_RETRY`), instead of answering a conflict the caller did not cause.
 */
class JoinedCaseMovedError extends Error {
  constructor(readonly status: CaseStatus) {
    super('the case the ticket had joined changed meanwhile');
  }
}

/**
 * The case changed between the read and the write, but not in anything the caller acted on: its status and owner
 * are as the caller saw them and the action still applies (e.g. a ticket merged into it was split off, which edits
 * its list of requests). The action is tried again on what is stored, instead of a 409 for a change the caller could
 * not have seen and that does not concern it.
 */
class UnrelatedChangeError extends Error {
  constructor(readonly status: CaseStatus) {
    super('the case changed meanwhile in something the action does not depend on');
  }
}

export async function performAction(deps: CaseActionDeps, p: Principal, caseId: string, action: Action, input: ActionInput): Promise<ActionResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await performOnce(deps, p, caseId, action, input);
    } catch (e) {
      if (!(e instanceof JoinedCaseMovedError || e instanceof UnrelatedChangeError)) throw e;
      if (attempt >= CONTENTION_RETRY.maxAttempts) throw new ConcurrentUpdateError(e.status);
      await pause(CONTENTION_RETRY, attempt);
    }
  }
}

async function performOnce(deps: CaseActionDeps, p: Principal, caseId: string, action: Action, input: ActionInput): Promise<ActionResult> {
  const rules = deps.rules;
  const c = await readCase(deps, p, caseId);
  if (p.role === 'operator' || c.agencyId !== p.agencyId) throw new ForbiddenError('read-only');
  const at = deps.now().toISOString();
  const outcome = applyAction(c, action, input, p, at, rules);
  if (!outcome.ok) {
    if (outcome.error === 'forbidden') throw new ForbiddenError(`${p.role} may not ${action}`);
    if (outcome.error === 'invalid_input') throw new InvalidActionInputError(outcome.path, outcome.message);
    throw new InvalidTransitionError(outcome.status, outcome.allowed, outcome.reason);
  }
  try {
    // The audit record (who, with the person's sub) is written with the version it records, or not at all.
    const audit = [auditRecord(p, c, action, at, rules.retention, outcome.next.version)];
    if (action === 'split' && c.mergedInto) {
      // The case the ticket had joined lists it no more: both saved in one change, each on the version read.
      const primary = await deps.store.get(c.mergedInto);
      if (primary)
        await saveChanges(
          deps.store,
          [
            { prev: c, next: outcome.next },
            { prev: primary, next: withoutMerged(primary, c.caseId) },
          ],
          { audit },
        );
      else await saveChange(deps.store, c, outcome.next, { audit });
    } else await saveChange(deps.store, c, outcome.next, { audit });
  } catch (e) {
    if (!(e instanceof VersionConflictError)) throw e;
    // Lost the race: answer from the case as it is now. The caller owned it a moment ago, so its new status is
    // no secret even when the winning request moved it elsewhere (e.g. returned it to the dispatch-center).
    const now = await deps.store.get(caseId);
    if (!now) throw new CaseNotFoundError(caseId);
    if (action === 'split' && now.version === c.version) throw new JoinedCaseMovedError(now.status);
    // Our own change is what is stored (a commit whose success answer was lost, and whose retry then found the
    // version it had itself moved): the action is done, not lost to someone else.
    const stored = now.history.find((h) => h.version === outcome.next.version);
    if (now.version === outcome.next.version && stored?.at === outcome.entry.at && stored.by === outcome.entry.by && stored.to === outcome.entry.to)
      return { case: now, eventId: transitionEventId(now, stored), from: c.status };
    const again = applyAction(now, action, input, p, at, rules);
    if (!again.ok && again.error === 'invalid_transition') throw new InvalidTransitionError(again.status, again.allowed, again.reason);
    if (again.ok && now.status === c.status && now.agencyId === c.agencyId) throw new UnrelatedChangeError(now.status);
    throw new ConcurrentUpdateError(now.status);
  }
  return { case: outcome.next, eventId: transitionEventId(outcome.next, outcome.entry), from: c.status };
}

/** The id of a saved transition's event, which the relay publishes (the same id every time it is rebuilt). */
export function transitionEventId(next: LifecycleCase, entry: HistoryEntry): string {
  return transitionEvent(next, entry).detail.eventId;
}

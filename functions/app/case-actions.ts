/**
 * Use cases of the agency API: read a case, list a queue, act on a case. Authorization is enforced here, where
 * the data is read: after loading a case its `agencyId` (and place) is compared with the caller's agency and
 * jurisdiction (`canRead`), and a case the caller may not read is reported exactly like a missing one
 * (CaseNotFoundError), so nothing leaks.
 *
 * Acting: load → check ownership, role, state (transition table) → save with the version condition → publish
 * the transition's event. Two racing requests: both load version n, one save wins, the other gets a
 * VersionConflictError and is answered from the case as it is now (409).
 *
 * Gap (outbox follow-up): the event is published after the save. If publishing fails after the bus adapter's
 * retries, the state is saved but the event is not out; the caller answers 503 and the event can be rebuilt
 * identically from the stored record (`transitionEvent(case, historyEntry)`, same id). A transactional outbox
 * (pending event ids written with the case, published by a DynamoDB Streams consumer) would close the gap.
 */
import type { CaseStatus, HistoryEntry } from '../domain/case/case.js';
import { applyAction, transitionEvent, type Action, type ActionInput, type LifecycleCase, type LifecycleRules } from '../domain/lifecycle/index.js';
import { isAgencyId } from '../domain/taxonomy.js';
import { canRead, type Principal } from '../auth/principal.js';
import type { CaseStore, CaseSummary, Page } from '../ports/case-store.js';
import type { CaseRules } from './rules.js';
import type { EventBus } from '../ports/event-bus.js';
import { VersionConflictError } from '../ports/errors.js';
import { saveChange } from './save-change.js';
import { CaseNotFoundError, ConcurrentUpdateError, EventNotPublishedError, ForbiddenError, InvalidActionInputError, InvalidTransitionError } from './errors.js';
import { syncTimers, type DeadlineScheduler } from './deadline-timers.js';

export interface CaseActionDeps {
  store: CaseStore;
  bus: EventBus;
  now: () => Date;
  /** Deadline policy, calendar and directory rules (the handlers pass functions/config/deployed.ts). */
  rules: CaseRules;
  /** Deadline timers (EventBridge Scheduler / in process); none wired = no timers. */
  scheduler?: DeadlineScheduler;
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

export async function performAction(deps: CaseActionDeps, p: Principal, caseId: string, action: Action, input: ActionInput): Promise<ActionResult> {
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
    await saveChange(deps.store, c, outcome.next);
  } catch (e) {
    if (!(e instanceof VersionConflictError)) throw e;
    // Lost the race: answer from the case as it is now. The caller owned it a moment ago, so its new status is
    // no secret even when the winning request moved it elsewhere (e.g. returned it to the dispatch-center).
    const now = await deps.store.get(caseId);
    if (!now) throw new CaseNotFoundError(caseId);
    const again = applyAction(now, action, input, p, at, rules);
    if (!again.ok && again.error === 'invalid_transition') throw new InvalidTransitionError(again.status, again.allowed, again.reason);
    throw new ConcurrentUpdateError(now.status);
  }
  const eventId = await announceTransition(deps, outcome.next, outcome.entry);
  return { case: outcome.next, eventId, from: c.status };
}

/**
 * After a transition is saved: move the case's deadline timers, then publish the transition's event (rebuildable
 * with the same id from the record). A publish failure is EventNotPublishedError: the state stays saved.
 */
export async function announceTransition(
  deps: Pick<CaseActionDeps, 'bus' | 'scheduler' | 'now'> & { rules: LifecycleRules },
  next: LifecycleCase,
  entry: HistoryEntry,
): Promise<string> {
  await syncTimers(deps.scheduler, next, deps.now(), { onError: 'report', rules: deps.rules });
  const event = transitionEvent(next, entry);
  try {
    await deps.bus.publish([event]);
  } catch (e) {
    throw new EventNotPublishedError(next, event.detail.eventId, e);
  }
  return event.detail.eventId;
}

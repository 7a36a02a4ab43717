/**
 * The pure state changes of the lifecycle (no clock, no I/O): check an action against the transition table and
 * the case, and make the next case record with its history entry appended. Like `dispatch()`, the result is
 * saved by the caller with the version condition.
 */
import { RETURN_REASON_KINDS, type CaseRecord, type CaseStatus, type Dispute, type HistoryEntry, type ReturnReasonKind } from '../case/case.js';
import type { DeadlineCalculator } from '../case/dispatch.js';
import { applyDuration, extendDeadline, extensionProblem, type DeadlinePolicy, type WorkingCalendar } from '../deadlines/index.js';
import { nextDueAt } from '../deadlines/next-due.js';
import { formatShanghai, parseInstant } from '../deadlines/time.js';
import { receivedAtOf } from '../ticket/received-at.js';
import { maskFreeText } from '../privacy/mask.js';
import type { AgencyId } from '../taxonomy.js';
import { STORE_LIMITS } from '../store-limits.js';
import type { DisputePolicy } from './dispute-policy.js';
import { findRule, TRANSITIONS_BY_KIND, type Action, type Guard, type Role, type TransitionRule } from './transitions.js';

/**
 * Who acts: a role of an agency, and the person (`sub`, when the token names one). Events and `by` name the role and
 * agency only; the person goes into the history entry's `actorSub`, for the audit trail.
 */
export interface Actor {
  role: Role;
  agencyId: AgencyId | null;
  sub?: string | undefined;
}

export const actorLabel = (a: Actor): string => (a.agencyId ? `${a.role}@${a.agencyId}` : a.role);

/** Lifecycle state kept on the case record beside the fields of `CaseRecord` (stored with it). */
export interface ExtensionState {
  requestedWorkingDays: number;
  requestedAt: string;
  status: 'requested' | 'granted' | 'lapsed';
  grantedAt?: string;
  /** The reply deadline before the extension was granted. */
  previousReplyBy?: string;
}

export interface ReplyState {
  /** The agency's answer as written (may hold personal data: shown masked to anyone but the owner). */
  result: string;
  at: string;
}

export type LifecycleCase = CaseRecord & { extension?: ExtensionState; reply?: ReplyState };

export interface ActionInput {
  reason?: string | undefined;
  workingDays?: number | undefined;
  result?: string | undefined;
  agencyId?: string | undefined;
  /** `return`: why (退单理由), default `other`; with `other_agency`, the agency it belongs to. */
  reasonKind?: ReturnReasonKind | undefined;
  suggestedAgencyId?: string | undefined;
  note?: string | undefined;
}

/** The deployed rules the transitions need (policy, calendar, directory), passed in so the domain stays pure. */
export interface LifecycleRules {
  policy: DeadlinePolicy;
  calendar: WorkingCalendar;
  deadlinesFor: DeadlineCalculator;
  /** The region's dispatch-center, where returned cases go. */
  dispatchCenterFor(regionCode: string): AgencyId;
  /**
   * Why this dispatcher may not route to this agency (`undefined` = routable): unknown, itself a dispatch-center, or
   * outside the dispatcher's jurisdiction.
   */
  routeProblem(agencyId: string, by: Actor): string | undefined;
  /** How long a dispute may take, and what a rejected one does to the agency's clock (config/dispute-policy.json). */
  dispute: DisputePolicy;
}

/** The case's dispute nobody has decided yet (its last return's), if any. */
export function openDispute(c: CaseRecord): Dispute | undefined {
  const d = c.disputes?.at(-1);
  return d && !d.outcome && c.status === 'returned' ? d : undefined;
}

export type ActionOutcome =
  | { ok: true; next: LifecycleCase; entry: HistoryEntry; rule: TransitionRule }
  /** The role may never take this action. */
  | { ok: false; error: 'forbidden' }
  /** Not from this state (or a guard such as "once" says no). */
  | { ok: false; error: 'invalid_transition'; status: CaseStatus; allowed: Action[]; reason?: string }
  /** The request is unusable whatever the state (e.g. an unknown route target). */
  | { ok: false; error: 'invalid_input'; path: string; message: string };

const MAX_NOTE = 1000;
const masked = (text: string | undefined): string | undefined => {
  const t = text?.trim();
  return t ? maskFreeText(t).slice(0, MAX_NOTE) : undefined;
};

const count = (c: CaseRecord, to: CaseStatus) => c.history.filter((h) => h.to === to).length;

/** Why a guard says no for this case (`undefined` = passes). */
function guardProblem(g: Guard, rule: TransitionRule, c: LifecycleCase, rules: LifecycleRules, input?: ActionInput): string | undefined {
  switch (g) {
    case 'once':
      return count(c, rule.to) > 0 ? `a case is ${rule.to} at most once` : undefined;
    case 'open-dispute':
      return openDispute(c) ? undefined : 'the case has no open dispute';
    case 'extension-policy': {
      if (!c.deadlines?.replyBy) return 'the case has no reply deadline to extend';
      const previous = count(c, 'extension_requested');
      if (previous >= rules.policy.extension.maxCount) return extensionProblem(rules.policy, previous, input?.workingDays ?? 1);
      return undefined;
    }
  }
}

/** The actions this role may take on this case now (empty for `operator`, and for someone else's case). */
export function allowedActions(c: LifecycleCase, actor: Actor, rules: LifecycleRules): Action[] {
  if (actor.role === 'operator' || c.agencyId !== actor.agencyId) return [];
  return TRANSITIONS_BY_KIND[c.kind]
    .filter((t) => t.roles.includes(actor.role) && t.from.includes(c.status) && t.guards.every((g) => !guardProblem(g, t, c, rules)))
    .map((t) => t.action);
}

const missing = (input: ActionInput, field: keyof ActionInput) =>
  input[field] === undefined || (typeof input[field] === 'string' && input[field].trim() === '');

/**
 * Applies `action` by `actor` to `c` at `at`. Ownership (the case belongs to the actor's agency) is checked by the
 * caller where the case is read; this checks the role, the state, the guards and the required input.
 */
/** A case's deadlines counted again from `at`, as on a first dispatch (a reopen, a reroute). */
function deadlinesFrom(c: LifecycleCase, decision: NonNullable<LifecycleCase['decision']>, at: string, rules: LifecycleRules): LifecycleCase['deadlines'] {
  return rules.deadlinesFor({
    source: c.source,
    kind: c.kind,
    ticketType: decision.ticketType,
    urgency: c.urgency,
    // A case dispatched before ingest bounded `receivedAt` may still hold a time no deadline can count from.
    receivedAt: receivedAtOf(c, rules.policy.receipt, parseInstant(at)),
    dispatchedAt: at,
  });
}

export function applyAction(c: LifecycleCase, action: Action, input: ActionInput, actor: Actor, at: string, rules: LifecycleRules): ActionOutcome {
  const invalid = (reason?: string): ActionOutcome => {
    const out: ActionOutcome = { ok: false, error: 'invalid_transition', status: c.status, allowed: allowedActions(c, actor, rules) };
    if (reason) out.reason = reason;
    return out;
  };
  const rule = findRule(action, c.kind);
  // An action this kind of case does not have (decline a ticket, route a clue) is not possible in any state.
  if (!rule) return invalid(`a ${c.kind} case has no '${action}' action`);
  if (!rule.roles.includes(actor.role)) return { ok: false, error: 'forbidden' };
  if (!rule.from.includes(c.status)) return invalid();
  for (const g of rule.guards) {
    const problem = guardProblem(g, rule, c, rules, input);
    if (problem) return invalid(problem);
  }
  for (const f of rule.requires) if (missing(input, f)) return { ok: false, error: 'invalid_input', path: f, message: 'required' };

  const version = c.version + 1;
  const to = rule.repeatTo && count(c, rule.to) > 0 ? rule.repeatTo : rule.to;
  const next: LifecycleCase = { ...c, status: to, version };
  let note: string | undefined;

  switch (action) {
    case 'accept':
      note = masked(input.note);
      break;
    case 'return': {
      const center = rules.dispatchCenterFor(c.regionCode);
      const reasonKind = input.reasonKind ?? 'other';
      if (!(RETURN_REASON_KINDS as readonly string[]).includes(reasonKind))
        return { ok: false, error: 'invalid_input', path: 'reasonKind', message: `one of ${RETURN_REASON_KINDS.join(', ')}` };
      const suggested = input.suggestedAgencyId;
      if (suggested !== undefined) {
        // The agency suggested must be one the region's dispatch center could route to.
        const problem = suggested === c.agencyId ? 'the agency returning the case' : rules.routeProblem(suggested, { role: 'dispatcher', agencyId: center });
        if (problem) return { ok: false, error: 'invalid_input', path: 'suggestedAgencyId', message: problem };
      }
      next.agencyId = center;
      note = masked(input.reasonKind ? `[${reasonKind}${suggested ? ` → ${suggested}` : ''}] ${input.reason}` : input.reason);
      // A first return is a dispute with its own deadline; a repeated one goes to manual review as before.
      if (to === 'returned' && c.agencyId) {
        const dispute: Dispute = {
          version,
          reasonKind,
          fromAgencyId: c.agencyId,
          openedAt: at,
          decideBy: applyDuration(at, rules.dispute.decideBy, rules.calendar).at,
        };
        if (suggested) dispute.suggestedAgencyId = suggested as AgencyId;
        next.disputes = [...(c.disputes ?? []), dispute];
        next.dueAt = dispute.decideBy;
      }
      break;
    }
    case 'extend': {
      const problem = extensionProblem(rules.policy, count(c, 'extension_requested'), input.workingDays!);
      if (problem) return { ok: false, error: 'invalid_input', path: 'workingDays', message: problem };
      next.extension = { requestedWorkingDays: input.workingDays!, requestedAt: at, status: 'requested' };
      note = masked(`${input.workingDays} working days: ${input.reason!}`);
      break;
    }
    case 'grant-extension': {
      const ext = c.extension;
      const replyBy = c.deadlines?.replyBy;
      if (ext?.status !== 'requested' || !replyBy || !c.deadlines) return invalid('no pending extension request');
      const extended = extendDeadline(replyBy, ext.requestedWorkingDays, rules.calendar);
      next.deadlines = { ...c.deadlines, replyBy: extended.at, beyondKnownCalendar: c.deadlines.beyondKnownCalendar || extended.beyondKnownCalendar };
      next.extension = { ...ext, status: 'granted', grantedAt: at, previousReplyBy: replyBy };
      note = masked(input.note);
      break;
    }
    case 'reply':
      if (c.extension?.status === 'requested') next.extension = { ...c.extension, status: 'lapsed' };
      next.reply = { result: input.result!.trim(), at };
      // 回头看: the department checks how the recommendation was carried out some time after the reply.
      if (c.kind === 'recommendation') next.followUpAt = applyDuration(at, rules.policy.recommendation.followUpAfterReply, rules.calendar).at;
      note = masked(input.result);
      break;
    case 'decline':
      note = masked(input.reason);
      break;
    case 'close':
      note = masked(input.note);
      break;
    case 'reopen': {
      if (!c.decision) return invalid('the case was never classified');
      next.deadlines = deadlinesFrom(c, c.decision, at, rules);
      note = masked(input.reason ?? input.note);
      break;
    }
    case 'route':
    case 'uphold': {
      // Routing a disputed case decides its dispute: upheld, to the agency named (uphold: by default the one suggested).
      const dispute = openDispute(c);
      const target = input.agencyId ?? dispute?.suggestedAgencyId;
      if (!target) return { ok: false, error: 'invalid_input', path: 'agencyId', message: 'required: the return suggested no agency' };
      const problem = rules.routeProblem(target, actor);
      if (problem) return { ok: false, error: 'invalid_input', path: 'agencyId', message: problem };
      if (!c.decision) return invalid('the case was never classified');
      next.agencyId = target as AgencyId;
      next.dispatchedAt = at;
      next.deadlines = deadlinesFrom(c, c.decision, at, rules);
      if (dispute) next.disputes = decide(c, dispute, { outcome: 'upheld', decidedAt: at, decidedVersion: version, toAgencyId: target as AgencyId });
      const n = masked(input.note);
      note = n ? `${target}: ${n}` : target;
      break;
    }
    case 'reject': {
      const dispute = openDispute(c)!;
      if (!c.decision || !c.deadlines) return invalid('the case was never classified');
      // Back to the agency that returned it, to sign for again from now; its reply clock per the policy.
      const fresh = deadlinesFrom(c, c.decision, at, rules);
      const deadlines = { ...c.deadlines };
      if (fresh?.acceptBy) deadlines.acceptBy = fresh.acceptBy;
      if (rules.dispute.clockDuringDispute === 'stops' && deadlines.replyBy) {
        const paused = parseInstant(at) - parseInstant(dispute.openedAt);
        deadlines.replyBy = shiftInstant(deadlines.replyBy, paused);
      }
      next.agencyId = dispute.fromAgencyId;
      next.dispatchedAt = at;
      next.deadlines = deadlines;
      next.disputes = decide(c, dispute, { outcome: 'rejected', decidedAt: at, decidedVersion: version, toAgencyId: dispute.fromAgencyId });
      note = masked(`${dispute.fromAgencyId}: ${input.reason}`);
      break;
    }
    case 'split': {
      // Wrongly merged: the ticket goes where its own classification sent it, with deadlines from now.
      const target = c.decision?.agencyId;
      if (!c.decision || !target || c.decision.needsReview) return invalid('the ticket has no routing of its own');
      next.agencyId = target;
      next.dispatchedAt = at;
      next.deadlines = deadlinesFrom(c, c.decision, at, rules);
      delete next.mergedInto;
      delete next.merge;
      const n = masked(input.note);
      note = n ? `split from ${c.mergedInto}: ${n}` : `split from ${c.mergedInto}`;
      break;
    }
  }

  const dueAt = nextDueAt(to, next.deadlines, next.dueAt);
  if (dueAt) next.dueAt = dueAt;
  const entry: HistoryEntry = { version, at, by: actorLabel(actor), from: c.status, to };
  if (actor.sub) entry.actorSub = actor.sub;
  if (note) entry.note = note;
  if (next.agencyId) entry.agencyId = next.agencyId;
  const due = rule.meets ? c.deadlines?.[rule.meets] : undefined;
  if (due) entry.onTime = parseInstant(at) <= parseInstant(due);
  next.history = [...c.history, entry];
  // Refused here, with words, rather than failing in the store on every retry once the record outgrows an item.
  const bytes = RECORD_ENCODER.encode(JSON.stringify(next)).length;
  if (bytes > STORE_LIMITS.caseRecordBytes)
    return invalid(
      `the case record is full (${Math.round(bytes / 1024)} KB of history, at most ${STORE_LIMITS.caseRecordBytes / 1024} KB): an operator must close it and open a follow-up case`,
    );
  return { ok: true, next, entry, rule };
}

const RECORD_ENCODER = new TextEncoder();

/** The case's disputes with `d` decided. */
function decide(c: CaseRecord, d: Dispute, outcome: Required<Pick<Dispute, 'outcome' | 'decidedAt' | 'decidedVersion' | 'toAgencyId'>>): Dispute[] {
  return (c.disputes ?? []).map((x) => (x === d ? { ...x, ...outcome } : x));
}

/** An instant moved by `ms`, written like the stored deadlines (Shanghai offset). */
function shiftInstant(instant: string, ms: number): string {
  return formatShanghai(parseInstant(instant) + ms);
}

/**
 * Repeat-request merging (重复诉求合并): a new ticket that repeats an open case — the same caller, or the same place
 * and domain within a window (config/merge-rules.json) — is linked to that case (`mergedInto`) and not dispatched
 * again. Pure: the process function reads the key items and the open cases and writes the result in its one
 * transaction.
 *
 * A repeat is found by keyed items, never by a scan: each dispatched case registers its merge keys as small items
 * (`MergeKeyItem`, stored beside the similar-case groups) naming the case and until when it takes repeats; a new
 * ticket reads its keys in the same batch read as its groups. The caller key is an HMAC of the normalised phone
 * under a secret (ingest computes it), so neither the item key nor the record holds the phone.
 */
import { createHmac } from 'node:crypto';
import type { CaseRecord, MergeMatch, MergedRequest } from '../case/case.js';
import { applyDuration, type WorkingCalendar } from '../deadlines/index.js';
import { instantOrUndefined } from '../deadlines/time.js';
import type { GroupKeys } from '../linkage/group-key.js';
import { holdsPersonalNumber } from '../privacy/mask.js';
import type { AgencyId } from '../taxonomy.js';
import type { MergeRules } from './merge-rules.js';

/**
 * The phone as compared: digits only, without the country code (+86, 0086) on a mobile number. Too short to name
 * a line (fewer than 7 digits): undefined, and the ticket is not compared by caller.
 */
export function normalisePhone(phone: string): string | undefined {
  let d = phone.replace(/\D/g, '');
  if (/^(0086|86)1\d{10}$/.test(d)) d = d.slice(d.length - 11);
  return d.length >= 7 && d.length <= 20 ? d : undefined;
}

/** The caller key of a phone under `secret`: 32 hex characters of HMAC-SHA256 (undefined when no usable phone). */
export function callerKeyOf(secret: string, phone: string | undefined): string | undefined {
  const n = phone === undefined ? undefined : normalisePhone(phone);
  return n ? createHmac('sha256', secret).update(`caller\n${n}`).digest('hex').slice(0, 32) : undefined;
}

/** A merge key item: which open case a repeat with this key joins, and until when. Versioned like a group item. */
export interface MergeKeyItem {
  groupId: string;
  version: number;
  caseId: string;
  match: MergeMatch;
  /** A ticket received after this no longer joins (the window from the case's receipt). */
  until: string;
}

export interface MergeKey {
  groupId: string;
  match: MergeMatch;
}

const MERGE_PREFIX = 'merge:';
export const isMergeKeyId = (groupId: string): boolean => groupId.startsWith(MERGE_PREFIX);

/** The merge keys of a case as routed (none for a case sent to manual review: its domain is a guess). */
export function mergeKeysOf(c: CaseRecord, rules: MergeRules, groupKeysOf: GroupKeys['groupKeysOf']): MergeKey[] {
  const d = c.decision;
  if (!d || d.needsReview || (c.kind !== 'ticket' && c.kind !== 'transfer')) return [];
  const keys: MergeKey[] = [];
  if (rules.caller.enabled && c.callerKey) {
    keys.push({ groupId: `${MERGE_PREFIX}caller:${c.callerKey}${rules.caller.sameDomain ? `:${d.domain}` : ''}`, match: 'caller' });
  }
  if (rules.place.enabled) {
    const text = { content: c.ticket.content, address: typeof c.ticket['address'] === 'string' ? c.ticket['address'] : undefined };
    for (const k of groupKeysOf(text, rules.place.keyKinds)) {
      if (holdsPersonalNumber(k.key)) continue; // an item key never holds a phone or ID number
      keys.push({ groupId: `${MERGE_PREFIX}place:${c.regionCode}:${d.domain}:${k.kind}:${k.key}`, match: 'place' });
    }
  }
  return keys;
}

/** The key item a newly dispatched case registers: repeats received until the window's end join it. */
export function registerKey(k: MergeKey, c: CaseRecord, previous: MergeKeyItem | undefined, rules: MergeRules, calendar: WorkingCalendar): MergeKeyItem {
  const window = k.match === 'caller' ? rules.caller.window : rules.place.window;
  return {
    groupId: k.groupId,
    version: (previous?.version ?? 0) + 1,
    caseId: c.caseId,
    match: k.match,
    until: applyDuration(c.receivedAt, window, calendar).at,
  };
}

/** Whether a ticket received at `receivedAt` falls in the key's window. */
export function keyLive(item: MergeKeyItem | undefined, receivedAt: string): item is MergeKeyItem {
  if (!item) return false;
  const until = instantOrUndefined(item.until);
  const at = instantOrUndefined(receivedAt);
  return until !== undefined && at !== undefined && at <= until;
}

/** Whether an open case takes a repeat now. */
export function takesRepeats(primary: CaseRecord, rules: MergeRules): boolean {
  return (
    (primary.kind === 'ticket' || primary.kind === 'transfer') &&
    rules.openStatuses.includes(primary.status) &&
    !!primary.agencyId &&
    (primary.merges?.length ?? 0) < rules.maxMergedPerCase
  );
}

/**
 * Merges `routed` (the new ticket as its classification routed it, still at the stored version + 1) into `primary`.
 * The ticket becomes `merged`: its decision kept (a split dispatches by it), no deadlines, and it sits with its
 * region's dispatch center (`dispatchCenter`), whose dispatcher may split it out. The primary lists it.
 */
export function mergeInto(
  routed: CaseRecord,
  primary: CaseRecord,
  match: MergeMatch,
  at: string,
  dispatchCenter: AgencyId,
): { merged: CaseRecord; primary: CaseRecord } {
  const received = routed.history.filter((h) => h.version < routed.version);
  const { deadlines: _d, dueAt: _due, dispatchedAt: _at, referralAgencyId: _r, ...rest } = routed;
  const merged: CaseRecord = {
    ...rest,
    status: 'merged',
    agencyId: dispatchCenter,
    mergedInto: primary.caseId,
    merge: { match, agencyId: primary.agencyId! },
    history: [
      ...received,
      { version: routed.version, at, by: 'system:merge', from: 'received', to: 'merged', note: `${primary.caseId} (${match})`, agencyId: dispatchCenter },
    ],
  };
  const request: MergedRequest = { caseId: routed.caseId, source: routed.source, sourceTicketId: routed.sourceTicketId, at, match };
  return { merged, primary: { ...primary, version: primary.version + 1, merges: [...(primary.merges ?? []), request] } };
}

/** The primary without a ticket split back out of it. */
export function withoutMerged(primary: CaseRecord, caseId: string): CaseRecord {
  return { ...primary, version: primary.version + 1, merges: (primary.merges ?? []).filter((m) => m.caseId !== caseId) };
}

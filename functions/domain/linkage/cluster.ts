/**
 * Incremental similar-case detection (类案发现), product.md §9. Each (rule, region, grouping key) has one small
 * group item holding its recent members; a ticket reads and rewrites only that item, so detection costs the same
 * however many tickets the table holds (no scan, no query over cases).
 *
 * Window semantics:
 * - Sliding window: a member counts while it is less than `windowDays` older than the newest member seen. The list
 *   is kept sorted by time, so tickets arriving out of order are placed where they belong; a ticket already older
 *   than the window when it arrives is too late to count (outcome `counted`, members unchanged).
 * - When `threshold` members are in the window and no cluster of the group is running, a cluster is detected with
 *   all of them. It runs for `windowDays` from the newest member's time (`windowEndsAt`); a ticket whose own time
 *   falls inside it joins it. Once the newest ticket is past `windowEndsAt` the cluster is over and counting starts
 *   again from the members still in the window (so a problem that goes on raises a new cluster each window; cases
 *   near the end of one window can be in the next cluster too).
 * - Redelivery of a member is a `duplicate` and changes nothing. The member list is capped at
 *   max(threshold × 4, 50), oldest dropped first, so the item stays far below DynamoDB's item size limit.
 * - `version` goes up by one with every change, for the store's optimistic concurrency.
 *
 * Times are ISO 8601 instants with an offset; the ones written here are Shanghai time (+08:00).
 *
 * A stored group may hold times written before ingest bounded `receivedAt` (a year 9999, a cut six-digit year, a
 * fraction of nine digits). Such a member or open cluster must neither fail every later case of the group nor push
 * its real members out of the window, so a stored time that cannot be read, or that lies beyond `horizonMs` (the
 * latest time a real member can have: the processing time plus the allowed clock skew), is left out: the member is
 * dropped from the group, the open cluster is treated as over. The next write of the group no longer holds it.
 */
import { derivedId, hash100 } from '../case/case-id.js';
import { formatShanghai, instantOrUndefined, parseInstant } from '../deadlines/time.js';
import type { ClusterRule } from './cluster-rules.js';
import type { GroupKey } from './group-key.js';

export interface GroupMember {
  caseId: string;
  /** ISO instant with offset: when the ticket was received. */
  at: string;
}

/** The group item (类案计数): one per rule, region and grouping key. */
export interface GroupState {
  groupId: string;
  ruleId: string;
  regionCode: string;
  kind: GroupKey['kind'];
  key: string;
  /** Recent members, oldest first. */
  members: GroupMember[];
  version: number;
  /** The cluster raised from this group while its window runs. */
  openCluster?: { clusterId: string; detectedAt: string; windowEndsAt: string };
}

export type Observation =
  /** The case is already a member (redelivery): nothing changes. */
  | { outcome: 'duplicate' }
  /** Counted, below the threshold (or too late to count). */
  | { outcome: 'counted'; next: GroupState }
  /** The threshold is reached within the window: a new cluster of these cases. */
  | { outcome: 'detected'; next: GroupState; clusterId: string; caseIds: string[] }
  /** A cluster of this group is running at the case's time: the case joins it. */
  | { outcome: 'joined'; next: GroupState; clusterId: string };

const DAY_MS = 86_400_000;
const MAX_GROUP_ID_BYTES = 512;

/**
 * `wage-arrears:150302:enterprise:鑫达` — readable in the console and the logs, stable, and a valid DynamoDB key
 * part: characters that could confuse a reader or a key layout (`#`, `:`, whitespace, controls) are removed from the
 * key, and an over-long key is shortened and suffixed with a hash so distinct keys stay distinct.
 */
export function groupIdOf(ruleId: string, regionCode: string, k: GroupKey): string {
  const key = k.key.replace(/[\s#:\p{Cc}\p{Cf}]/gu, '');
  const id = `${ruleId}:${regionCode}:${k.kind}:${key}`;
  if (Buffer.byteLength(id, 'utf8') <= MAX_GROUP_ID_BYTES) return id;
  const prefix = `${ruleId}:${regionCode}:${k.kind}:`;
  const chars = [...key];
  let short = '';
  for (const c of chars) {
    if (Buffer.byteLength(prefix + short + c, 'utf8') > MAX_GROUP_ID_BYTES - 24) break;
    short += c;
  }
  return `${prefix}${short}~${hash100(key)}`;
}

/** `cl-` + 20 base32 characters (100 bits) of SHA-256 over the group and its first member: the same on every retry. */
export function clusterIdOf(groupId: string, firstCaseId: string): string {
  return derivedId('cl', `${groupId}\n${firstCaseId}`);
}

/** How many members a group keeps. */
export const memberCap = (rule: Pick<ClusterRule, 'threshold'>): number => Math.max(rule.threshold * 4, 50);

/**
 * Adds one case to its group. `state` is the stored item (undefined the first time); the caller writes `next` back
 * with `version` as the condition, and on a `detected` outcome creates the cluster (and its clue) in the same
 * transaction. Throws RangeError when `member.at` is not an ISO instant with an offset.
 */
export function observe(
  state: GroupState | undefined,
  member: GroupMember,
  rule: ClusterRule,
  regionCode: string,
  key: GroupKey,
  horizonMs = Number.POSITIVE_INFINITY,
): Observation {
  const at = parseInstant(member.at);
  /** A stored time as a count of ms, or undefined when it cannot be read or lies beyond the horizon. */
  const stored = (s: unknown): number | undefined => {
    const t = instantOrUndefined(s);
    return t !== undefined && t <= horizonMs ? t : undefined;
  };
  const current: GroupState = state ?? {
    groupId: groupIdOf(rule.id, regionCode, key),
    ruleId: rule.id,
    regionCode,
    kind: key.kind,
    key: key.key,
    members: [],
    version: 0,
  };
  if (current.members.some((m) => m.caseId === member.caseId)) return { outcome: 'duplicate' };

  const windowMs = rule.windowDays * DAY_MS;
  const timed = current.members.flatMap((m) => {
    const t = stored(m.at);
    return t === undefined ? [] : [{ m, t }];
  });
  // Insert after every member at or before `at`: equal times keep arrival order.
  let i = timed.length;
  while (i > 0 && timed[i - 1]!.t > at) i--;
  timed.splice(i, 0, { m: { caseId: member.caseId, at: member.at }, t: at });
  const newest = timed[timed.length - 1]!.t;
  const inWindow = timed.filter((x) => newest - x.t < windowMs).slice(-memberCap(rule));
  const members = inWindow.map((x) => x.m);
  const base = { ...current, members, version: current.version + 1 };
  const counted = inWindow.some((x) => x.m.caseId === member.caseId);

  let open = current.openCluster;
  const ends = open && instantOrUndefined(open.windowEndsAt);
  const detectedAt = open && stored(open.detectedAt);
  if (open && (ends === undefined || detectedAt === undefined)) open = undefined; // unreadable: treated as over
  if (open && ends !== undefined && detectedAt !== undefined) {
    if (at < ends && at > detectedAt - windowMs) {
      return { outcome: 'joined', next: { ...base, openCluster: open }, clusterId: open.clusterId };
    }
    if (newest >= ends) open = undefined; // the cluster's window is over
  }
  if (!open && counted && inWindow.length >= rule.threshold) {
    const clusterId = clusterIdOf(current.groupId, inWindow[0]!.m.caseId);
    const openCluster = { clusterId, detectedAt: formatShanghai(newest), windowEndsAt: formatShanghai(newest + windowMs) };
    return { outcome: 'detected', next: { ...base, openCluster }, clusterId, caseIds: members.map((m) => m.caseId) };
  }
  const next: GroupState = { ...base };
  if (open) next.openCluster = open;
  else delete next.openCluster;
  return { outcome: 'counted', next };
}

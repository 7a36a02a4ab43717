/**
 * A similar-case cluster (类案) as stored and listed: the cases that share a grouping key (an enterprise, place or
 * address) within a rule's window, and the clue referral it raised. Made by `app/clusters.ts` when a group's count
 * reaches the rule's threshold (`cluster.ts`), grown while its window runs.
 */
import { instantOrUndefined } from '../deadlines/time.js';
import type { AgencyId, ClueKind, Domain } from '../taxonomy.js';
import type { GroupKey } from './group-key.js';

export const CLUSTER_STATUSES = ['open', 'closed'] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

export interface ClusterRecord {
  clusterId: string;
  ruleId: string;
  groupId: string;
  regionCode: string;
  domain: Domain;
  /** What the cases share: `enterprise`, `place` or `address`, and its normalised form. Never a person. */
  keyKind: GroupKey['kind'];
  groupKey: string;
  /** The cluster's cases, in the order they came, at most `MAX_LISTED_MEMBERS` (the item stays small). */
  caseIds: string[];
  /** How many cases the cluster has in all, listed or not (absent on clusters from before the cap: `caseIds.length`). */
  memberCount?: number;
  /** How many cases made the cluster when it was detected (the first `detectedCount` of `caseIds`). */
  detectedCount: number;
  detectedAt: string;
  /** New cases of the group join the cluster until this instant; after it the cluster is closed. */
  windowEndsAt: string;
  clue: ClueKind;
  /** The clue referral raised for the cluster, owned by `agencyId` (a procuratorate department). */
  clueCaseId: string;
  agencyId: AgencyId;
  version: number;
}

/**
 * How many member ids a cluster item lists. A problem that goes on for the whole window can bring thousands of
 * tickets into one cluster; the item would outgrow DynamoDB's 400 KB and every later ticket of the group would
 * fail. Beyond this, members are counted, not listed.
 */
export const MAX_LISTED_MEMBERS = 200;

/** All the cluster's members, listed or not. */
export const memberCountOf = (c: ClusterRecord): number => c.memberCount ?? c.caseIds.length;

/** `open` while new cases may still join, `closed` after the window. Derived from the clock, not stored. */
export const clusterStatus = (c: ClusterRecord, now: Date): ClusterStatus => ((instantOrUndefined(c.windowEndsAt) ?? 0) > now.getTime() ? 'open' : 'closed');

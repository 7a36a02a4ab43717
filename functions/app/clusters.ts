/**
 * Similar cases (类案, product.md §9) as the process function sees them: when a case is dispatched, each rule of its
 * domain (config/cluster-rules.json) extracts grouping keys from the ticket (an enterprise, place or address), and
 * the case is counted in each key's group — reads of the group items and one conditional write per group, never a
 * scan. When a group reaches the rule's threshold within its window, a cluster is made with a clue referral for the
 * rule's procuratorate department; later cases of the group join the cluster while its window runs.
 *
 * The groups and clusters a batch touches are held in a `ClusterWorkingSet`: read once (one batch read for all the
 * batch's groups), changed in memory case after case, and written with the dispatches in one transaction, each item
 * conditioned on the version that was read. Two cases of one group in one batch therefore write the group once,
 * with both members; a concurrent batch touching the same group makes one transaction fail on the group's version,
 * and the process function decides again from what is stored then.
 *
 * The case that completes a cluster records the cluster's clue among its `referrals` and every cluster it belongs
 * to in `clusterIds`, so the outbox relay (relay.ts) rebuilds the same events from stored records alone.
 */
import { eventEnvelope } from '../../events/envelope.js';
import type { DomainEvent } from '../../events/schemas.js';
import type { AgencyDirectory } from '../domain/directory/directory.js';
import type { CaseRecord } from '../domain/case/case.js';
import type { DeadlineCalculator } from '../domain/case/dispatch.js';
import { parseInstant } from '../domain/deadlines/time.js';
import { groupIdOf, observe, type GroupState } from '../domain/linkage/cluster.js';
import { MAX_LISTED_MEMBERS, memberCountOf, type ClusterRecord } from '../domain/linkage/cluster-record.js';
import { rulesFor, type ClusterRule } from '../domain/linkage/cluster-rules.js';
import type { GroupKey, GroupKeys } from '../domain/linkage/group-key.js';
import { clusterClue, clusterClueCaseIdFor } from '../domain/linkage/referral.js';
import { holdsPersonalNumber } from '../domain/privacy/mask.js';
import type { ReceiptWindow } from '../domain/ticket/received-at.js';
import type { Change, LinkageStore } from '../ports/case-store.js';
import type { MergeKeyItem } from '../domain/merge/merge.js';

export interface ClusterObservation {
  /** Clusters the case is in after this change (joined or detected). */
  clusterIds: string[];
  /** Clue cases of clusters this case completed. */
  clues: CaseRecord[];
  /** Clusters this case completed (for `Cluster.Detected`). */
  detected: ClusterRecord[];
}

interface Tracked<T> {
  value: T | undefined;
  /** The version read from the store (null: the item did not exist). */
  readVersion: number | null;
  dirty: boolean;
}

/** The group and cluster items of one change (one case, or a whole batch): read once, written once. */
export class ClusterWorkingSet {
  private readonly groups = new Map<string, Tracked<GroupState>>();
  private readonly clusters = new Map<string, Tracked<ClusterRecord>>();

  constructor(private readonly store: Pick<LinkageStore, 'getGroups' | 'getCluster'>) {}

  /** Reads every group not read yet, in one store call. */
  async prefetchGroups(groupIds: readonly string[]): Promise<void> {
    const missing = [...new Set(groupIds)].filter((id) => !this.groups.has(id));
    if (!missing.length) return;
    const found = await this.store.getGroups<GroupState>(missing);
    for (const id of missing) {
      const g = found.get(id);
      this.groups.set(id, { value: g, readVersion: g ? g.version : null, dirty: false });
    }
  }

  async group(groupId: string): Promise<GroupState | undefined> {
    await this.prefetchGroups([groupId]);
    return this.groups.get(groupId)!.value;
  }

  /** A merge key item (重复诉求合并) read by `prefetchGroups`: the group items and the merge keys share one read. */
  mergeKey(groupId: string): MergeKeyItem | undefined {
    const t = this.groups.get(groupId);
    if (!t) throw new Error(`merge key ${groupId} was not read before it was looked at`);
    return t.value as unknown as MergeKeyItem | undefined;
  }

  putGroupItem(item: MergeKeyItem): void {
    this.putGroup(item as unknown as GroupState);
  }

  putGroup(g: GroupState): void {
    const t = this.groups.get(g.groupId);
    if (!t) throw new Error(`group ${g.groupId} was not read before it was changed`);
    t.value = g;
    t.dirty = true;
  }

  async cluster(clusterId: string): Promise<ClusterRecord | undefined> {
    let t = this.clusters.get(clusterId);
    if (!t) {
      const c = await this.store.getCluster(clusterId);
      t = { value: c, readVersion: c ? c.version : null, dirty: false };
      this.clusters.set(clusterId, t);
    }
    return t.value;
  }

  putCluster(c: ClusterRecord): void {
    const t = this.clusters.get(c.clusterId) ?? { value: undefined, readVersion: null, dirty: false };
    t.value = c;
    t.dirty = true;
    this.clusters.set(c.clusterId, t);
  }

  /** What to write: each changed item once, conditioned on the version read. */
  writes(): Required<Pick<Change, 'groups' | 'clusters'>> {
    const groups: NonNullable<Change['groups']> = [];
    const clusters: NonNullable<Change['clusters']> = [];
    for (const t of this.groups.values()) if (t.dirty && t.value) groups.push({ group: t.value, expectedVersion: t.readVersion });
    for (const t of this.clusters.values()) if (t.dirty && t.value) clusters.push({ cluster: t.value, expectedVersion: t.readVersion });
    return { groups, clusters };
  }
}

type Keyed = { rule: ClusterRule; key: GroupKey; groupId: string };

/** The groups a case is counted in. Cases that go to manual review are not counted: their domain is a guess. */
export function groupsOf(next: CaseRecord, rules: readonly ClusterRule[], groupKeysOf: GroupKeys['groupKeysOf']): Keyed[] {
  const d = next.decision;
  if (!d || d.needsReview || (next.kind !== 'ticket' && next.kind !== 'transfer')) return [];
  const text = { content: next.ticket.content, address: typeof next.ticket['address'] === 'string' ? next.ticket['address'] : undefined };
  const out: Keyed[] = [];
  for (const rule of rulesFor(d.domain, rules)) {
    for (const key of groupKeysOf(text, rule.keyKinds)) {
      // A key becomes part of an item key, an event and a listing: never one that holds a phone or ID number.
      if (holdsPersonalNumber(key.key)) continue;
      out.push({ rule, key, groupId: groupIdOf(rule.id, next.regionCode, key) });
    }
  }
  return out;
}

/** Counts `next` (the case as it is being dispatched) in its groups, changing the working set. */
export async function observeClusters(
  ws: ClusterWorkingSet,
  next: CaseRecord,
  at: string,
  deadlinesFor: DeadlineCalculator,
  /** `receipt`: how far ahead of its processing a member's time can be; a stored time beyond that is not real. */
  config: { directory: AgencyDirectory; clusterRules: readonly ClusterRule[]; groupKeysOf: GroupKeys['groupKeysOf']; receipt: ReceiptWindow },
  /** The case's groups, when the caller has them already (a batch extracts them once, to read them all together). */
  keyed: readonly Keyed[] = groupsOf(next, config.clusterRules, config.groupKeysOf),
): Promise<ClusterObservation> {
  const out: ClusterObservation = { clusterIds: [], clues: [], detected: [] };
  await ws.prefetchGroups(keyed.map((k) => k.groupId));
  const horizonMs = parseInstant(at) + config.receipt.maxAheadMinutes * 60_000;
  for (const { rule, key, groupId } of keyed) {
    const o = observe(await ws.group(groupId), { caseId: next.caseId, at: next.receivedAt }, rule, next.regionCode, key, horizonMs);
    if (o.outcome === 'duplicate') continue;
    ws.putGroup(o.next);
    if (o.outcome === 'joined') {
      const cluster = await ws.cluster(o.clusterId);
      if (cluster && !cluster.caseIds.includes(next.caseId)) {
        const listed = cluster.caseIds.length < MAX_LISTED_MEMBERS;
        ws.putCluster({
          ...cluster,
          caseIds: listed ? [...cluster.caseIds, next.caseId] : cluster.caseIds,
          memberCount: memberCountOf(cluster) + 1,
          version: cluster.version + 1,
        });
      }
      out.clusterIds.push(o.clusterId);
    } else if (o.outcome === 'detected') {
      const agency = config.directory.resolve(next.regionCode, rule.agencyKind);
      if (!agency) continue; // the directory validated at load names a department for every region; defensive only
      const cluster: ClusterRecord = {
        clusterId: o.clusterId,
        ruleId: rule.id,
        groupId: o.next.groupId,
        regionCode: next.regionCode,
        domain: next.decision!.domain,
        keyKind: key.kind,
        groupKey: key.key,
        caseIds: o.caseIds,
        detectedCount: o.caseIds.length,
        detectedAt: o.next.openCluster!.detectedAt,
        windowEndsAt: o.next.openCluster!.windowEndsAt,
        clue: rule.clue,
        clueCaseId: clusterClueCaseIdFor(o.clusterId),
        agencyId: agency.agency.id,
        version: 1,
      };
      ws.putCluster(cluster);
      out.clues.push(clusterClue(cluster, next, at, deadlinesFor));
      out.detected.push(cluster);
      out.clusterIds.push(o.clusterId);
    }
  }
  return out;
}

/** `Cluster.Detected` of a cluster completed by `c` (same id on every retry). */
export function clusterDetectedEvent(cluster: ClusterRecord, c: CaseRecord): DomainEvent<'Cluster.Detected'> {
  return {
    type: 'Cluster.Detected',
    detail: {
      // A cluster is detected once, whichever case completes it: the id is the cluster's.
      ...eventEnvelope({ case: c, idSubject: cluster.clusterId, idType: 'Cluster.Detected', version: 1, occurredAt: cluster.detectedAt }),
      clusterId: cluster.clusterId,
      ruleId: cluster.ruleId,
      domain: cluster.domain,
      regionCode: cluster.regionCode,
      keyKind: cluster.keyKind,
      groupKey: cluster.groupKey,
      caseIds: cluster.caseIds.slice(0, cluster.detectedCount),
      clue: cluster.clue,
      clueCaseId: cluster.clueCaseId,
      agencyId: cluster.agencyId,
    },
  };
}

/**
 * `Cluster.Detected` of the clusters `c` completed, rebuilt from the stored clusters (the outbox relay's path). A
 * cluster the case only joined is told from its clue's id alone (the case's `referrals` hold the clue of a cluster it
 * completed), so only completed clusters are read: one read per detection, none for an ordinary case.
 */
export async function clusterEvents(store: Pick<LinkageStore, 'getCluster'>, c: CaseRecord): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  const referred = new Set((c.referrals ?? []).map((r) => r.caseId));
  for (const id of c.clusterIds ?? []) {
    if (!referred.has(clusterClueCaseIdFor(id))) continue; // joined, not completed by this case
    const cluster = await store.getCluster(id);
    if (!cluster) throw new Error(`cluster ${id} of case ${c.caseId} is not stored`); // written with the case: cannot happen
    events.push(clusterDetectedEvent(cluster, c));
  }
  return events;
}

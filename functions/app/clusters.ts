/**
 * Similar cases (类案, product.md §9) as the process function sees them: when a case is dispatched, each rule of its
 * domain (config/cluster-rules.json) extracts grouping keys from the ticket (an enterprise, place or address), and
 * the case is counted in each key's group — one read and one conditional write per group, never a scan. When a
 * group reaches the rule's threshold within its window, a cluster is made with a clue referral for the rule's
 * procuratorate department; later cases of the group join the cluster while its window runs.
 *
 * Everything is written in the dispatch's own transaction (`Change.groups`, `.clusters`, `.creates`), so a case is
 * counted in its groups exactly when it is dispatched. A concurrent case of the same group makes one transaction
 * fail on the group's version; the process function then decides again from what is stored now.
 *
 * The case that completes a cluster records the cluster's clue among its `referrals` and every cluster it belongs
 * to in `clusterIds`, so a redelivery rebuilds and republishes the same events from stored records alone.
 */
import { SCHEMA_VERSION } from '../../events/envelope-constants.js';
import type { DomainEvent } from '../../events/schemas.js';
import { directory } from '../config/directory.js';
import { clusterRules as deployedRules } from '../config/cluster-rules.js';
import type { CaseRecord } from '../domain/case/case.js';
import type { DeadlineCalculator } from '../domain/case/dispatch.js';
import { eventIdFor } from '../domain/case/event-id.js';
import { groupIdOf, observe, type GroupState } from '../domain/linkage/cluster.js';
import type { ClusterRecord } from '../domain/linkage/cluster-record.js';
import { rulesFor, type ClusterRule } from '../domain/linkage/cluster-rules.js';
import { groupKeysOf } from '../domain/linkage/group-key.js';
import { clusterClue, clusterClueCaseIdFor } from '../domain/linkage/referral.js';
import type { LinkageStore } from '../ports/case-store.js';
import type { ChangeExtras } from './save-change.js';

export interface ClusterObservation {
  extras: Required<Pick<ChangeExtras, 'groups' | 'clusters' | 'creates'>>;
  /** Clusters the case is in after this change (joined or detected). */
  clusterIds: string[];
  /** Clue cases of clusters this case completed. */
  clues: CaseRecord[];
}

/**
 * What counting `next` (the case as it is being dispatched) in its groups writes. Cases that go to manual review are
 * not counted: their domain is a guess.
 */
export async function observeClusters(
  store: Pick<LinkageStore, 'getGroup' | 'getCluster'>,
  next: CaseRecord,
  at: string,
  deadlinesFor: DeadlineCalculator,
  rules: readonly ClusterRule[] = deployedRules,
): Promise<ClusterObservation> {
  const out: ClusterObservation = { extras: { groups: [], clusters: [], creates: [] }, clusterIds: [], clues: [] };
  const d = next.decision;
  if (!d || d.needsReview || (next.kind !== 'ticket' && next.kind !== 'transfer')) return out;
  const text = { content: next.ticket.content, address: typeof next.ticket['address'] === 'string' ? next.ticket['address'] : undefined };
  for (const rule of rulesFor(d.domain, rules)) {
    for (const key of groupKeysOf(text, rule.keyKinds)) {
      const state = await store.getGroup<GroupState>(groupIdOf(rule.id, next.regionCode, key));
      const o = observe(state, { caseId: next.caseId, at: next.receivedAt }, rule, next.regionCode, key);
      if (o.outcome === 'duplicate') continue;
      out.extras.groups.push({ group: o.next, expectedVersion: state ? state.version : null });
      if (o.outcome === 'joined') {
        const cluster = await store.getCluster(o.clusterId);
        if (cluster && !cluster.caseIds.includes(next.caseId)) {
          out.extras.clusters.push({ cluster: { ...cluster, caseIds: [...cluster.caseIds, next.caseId], version: cluster.version + 1 }, expectedVersion: cluster.version });
        }
        out.clusterIds.push(o.clusterId);
      } else if (o.outcome === 'detected') {
        const agency = directory.resolve(next.regionCode, rule.agencyKind);
        if (!agency) continue; // the directory validated at load names a department for every region; defensive only
        const cluster: ClusterRecord = {
          clusterId: o.clusterId,
          ruleId: rule.id,
          groupId: o.next.groupId,
          regionCode: next.regionCode,
          domain: d.domain,
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
        const clue = clusterClue(cluster, next, at, deadlinesFor);
        out.extras.clusters.push({ cluster, expectedVersion: null });
        out.extras.creates.push(clue);
        out.clues.push(clue);
        out.clusterIds.push(o.clusterId);
      }
    }
  }
  return out;
}


/** `Cluster.Detected` of the clusters `c` completed, rebuilt from the stored clusters (same ids on every retry). */
export async function clusterEvents(store: Pick<LinkageStore, 'getCluster'>, c: CaseRecord): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  const referred = new Set((c.referrals ?? []).map((r) => r.caseId));
  for (const id of c.clusterIds ?? []) {
    const cluster = await store.getCluster(id);
    if (!cluster || !referred.has(cluster.clueCaseId)) continue; // joined, not completed by this case
    events.push({
      type: 'Cluster.Detected',
      detail: {
        eventId: eventIdFor(cluster.clusterId, 'Cluster.Detected', 1),
        schemaVersion: SCHEMA_VERSION,
        occurredAt: cluster.detectedAt,
        caseId: c.caseId,
        correlationId: c.correlationId,
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
    });
  }
  return events;
}

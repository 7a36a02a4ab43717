/**
 * Layout of the case table, shared by the DynamoDB adapter, the local-mode table creation and the CDK stack.
 *
 * - `pk = CASE#<caseId>`, `sk = CASE`: the case record (history is an append-only list inside it).
 * - index `agencyQueue`: `queuePk = <agencyId>#<status>`, `queueSk = <dueAt>#<caseId>` — an agency's work queue
 *   per status, earliest due first. Sparse (a case not yet routed has no queue keys) and projecting only what a
 *   queue listing shows (`QUEUE_ATTRIBUTES`), so a case write costs the index a small item, not the whole case.
 */
export const CASE_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  workIndex: { name: 'agencyQueue', partitionKey: 'queuePk', sortKey: 'queueSk' },
  clusterIndex: { name: 'regionClusters', partitionKey: 'clustersPk', sortKey: 'clustersSk' },
  /**
   * Sparse, keys only: closed cases with an erasure of the retention policy still ahead (domain/privacy/retention.ts).
   * `retentionPk = RETAIN#<contact|text>`, `retentionSk = <closedAt, UTC ISO>#<caseId>`. Keyed by the close time, not a
   * due date, so a changed policy applies to every case without rewriting a key: the job queries `retentionSk <
   * <now − days>`. A case leaves the `contact` partition when its contact is erased and the index when its text is.
   */
  retentionIndex: { name: 'retentionDue', partitionKey: 'retentionPk', sortKey: 'retentionSk' },
  /** DynamoDB TTL attribute (epoch seconds): audit records expire after `auditRecordDays`. */
  expiresAt: 'expiresAt',
} as const;

/** What the `agencyQueue` index projects besides its keys: the fields of a queue listing (cases/views.ts `listItem`). */
export const QUEUE_ATTRIBUTES = ['caseId', 'kind', 'status', 'agencyId', 'decision', 'urgency', 'dueAt', 'receivedAt', 'regionCode'] as const;

export const casePk = (caseId: string) => `CASE#${caseId}`;
export const CASE_SK = 'CASE';

/**
 * 府检联动 items in the same table (single-table design; nothing here is ever scanned):
 * - `pk = GROUP#<groupId>`, `sk = GROUP`: a similar-case group's recent members (its counter).
 * - `pk = CLUSTER#<clusterId>`, `sk = CLUSTER`: a cluster; index `regionClusters` with `clustersPk = CLUSTERS#<region>`,
 *   `clustersSk = <detectedAt>#<clusterId>` lists a region's clusters (all attributes: cluster items are small and rare).
 * - `pk = REPORT#<YYYY-MM>#<region>`, `sk = <agencyId>#<domain>`: the monthly-report counters of one row.
 */
export const groupPk = (groupId: string) => `GROUP#${groupId}`;
export const GROUP_SK = 'GROUP';
export const clusterPk = (clusterId: string) => `CLUSTER#${clusterId}`;
export const CLUSTER_SK = 'CLUSTER';
export const clustersOfRegion = (regionCode: string) => `CLUSTERS#${regionCode}`;
export const reportPk = (month: string, regionCode: string) => `REPORT#${month}#${regionCode}`;
/**
 * - `pk = AUDIT#<region>#<YYYY-MM-DD, Shanghai>`, `sk = <at>#<caseId>#<action>#<version or a nonce>`: one audit record
 *   (who acted on or opened the contact of a case, ports/case-store.ts `AuditRecord`); a day of a region is one Query.
 *   Expires by TTL (`expiresAt`).
 */
export const auditPk = (regionCode: string, day: string) => `AUDIT#${regionCode}#${day}`;
export const retentionPk = (stage: string) => `RETAIN#${stage}`;
export const reportSk = (agencyId: string, domain: string) => `${agencyId}#${domain}`;

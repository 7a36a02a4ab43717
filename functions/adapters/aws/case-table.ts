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
export const reportSk = (agencyId: string, domain: string) => `${agencyId}#${domain}`;

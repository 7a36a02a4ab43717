/**
 * Layout of the case table, shared by the DynamoDB adapter, the local-mode table creation and the CDK stack.
 *
 * - `pk = CASE#<caseId>`, `sk = CASE`: the case record (history is an append-only list inside it).
 * - GSI `byAgencyStatus`: `gsi1pk = <agencyId>#<status>`, `gsi1sk = <dueAt>#<caseId>` — an agency's work queue
 *   per status, earliest due first. Sparse: a case not yet routed has no GSI keys.
 */
export const CASE_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  agencyIndex: { name: 'byAgencyStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

/** Powertools idempotency table: partition key `id`, TTL attribute `expiration` (the library's defaults). */
export const IDEMPOTENCY_TABLE = { partitionKey: 'id', ttlAttribute: 'expiration' } as const;

export const casePk = (caseId: string) => `CASE#${caseId}`;
export const CASE_SK = 'CASE';

/**
 * 府检联动 items in the same table (single-table design; nothing here is ever scanned):
 * - `pk = GROUP#<groupId>`, `sk = GROUP`: a similar-case group's recent members (its counter).
 * - `pk = CLUSTER#<clusterId>`, `sk = CLUSTER`: a cluster; GSI `byAgencyStatus` with `gsi1pk = CLUSTERS#<region>`,
 *   `gsi1sk = <detectedAt>#<clusterId>` lists a region's clusters.
 * - `pk = REPORT#<YYYY-MM>#<region>`, `sk = <agencyId>#<domain>`: the monthly-report counters of one row.
 */
export const groupPk = (groupId: string) => `GROUP#${groupId}`;
export const GROUP_SK = 'GROUP';
export const clusterPk = (clusterId: string) => `CLUSTER#${clusterId}`;
export const CLUSTER_SK = 'CLUSTER';
export const clustersOfRegion = (regionCode: string) => `CLUSTERS#${regionCode}`;
export const reportPk = (month: string, regionCode: string) => `REPORT#${month}#${regionCode}`;
export const reportSk = (agencyId: string, domain: string) => `${agencyId}#${domain}`;

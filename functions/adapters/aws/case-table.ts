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

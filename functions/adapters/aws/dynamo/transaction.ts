/**
 * A `Change` (ports/case-store.ts) as the items of one TransactWriteItems call: every case, group and cluster put
 * conditioned on its version (or on not existing yet), and the report counters as ADD updates. Each write keeps the
 * id a failed condition is reported under.
 */
import { createHash } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { MAX_CHANGE_WRITES, type Change } from '../../../ports/case-store.js';
import { CASE_TABLE, CLUSTER_SK, clusterPk, clustersOfRegion, GROUP_SK, groupPk } from '../case-table.js';
import { counterUpdate } from './counters.js';
import { auditItem } from './audit.js';
import { caseItem } from './items.js';

const { partitionKey: PK, sortKey: SK, clusterIndex: CI } = CASE_TABLE;

/** DynamoDB's limit of writes in one transaction. */
export const MAX_TRANSACTION_ITEMS = MAX_CHANGE_WRITES;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export interface TxWrite {
  id: string;
  expectedVersion: number;
  item: TransactItem;
}

const versionCondition = (
  expected: number | null,
): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } =>
  expected === null
    ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
    : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expected } };

export function transactionOf(tableName: string, change: Change): TxWrite[] {
  const tx: TxWrite[] = [];
  const put = (id: string, expected: number | null, Item: Record<string, unknown>) =>
    tx.push({ id, expectedVersion: expected ?? 0, item: { Put: { TableName: tableName, Item, ...versionCondition(expected) } } });
  for (const s of change.saves ?? []) put(s.next.caseId, s.expectedVersion, caseItem(s.next));
  for (const c of change.creates ?? []) put(c.caseId, null, caseItem(c));
  for (const { group, expectedVersion } of change.groups ?? []) put(group.groupId, expectedVersion, { ...group, [PK]: groupPk(group.groupId), [SK]: GROUP_SK });
  for (const { cluster, expectedVersion } of change.clusters ?? []) {
    put(cluster.clusterId, expectedVersion, {
      ...cluster,
      [PK]: clusterPk(cluster.clusterId),
      [SK]: CLUSTER_SK,
      [CI.partitionKey]: clustersOfRegion(cluster.regionCode),
      [CI.sortKey]: `${cluster.detectedAt}#${cluster.clusterId}`,
    });
  }
  // Counters only move together with a conditional write, so a retried change cannot count twice.
  if (tx.length === 0) {
    if (change.counters?.length || change.audit?.length) throw new Error('report counters and audit records move only with a case, group or cluster write');
    return tx;
  }
  for (const row of change.counters ?? []) tx.push({ id: `report:${row.key.month}`, expectedVersion: 0, item: { Update: counterUpdate(tableName, row) } });
  // Audit records, like counters, are written only with the change they record.
  for (const r of change.audit ?? []) tx.push({ id: `audit:${r.caseId}`, expectedVersion: 0, item: { Put: { TableName: tableName, Item: auditItem(r) } } });
  if (tx.length > MAX_TRANSACTION_ITEMS) throw new RangeError(`a change has at most ${MAX_TRANSACTION_ITEMS} writes, got ${tx.length}`);
  return tx;
}

/**
 * The transaction's client request token: it makes the SDK's own retry of a transaction that did commit answer
 * success (not a failed condition). It hashes the whole content, so two different changes (two requests, two
 * racing deliveries) never share a token — DynamoDB rejects a token reused with other content for ten minutes.
 */
export function requestToken(items: readonly TransactItem[]): string {
  return createHash('sha256').update(JSON.stringify(items)).digest('hex').slice(0, 36);
}

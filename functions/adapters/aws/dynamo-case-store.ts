/**
 * The case store on DynamoDB (one table, case-table.ts). The concerns live beside it in `dynamo/`: the item codec
 * (`items.ts`), a change as one transaction (`transaction.ts`), report counter rows (`counters.ts`), page cursors
 * (`cursor.ts`); retries follow the one policy of shared/retry.ts.
 *
 * Round trips are counted per batch, not per case: `getMany` and `getGroups` are one BatchGetItem each (plus a
 * retry for unprocessed keys), `createAll` and `commit` one write each.
 */
import { ConditionalCheckFailedException, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseRecord, CaseStatus, RetentionStage } from '../../domain/case/case.js';
import type { ClusterRecord } from '../../domain/linkage/cluster-record.js';
import type { ReportRow } from '../../domain/report/tally.js';
import type {
  AuditLog,
  AuditRecord,
  CaseScan,
  CaseStore,
  CaseSummary,
  Change,
  CreateOutcome,
  GroupItem,
  LinkageStore,
  Page,
  RetentionIndex,
} from '../../ports/case-store.js';
import { ContentionError, InvalidCursorError, ServiceUnavailableError, VersionConflictError } from '../../ports/errors.js';
import { DEFAULT_RETRY, pause, retry, type RetryPolicy } from '../../shared/retry.js';
import { auditPk, CASE_SK, CASE_TABLE, casePk, CLUSTER_SK, clusterPk, clustersOfRegion, GROUP_SK, groupPk, reportPk, retentionPk } from './case-table.js';
import { auditItem, auditOf } from './dynamo/audit.js';
import { rowOf } from './dynamo/counters.js';
import { decodeCursor, decodeScanCursor, encodeCursor, type IndexDef } from './dynamo/cursor.js';
import { caseItem, fromItem, type Item } from './dynamo/items.js';
import { MAX_TRANSACTION_ITEMS, requestToken, transactionOf } from './dynamo/transaction.js';

const { partitionKey: PK, sortKey: SK, workIndex, clusterIndex, retentionIndex } = CASE_TABLE;
/** BatchGetItem reads at most 100 keys a call. */
const MAX_BATCH_GET = 100;
/** Transaction conflicts (another writer on one of the items, often a shared counter row) are short-lived. */
const CONFLICT_RETRY: RetryPolicy = { maxAttempts: 7, baseDelayMs: 20, maxDelayMs: 1_000 };

class TransactionConflict extends Error {
  override readonly name = 'TransactionConflict';
}
const conflictsPersisted = () => new ContentionError('case store: transaction conflicts persisted');

export class DynamoCaseStore implements CaseStore, LinkageStore, CaseScan, AuditLog, RetentionIndex {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  // ---- cases ----

  async createAll(cases: CaseRecord[]): Promise<CreateOutcome[]> {
    if (cases.length > MAX_TRANSACTION_ITEMS) throw new RangeError(`at most ${MAX_TRANSACTION_ITEMS} cases per call`);
    const outcome = new Map<string, CreateOutcome>();
    let pending = cases;
    await retry(
      CONFLICT_RETRY,
      async () => {
        while (pending.length > 0) {
          const existing = await this.writeNew(pending);
          if (!existing) {
            for (const c of pending) outcome.set(c.caseId, { caseId: c.caseId, created: true, status: c.status });
            return;
          }
          for (const [caseId, status] of existing.found) outcome.set(caseId, { caseId, created: false, status });
          pending = pending.filter((c) => !existing.found.has(c.caseId));
          // Only transaction conflicts (a concurrent write to one of the items) need a pause before trying again.
          if (existing.conflict && pending.length) throw new TransactionConflict();
        }
      },
      (e) => e instanceof TransactionConflict,
      conflictsPersisted,
    );
    return cases.map((c) => outcome.get(c.caseId)!);
  }

  /**
   * One conditional put, or one transaction of conditional puts: either every new case is stored or none is.
   * Returns undefined when all were written, else which already existed (and whether a conflict got in the way).
   */
  private async writeNew(cases: CaseRecord[]): Promise<{ found: Map<string, CaseStatus>; conflict: boolean } | undefined> {
    const condition = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } };
    try {
      if (cases.length === 1) {
        await this.doc.send(
          new PutCommand({ TableName: this.tableName, Item: caseItem(cases[0]!), ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        );
      } else {
        const TransactItems = cases.map((c) => ({
          Put: { TableName: this.tableName, Item: caseItem(c), ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const },
        }));
        const token = requestToken(TransactItems);
        await this.doc.send(new TransactWriteCommand({ ClientRequestToken: token, TransactItems }));
      }
      return undefined;
    } catch (e) {
      const existing = existingFrom(e, cases);
      if (!existing) throw e;
      return existing;
    }
  }

  async get(caseId: string): Promise<CaseRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: casePk(caseId), [SK]: CASE_SK }, ConsistentRead: true }));
    return r.Item ? fromItem<CaseRecord>(r.Item) : undefined;
  }

  /** Case items only (the table also holds groups, clusters and report rows), by a filter on the sort key. */
  async scanCases(page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseRecord>> {
    const r = await this.doc.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: page.limit,
        FilterExpression: '#sk = :case',
        ExpressionAttributeNames: { '#sk': SK },
        ExpressionAttributeValues: { ':case': CASE_SK },
        ...(page.cursor ? { ExclusiveStartKey: decodeScanCursor(page.cursor) } : {}),
      }),
    );
    return { items: (r.Items ?? []).map((i) => fromItem<CaseRecord>(i)), nextCursor: r.LastEvaluatedKey ? encodeCursor(r.LastEvaluatedKey) : undefined };
  }

  async getMany(caseIds: string[]): Promise<CaseRecord[]> {
    const items = await this.batchGet([...new Set(caseIds)].map((id) => ({ [PK]: casePk(id), [SK]: CASE_SK })));
    const order = new Map(caseIds.map((id, i) => [id, i]));
    return items.map((i) => fromItem<CaseRecord>(i)).sort((a, b) => order.get(a.caseId)! - order.get(b.caseId)!);
  }

  async save(next: CaseRecord, expectedVersion: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: caseItem(next),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw new VersionConflictError(next.caseId, expectedVersion);
      throw e;
    }
  }

  async commit(change: Change): Promise<void> {
    const tx = transactionOf(this.tableName, change);
    if (tx.length === 0) return;
    const only = change.saves?.[0];
    if (tx.length === 1 && only) return this.save(only.next, only.expectedVersion);
    const token = requestToken(tx.map((t) => t.item));
    await retry(
      CONFLICT_RETRY,
      async () => {
        try {
          await this.doc.send(new TransactWriteCommand({ ClientRequestToken: token, TransactItems: tx.map((t) => t.item) }));
        } catch (e) {
          if (!(e instanceof TransactionCanceledException) || !e.CancellationReasons) throw e;
          const failed = e.CancellationReasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
          if (failed >= 0) throw new VersionConflictError(tx[failed]!.id, tx[failed]!.expectedVersion);
          if (e.CancellationReasons.some((r) => r.Code === 'TransactionConflict')) throw new TransactionConflict();
          throw e;
        }
      },
      (e) => e instanceof TransactionConflict,
      conflictsPersisted,
    );
  }

  async listByAgency(agencyId: string, status: CaseStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseSummary>> {
    const r = await this.queryIndex(workIndex, `${agencyId}#${status}`, page, true);
    return { ...r, items: r.items.map((i) => fromItem<CaseSummary>(i)) };
  }

  // ---- 府检联动 records ----

  async getGroups<T extends GroupItem>(groupIds: readonly string[]): Promise<Map<string, T>> {
    const items = await this.batchGet([...new Set(groupIds)].map((id) => ({ [PK]: groupPk(id), [SK]: GROUP_SK })));
    return new Map(items.map((i) => fromItem<T>(i)).map((g) => [g.groupId, g]));
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: clusterPk(clusterId), [SK]: CLUSTER_SK }, ConsistentRead: true }));
    return r.Item ? clusterOf(r.Item) : undefined;
  }

  async listClusters(regionCode: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ClusterRecord>> {
    const r = await this.queryIndex(clusterIndex, clustersOfRegion(regionCode), page, false);
    return { ...r, items: r.items.map(clusterOf) };
  }

  async reportRows(month: string, regionCode: string): Promise<ReportRow[]> {
    const rows: ReportRow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r: { Items?: Item[]; LastEvaluatedKey?: Record<string, unknown> } = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': reportPk(month, regionCode) },
          ExclusiveStartKey: start,
        }),
      );
      rows.push(...(r.Items ?? []).map(rowOf));
      start = r.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  // ---- personal data over time: the audit trail, the retention job's work list ----

  async record(r: AuditRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: auditItem(r) }));
  }

  async auditOfDay(regionCode: string, day: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<AuditRecord>> {
    const pk = auditPk(regionCode, day);
    const start = page.cursor ? decodeScanCursor(page.cursor) : undefined;
    if (start && start[PK] !== pk) throw new InvalidCursorError('cursor is not valid for this list');
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': pk },
        Limit: page.limit,
        ExclusiveStartKey: start,
      }),
    );
    const out: Page<AuditRecord> = { items: (r.Items ?? []).map(auditOf) };
    if (r.LastEvaluatedKey) out.nextCursor = encodeCursor(r.LastEvaluatedKey);
    return out;
  }

  async dueForRetention(stage: RetentionStage, closedBefore: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<string>> {
    const indexPk = retentionPk(stage);
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: retentionIndex.name,
        KeyConditionExpression: '#g = :g AND #s < :before',
        ExpressionAttributeNames: { '#g': retentionIndex.partitionKey, '#s': retentionIndex.sortKey },
        // `~` sorts after `#`: a case closed exactly at the cutoff is due too.
        ExpressionAttributeValues: { ':g': indexPk, ':before': `${closedBefore}~` },
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, retentionIndex, indexPk) : undefined,
      }),
    );
    // The sort key is `<closedAt>#<caseId>`; the item key `CASE#<caseId>`.
    const out: Page<string> = { items: (r.Items ?? []).map((i) => String(i[PK]).slice(casePk('').length)) };
    if (r.LastEvaluatedKey) out.nextCursor = encodeCursor(r.LastEvaluatedKey);
    return out;
  }

  // ---- shared reads ----

  /** Consistent BatchGetItem in chunks of 100, retrying unprocessed keys with backoff. */
  private async batchGet(keys: Record<string, unknown>[]): Promise<Item[]> {
    const out: Item[] = [];
    for (let i = 0; i < keys.length; i += MAX_BATCH_GET) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + MAX_BATCH_GET);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) {
          if (attempt >= this.retryPolicy.maxAttempts) throw new ServiceUnavailableError('case store: batch get kept leaving keys unprocessed');
          await pause(this.retryPolicy, attempt);
        }
        const r: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        out.push(...(r.Responses?.[this.tableName] ?? []));
        pending = r.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return out;
  }

  /** One page of an index under one partition key, with a cursor bound to that key. */
  private async queryIndex(index: IndexDef, indexPk: string, page: { limit: number; cursor?: string | undefined }, forward: boolean): Promise<Page<Item>> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#g = :g',
        ExpressionAttributeNames: { '#g': index.partitionKey },
        ExpressionAttributeValues: { ':g': indexPk },
        ScanIndexForward: forward,
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, index, indexPk) : undefined,
      }),
    );
    const out: Page<Item> = { items: r.Items ?? [] };
    if (r.LastEvaluatedKey) out.nextCursor = encodeCursor(r.LastEvaluatedKey);
    return out;
  }
}

function clusterOf(item: Item): ClusterRecord {
  const { [clusterIndex.partitionKey]: _p, [clusterIndex.sortKey]: _s, ...rest } = item;
  return fromItem<ClusterRecord>(rest);
}

/** Which items already existed, read from a failed conditional write; undefined if the failure was something else. */
function existingFrom(e: unknown, pending: CaseRecord[]): { found: Map<string, CaseStatus>; conflict: boolean } | undefined {
  const found = new Map<string, CaseStatus>();
  if (e instanceof ConditionalCheckFailedException && pending.length === 1) {
    const old = e.Item ? (unmarshall(e.Item) as CaseRecord) : undefined;
    found.set(pending[0]!.caseId, old?.status ?? 'received');
    return { found, conflict: false };
  }
  if (e instanceof TransactionCanceledException && e.CancellationReasons) {
    let conflict = false;
    for (const [i, r] of e.CancellationReasons.entries()) {
      if (r.Code === 'ConditionalCheckFailed') {
        const old = r.Item ? (unmarshall(r.Item) as CaseRecord) : undefined;
        found.set(pending[i]!.caseId, old?.status ?? 'received');
      } else if (r.Code === 'TransactionConflict') conflict = true;
      else if (r.Code && r.Code !== 'None') return undefined;
    }
    return { found, conflict: conflict || found.size === 0 };
  }
  return undefined;
}

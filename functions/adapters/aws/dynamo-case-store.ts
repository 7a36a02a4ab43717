import { ConditionalCheckFailedException, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createHash } from 'node:crypto';
import type { CaseRecord, CaseStatus } from '../../domain/case/case.js';
import type { ClusterRecord } from '../../domain/linkage/cluster-record.js';
import { METRICS, type Counts, type ReportRow } from '../../domain/report/tally.js';
import type { CaseStore, Change, CreateOutcome, GroupItem, LinkageStore, Page } from '../../ports/case-store.js';
import { InvalidCursorError, ServiceUnavailableError, UnsealedContactError, VersionConflictError } from '../../ports/errors.js';
import {
  CASE_SK,
  CASE_TABLE,
  casePk,
  CLUSTER_SK,
  clusterPk,
  clustersOfRegion,
  GROUP_SK,
  groupPk,
  reportPk,
  reportSk,
} from './case-table.js';

const { partitionKey: PK, sortKey: SK, agencyIndex: GSI } = CASE_TABLE;
const MAX_TRANSACTION_ITEMS = 100;
const MAX_CONFLICT_RETRIES = 6;

type Item = CaseRecord & Record<string, unknown>;

function toItem(c: CaseRecord): Item {
  // Personal data is stored only sealed (ContactCipher); a plaintext contact here is a wiring bug.
  if (c.contact) throw new UnsealedContactError(`case ${c.caseId}: seal the contact before storing the case`);
  const item: Item = { ...c, [PK]: casePk(c.caseId), [SK]: CASE_SK };
  if (c.agencyId && c.status !== 'received') {
    item[GSI.partitionKey] = `${c.agencyId}#${c.status}`;
    item[GSI.sortKey] = `${c.dueAt ?? '9999-12-31T23:59:59+08:00'}#${c.caseId}`;
  }
  return item;
}

function fromItem(item: Record<string, unknown>): CaseRecord {
  const { [PK]: _pk, [SK]: _sk, [GSI.partitionKey]: _g1, [GSI.sortKey]: _g2, ...rest } = item;
  return rest as unknown as CaseRecord;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One write of a transaction, with the id a failed condition is reported under. */
type TxItem = { id: string; expectedVersion: number; item: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number] };

const versionCondition = (
  expected: number | null,
): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } =>
  expected === null
    ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
    : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expected } };

export class DynamoCaseStore implements CaseStore, LinkageStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async createAll(cases: CaseRecord[]): Promise<CreateOutcome[]> {
    if (cases.length > MAX_TRANSACTION_ITEMS) throw new RangeError(`at most ${MAX_TRANSACTION_ITEMS} cases per call`);
    const outcome = new Map<string, CreateOutcome>();
    let pending = cases;
    for (let attempt = 0; pending.length > 0; attempt++) {
      try {
        await this.writeNew(pending);
        for (const c of pending) outcome.set(c.caseId, { caseId: c.caseId, created: true, status: c.status });
        pending = [];
      } catch (e) {
        const existing = this.existingFrom(e, pending);
        if (!existing) throw e;
        for (const [caseId, status] of existing.found) outcome.set(caseId, { caseId, created: false, status });
        pending = pending.filter((c) => !existing.found.has(c.caseId));
        // Only transaction conflicts (a concurrent write to one of the items) need a pause before trying again.
        if (existing.conflict) {
          if (attempt >= MAX_CONFLICT_RETRIES) throw new ServiceUnavailableError('case store: transaction conflicts persisted');
          await sleep(20 * 2 ** attempt + Math.random() * 20);
        }
      }
    }
    return cases.map((c) => outcome.get(c.caseId)!);
  }

  /** One conditional put, or one transaction of conditional puts: either every new case is stored or none is. */
  private async writeNew(cases: CaseRecord[]): Promise<void> {
    const condition = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } };
    if (cases.length === 1) {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: toItem(cases[0]!), ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      );
      return;
    }
    await this.doc.send(
      new TransactWriteCommand({
        // Makes the SDK's own retry of a transaction that did commit answer success instead of "already exists".
        ClientRequestToken: createHash('sha256').update(cases.map((c) => c.caseId).join(',')).digest('hex').slice(0, 36),
        TransactItems: cases.map((c) => ({
          Put: { TableName: this.tableName, Item: toItem(c), ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        })),
      }),
    );
  }

  /** Reads which items already existed out of a failed conditional write; undefined if the failure was something else. */
  private existingFrom(e: unknown, pending: CaseRecord[]): { found: Map<string, CaseStatus>; conflict: boolean } | undefined {
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

  async get(caseId: string): Promise<CaseRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: casePk(caseId), [SK]: CASE_SK }, ConsistentRead: true }));
    return r.Item ? fromItem(r.Item) : undefined;
  }

  async save(next: CaseRecord, expectedVersion: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(next),
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
    const tx: TxItem[] = [];
    const put = (id: string, expected: number | null, Item: Record<string, unknown>) =>
      tx.push({ id, expectedVersion: expected ?? 0, item: { Put: { TableName: this.tableName, Item, ...versionCondition(expected) } } });
    if (change.save) put(change.save.next.caseId, change.save.expectedVersion, toItem(change.save.next));
    for (const c of change.creates ?? []) put(c.caseId, null, toItem(c));
    for (const { group, expectedVersion } of change.groups ?? []) put(group.groupId, expectedVersion, { ...group, [PK]: groupPk(group.groupId), [SK]: GROUP_SK });
    for (const { cluster, expectedVersion } of change.clusters ?? []) {
      put(cluster.clusterId, expectedVersion, {
        ...cluster,
        [PK]: clusterPk(cluster.clusterId),
        [SK]: CLUSTER_SK,
        [GSI.partitionKey]: clustersOfRegion(cluster.regionCode),
        [GSI.sortKey]: `${cluster.detectedAt}#${cluster.clusterId}`,
      });
    }
    // Counters only move together with a conditional write, so a retried change cannot count twice.
    if (tx.length === 0) {
      if (change.counters?.length) throw new Error('report counters move only with a case, group or cluster write');
      return;
    }
    for (const row of change.counters ?? []) tx.push({ id: `report:${row.key.month}`, expectedVersion: 0, item: { Update: this.counterUpdate(row) } });
    if (tx.length > MAX_TRANSACTION_ITEMS) throw new RangeError(`a change has at most ${MAX_TRANSACTION_ITEMS} writes`);

    if (tx.length === 1 && change.save) return this.save(change.save.next, change.save.expectedVersion);
    // The token makes the SDK's own retry of a transaction that did commit answer success (not a failed condition).
    // It covers the whole content: two different changes racing from one version must not share a token.
    const token = createHash('sha256')
      .update(JSON.stringify(tx.map((t) => t.item)))
      .digest('hex')
      .slice(0, 36);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ ClientRequestToken: token, TransactItems: tx.map((t) => t.item) }));
        return;
      } catch (e) {
        if (!(e instanceof TransactionCanceledException) || !e.CancellationReasons) throw e;
        const failed = e.CancellationReasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
        if (failed >= 0) throw new VersionConflictError(tx[failed]!.id, tx[failed]!.expectedVersion);
        if (!e.CancellationReasons.some((r) => r.Code === 'TransactionConflict')) throw e;
        // Another transaction touched one of the items (often a shared counter row): try again shortly.
        if (attempt >= MAX_CONFLICT_RETRIES) throw new ServiceUnavailableError('case store: transaction conflicts persisted');
        await sleep(20 * 2 ** attempt + Math.random() * 20);
      }
    }
  }

  private counterUpdate(row: ReportRow) {
    const names: Record<string, string> = { '#month': 'month', '#region': 'regionCode', '#agency': 'agencyId', '#domain': 'domain' };
    const values: Record<string, unknown> = { ':month': row.key.month, ':region': row.key.regionCode, ':agency': row.key.agencyId, ':domain': row.key.domain };
    const adds: string[] = [];
    for (const [i, [metric, n]] of Object.entries(row.counts).entries()) {
      names[`#m${i}`] = metric;
      values[`:m${i}`] = n;
      adds.push(`#m${i} :m${i}`);
    }
    return {
      TableName: this.tableName,
      Key: { [PK]: reportPk(row.key.month, row.key.regionCode), [SK]: reportSk(row.key.agencyId, row.key.domain) },
      UpdateExpression: `SET #month = :month, #region = :region, #agency = :agency, #domain = :domain ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  async getMany(caseIds: string[]): Promise<CaseRecord[]> {
    const out: CaseRecord[] = [];
    for (let i = 0; i < caseIds.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = caseIds.slice(i, i + 100).map((id) => ({ [PK]: casePk(id), [SK]: CASE_SK }));
      for (let attempt = 0; keys?.length; attempt++) {
        const r: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } =
          await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        out.push(...(r.Responses?.[this.tableName] ?? []).map(fromItem));
        keys = r.UnprocessedKeys?.[this.tableName]?.Keys;
        if (keys?.length) {
          if (attempt >= MAX_CONFLICT_RETRIES) throw new ServiceUnavailableError('case store: batch get kept leaving keys unprocessed');
          await sleep(20 * 2 ** attempt);
        }
      }
    }
    const order = new Map(caseIds.map((id, i) => [id, i]));
    return out.sort((a, b) => order.get(a.caseId)! - order.get(b.caseId)!);
  }

  async getGroup<T extends GroupItem>(groupId: string): Promise<T | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: groupPk(groupId), [SK]: GROUP_SK }, ConsistentRead: true }));
    if (!r.Item) return undefined;
    const { [PK]: _pk, [SK]: _sk, ...rest } = r.Item;
    return rest as T;
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: clusterPk(clusterId), [SK]: CLUSTER_SK }, ConsistentRead: true }));
    return r.Item ? (fromItem(r.Item) as unknown as ClusterRecord) : undefined;
  }

  async listClusters(regionCode: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ClusterRecord>> {
    const r = await this.queryIndex(clustersOfRegion(regionCode), page, false);
    return { ...r, items: r.items as unknown as ClusterRecord[] };
  }

  /** One page of the index `byAgencyStatus` under one partition key, with a cursor bound to that key. */
  private async queryIndex(gsi1pk: string, page: { limit: number; cursor?: string | undefined }, forward = true): Promise<Page<CaseRecord>> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI.name,
        KeyConditionExpression: '#g = :g',
        ExpressionAttributeNames: { '#g': GSI.partitionKey },
        ExpressionAttributeValues: { ':g': gsi1pk },
        ScanIndexForward: forward,
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, gsi1pk) : undefined,
      }),
    );
    const out: Page<CaseRecord> = { items: (r.Items ?? []).map(fromItem) };
    if (r.LastEvaluatedKey) out.nextCursor = Buffer.from(JSON.stringify(r.LastEvaluatedKey)).toString('base64url');
    return out;
  }

  async reportRows(month: string, regionCode: string): Promise<ReportRow[]> {
    const rows: ReportRow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> } = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': reportPk(month, regionCode) },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of (r.Items ?? []) as Record<string, unknown>[]) {
        const counts: Counts = {};
        for (const m of METRICS) if (typeof i[m] === 'number' && i[m] !== 0) counts[m] = i[m] as number;
        rows.push({ key: { month: String(i['month']), regionCode: String(i['regionCode']), agencyId: String(i['agencyId']), domain: String(i['domain']) }, counts });
      }
      start = r.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  async listByAgency(agencyId: string, status: CaseStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseRecord>> {
    return this.queryIndex(`${agencyId}#${status}`, page);
  }

}

/** A cursor is only valid for the queue it came from: a cursor from another agency's queue cannot be replayed here. */
function decodeCursor(cursor: string, gsi1pk: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const keys = Object.keys(key).sort().join(',');
    if (keys === [PK, SK, GSI.partitionKey, GSI.sortKey].sort().join(',') && key[GSI.partitionKey] === gsi1pk) return key;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not valid for this list');
}

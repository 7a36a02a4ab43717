import { ConditionalCheckFailedException, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createHash } from 'node:crypto';
import type { CaseRecord, CaseStatus } from '../../domain/case/case.js';
import type { CaseStore, CreateOutcome, Page } from '../../ports/case-store.js';
import { ServiceUnavailableError, VersionConflictError } from '../../ports/errors.js';
import { CASE_SK, CASE_TABLE, casePk } from './case-table.js';

const { partitionKey: PK, sortKey: SK, agencyIndex: GSI } = CASE_TABLE;
const MAX_TRANSACTION_ITEMS = 100;
const MAX_CONFLICT_RETRIES = 6;

type Item = CaseRecord & Record<string, unknown>;

export class UnsealedContactError extends Error {
  override readonly name = 'UnsealedContactError';
}

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

export class DynamoCaseStore implements CaseStore {
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

  async listByAgency(agencyId: string, status: CaseStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseRecord>> {
    const gsi1pk = `${agencyId}#${status}`;
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI.name,
        KeyConditionExpression: '#g = :g',
        ExpressionAttributeNames: { '#g': GSI.partitionKey },
        ExpressionAttributeValues: { ':g': gsi1pk },
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, gsi1pk) : undefined,
      }),
    );
    const out: Page<CaseRecord> = { items: (r.Items ?? []).map(fromItem) };
    if (r.LastEvaluatedKey) out.nextCursor = Buffer.from(JSON.stringify(r.LastEvaluatedKey)).toString('base64url');
    return out;
  }
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
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

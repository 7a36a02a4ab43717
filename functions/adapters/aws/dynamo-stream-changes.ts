/**
 * The AWS side of the change feed (ports/change-feed.ts): a DynamoDB stream record of the case table (the Lambda
 * event source mapping delivers them; local mode builds the same records from DynamoDB Local's stream) → a
 * `CaseChange` of a case record. Records of the table's other items (groups, clusters, report counters) are not
 * case changes: the event source mapping filters them out (`CASE_RECORD_FILTER`), and they are skipped here too.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CaseRecord } from '../../domain/case/case.js';
import type { CaseChange } from '../../ports/change-feed.js';
import { CASE_SK, CASE_TABLE, casePk } from './case-table.js';
import { fromItem } from './dynamo/items.js';

const CASE_PREFIX = casePk('');
const KIND = { INSERT: 'insert', MODIFY: 'modify', REMOVE: 'remove' } as const;

/** The event source mapping's filter (Lambda filter-pattern syntax): case records only. */
export const CASE_RECORD_FILTER = {
  dynamodb: { Keys: { [CASE_TABLE.partitionKey]: { S: [{ prefix: CASE_PREFIX }] }, [CASE_TABLE.sortKey]: { S: [CASE_SK] } } },
} as const;

const image = (img: Record<string, unknown> | undefined): CaseRecord | undefined =>
  img ? fromItem<CaseRecord>(unmarshall(img as Record<string, AttributeValue>)) : undefined;

/** Is this stream record a change of a case record? */
export function isCaseRecord(r: DynamoDBRecord): boolean {
  const keys = r.dynamodb?.Keys;
  return !!keys?.[CASE_TABLE.partitionKey]?.S?.startsWith(CASE_PREFIX) && keys[CASE_TABLE.sortKey]?.S === CASE_SK;
}

/** The case changes of a batch of stream records, in stream order. */
export function caseChangesOf(records: readonly DynamoDBRecord[]): CaseChange[] {
  const out: CaseChange[] = [];
  for (const r of records) {
    if (!isCaseRecord(r) || !r.eventName || !r.dynamodb?.SequenceNumber) continue;
    const change: CaseChange = { id: r.dynamodb.SequenceNumber, kind: KIND[r.eventName] };
    const old = image(r.dynamodb.OldImage);
    const next = image(r.dynamodb.NewImage);
    if (old) change.old = old;
    if (next) change.new = next;
    out.push(change);
  }
  return out;
}

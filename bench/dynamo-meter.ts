/**
 * Counts the DynamoDB calls (seen at the client's `initialize` step, where the document client's input is still plain) a run makes on one table, by operation, and estimates the write units they cost in
 * AWS terms. The estimate follows DynamoDB's pricing rules on the items as sent: a write costs one unit per
 * started KB of the item, a transactional write twice that, an UpdateItem at least one unit (its item's final
 * size is not known here, so the counter rows — the only updates on the hot path — are counted at one unit),
 * and each index the written item has keys for costs a write of its projected size (twice when an update moves
 * the item in the index: counted as one here, so this is a lower bound for status changes). Item size is taken
 * as the byte length of the item's JSON, which slightly overstates DynamoDB's own measure.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CASE_TABLE, QUEUE_ATTRIBUTES } from '../functions/adapters/aws/case-table.js';

type AttrMap = Record<string, unknown>;

/**
 * The requests on the table's items that AWS bills. Not counted: table administration (DescribeTable, which local
 * mode's change feed makes once to find the stream) and the stream reads (DescribeStream, GetShardIterator,
 * GetRecords): in AWS the relay's event source mapping polls the stream for free, and those calls go to the Streams
 * endpoint through their own client, never through this one.
 */
const TABLE_DATA_OPERATIONS = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
]);

const kb = (o: unknown) => Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(o)) / 1024));

function indexUnits(item: AttrMap): number {
  let units = 0;
  if (item[CASE_TABLE.workIndex.partitionKey] !== undefined) {
    const projected: AttrMap = {};
    for (const k of [CASE_TABLE.partitionKey, CASE_TABLE.sortKey, CASE_TABLE.workIndex.partitionKey, CASE_TABLE.workIndex.sortKey, ...QUEUE_ATTRIBUTES]) {
      if (item[k] !== undefined) projected[k] = item[k];
    }
    units += kb(projected);
  }
  if (item[CASE_TABLE.clusterIndex.partitionKey] !== undefined) units += kb(item);
  return units;
}

export interface DynamoMeter {
  calls: Record<string, number>;
  /** Items written inside TransactWriteItems calls. */
  transactItems: number;
  totalCalls(): number;
  writeUnits: number;
  readUnits: number;
  reset(): void;
}

export function meterDynamo(client: DynamoDBClient, tableName: string): DynamoMeter {
  const m: DynamoMeter = {
    calls: {},
    transactItems: 0,
    writeUnits: 0,
    readUnits: 0,
    totalCalls: () => Object.values(m.calls).reduce((a, b) => a + b, 0),
    reset: () => {
      m.calls = {};
      m.transactItems = 0;
      m.writeUnits = 0;
      m.readUnits = 0;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as AttrMap;
      const op = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const touches =
        TABLE_DATA_OPERATIONS.has(op) &&
        (input['TableName'] === tableName ||
          (typeof input['RequestItems'] === 'object' && input['RequestItems'] !== null && tableName in (input['RequestItems'] as AttrMap)) ||
          (Array.isArray(input['TransactItems']) && JSON.stringify(input['TransactItems']).includes(`"TableName":"${tableName}"`)));
      if (touches) {
        m.calls[op] = (m.calls[op] ?? 0) + 1;
        if (op === 'PutItem') {
          const item = input['Item'] as AttrMap;
          m.writeUnits += kb(item) + indexUnits(item);
        } else if (op === 'TransactWriteItems') {
          m.transactItems += (input['TransactItems'] as AttrMap[]).length;
          for (const t of input['TransactItems'] as AttrMap[]) {
            const put = t['Put'] as AttrMap | undefined;
            if (put) {
              const item = put['Item'] as AttrMap;
              m.writeUnits += 2 * kb(item) + indexUnits(item);
            } else m.writeUnits += 2;
          }
        }
      }
      const out = await next(args);
      if (touches && (op === 'BatchGetItem' || op === 'GetItem')) {
        const o = out.output as unknown as AttrMap;
        const items = op === 'GetItem' ? (o['Item'] ? [o['Item']] : []) : (((o['Responses'] as AttrMap | undefined)?.[tableName] as unknown[]) ?? []);
        // Strongly consistent reads: one unit per started 4 KB of each item.
        for (const it of items) m.readUnits += Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(it)) / 4096));
      }
      return out;
    },
    { step: 'initialize', name: `benchDynamoMeter-${tableName}` },
  );
  return m;
}

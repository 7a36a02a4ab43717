/** Opaque page cursors of the table's indexes: a cursor is only valid for the list (index partition) it came from. */
import { InvalidCursorError } from '../../../ports/errors.js';
import { STORE_LIMITS } from '../../../domain/store-limits.js';
import { CASE_TABLE } from '../case-table.js';

export type IndexDef = { name: string; partitionKey: string; sortKey: string };

export const encodeCursor = (lastEvaluatedKey: Record<string, unknown>): string => Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url');

/** A cursor from another agency's queue or another region's list cannot be replayed here. */
export function decodeCursor(cursor: string, index: IndexDef, indexPk: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const expected = [CASE_TABLE.partitionKey, CASE_TABLE.sortKey, index.partitionKey, index.sortKey].sort().join(',');
    // Every key of the table and its indexes is a string; a cursor made up with a number, an object or an over-long
    // string would reach DynamoDB as a ValidationException (a 500) instead of being refused here.
    const fits = Object.values(key).every((v) => typeof v === 'string' && v.length > 0 && Buffer.byteLength(v) <= STORE_LIMITS.sortKeyBytes);
    if (Object.keys(key).sort().join(',') === expected && key[index.partitionKey] === indexPk && fits) return key;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not valid for this list');
}

/** A table-scan cursor (the training export): the table's own key, two non-empty strings. */
export function decodeScanCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const expected = [CASE_TABLE.partitionKey, CASE_TABLE.sortKey].sort().join(',');
    const fits = Object.values(key).every((v) => typeof v === 'string' && v.length > 0 && Buffer.byteLength(v) <= STORE_LIMITS.sortKeyBytes);
    if (Object.keys(key).sort().join(',') === expected && fits) return key;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not valid for this scan');
}

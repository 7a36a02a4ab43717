/** Audit records as items of the case table (case-table.ts `auditPk`): keyed by region and Shanghai day, expiring by TTL. */
import { randomUUID } from 'node:crypto';
import { shanghaiDateOf } from '../../../domain/deadlines/time.js';
import type { AuditRecord } from '../../../ports/case-store.js';
import { auditPk, CASE_TABLE } from '../case-table.js';
import type { Item } from './items.js';

const { partitionKey: PK, sortKey: SK, expiresAt: TTL } = CASE_TABLE;

/** The item of a record. An action's key is fixed by its case version (a retried transaction writes the same item). */
export function auditItem(r: AuditRecord): Item {
  const at = new Date(r.at).toISOString();
  const item: Item = { ...r, at, [PK]: auditPk(r.regionCode, shanghaiDateOf(at)), [SK]: `${at}#${r.caseId}#${r.action}#${r.version ?? randomUUID()}` };
  if (r.expiresAt !== undefined) item[TTL] = r.expiresAt;
  return item;
}

export function auditOf(item: Item): AuditRecord {
  const { [PK]: _pk, [SK]: _sk, ...rest } = item;
  return rest as unknown as AuditRecord;
}

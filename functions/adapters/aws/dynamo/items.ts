/** How case records map to DynamoDB items of the case table (case-table.ts): keys and index keys added, stripped. */
import type { CaseRecord } from '../../../domain/case/case.js';
import { closedAt, retentionStage } from '../../../domain/privacy/retention.js';
import { UnsealedContactError } from '../../../ports/errors.js';
import { CASE_SK, CASE_TABLE, casePk, retentionPk } from '../case-table.js';

const { partitionKey: PK, sortKey: SK, workIndex: IDX, retentionIndex: RI } = CASE_TABLE;

export type Item = Record<string, unknown>;

/** A due time later than any real one, so cases without a deadline sort last in a work list. */
const NO_DUE = '9999-12-31T23:59:59+08:00';

export function caseItem(c: CaseRecord): Item {
  // Personal data is stored only sealed (ContactCipher); a plaintext contact here is a wiring bug.
  if (c.contact) throw new UnsealedContactError(`case ${c.caseId}: seal the contact before storing the case`);
  const item: Item = { ...c, [PK]: casePk(c.caseId), [SK]: CASE_SK };
  if (c.agencyId && c.status !== 'received') {
    item[IDX.partitionKey] = `${c.agencyId}#${c.status}`;
    item[IDX.sortKey] = `${c.dueAt ?? NO_DUE}#${c.caseId}`;
  }
  // The retention job's work list: a closed case with an erasure ahead, by its close time (case-table.ts).
  const stage = retentionStage(c);
  if (stage) {
    item[RI.partitionKey] = retentionPk(stage);
    item[RI.sortKey] = `${new Date(closedAt(c)!).toISOString()}#${c.caseId}`;
  }
  return item;
}

/** The record without its key attributes. */
export function fromItem<T>(item: Item): T {
  const { [PK]: _pk, [SK]: _sk, [IDX.partitionKey]: _g1, [IDX.sortKey]: _g2, [RI.partitionKey]: _r1, [RI.sortKey]: _r2, ...rest } = item;
  return rest as T;
}

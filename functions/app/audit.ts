/**
 * The audit trail (PIPL 个人信息保护法 §51, §54): who — the person (`sub`), with role and agency — acted on a case or
 * opened its contact, and when. Each record lives beside the cases (ports/case-store.ts `AuditLog`), by region and
 * day, so an operator exports a region's days with one Query each, never a scan of the cases.
 *
 * - An **action** (agency API) writes its record in the same transaction as the case version it produced: no action
 *   without its record, no record of an action that did not happen. The history entry also names the person
 *   (`actorSub`).
 * - A **contact decryption** writes its record before the contact is decrypted: when the record cannot be written the
 *   read fails (503) and nothing is shown. A record, not a case version: a read that saved the case would bump its
 *   version (a lost race for a concurrent action), wake the relay, and cost a case-sized write; the record is a small
 *   unconditional put.
 * - The **retention job** records what it erased (`retention:contact`, `retention:text`) with its change.
 *
 * Records carry no personal data of the caller or the petitioner: case id, region, action, version, role, agency, sub.
 */
import { plusDays, shanghaiDateOf } from '../domain/deadlines/time.js';
import type { Contact } from '../domain/privacy/mask.js';
import { csvDocument } from '../domain/report/csv.js';
import { owns, type Principal } from '../auth/principal.js';
import type { AuditLog, AuditRecord } from '../ports/case-store.js';
import type { ContactCipher } from '../ports/contact-cipher.js';
import type { AgencyDirectory } from '../domain/directory/directory.js';
import { ForbiddenError } from './errors.js';

/** The `action` of a contact decryption's record. */
export const OPEN_CONTACT = 'open-contact';
/** A token without a subject cannot act (auth/principal.ts); a principal built in code without one is named so. */
const NO_SUB = '(none)';
const DAY_S = 86_400;

/** How long records are kept (the retention policy's `auditRecordDays`); none = no expiry. */
export interface AuditKeep {
  auditRecordDays?: number | undefined;
}

export function auditRecord(
  who: { role: string; agencyId: string | null; sub?: string | undefined },
  c: { caseId: string; regionCode: string },
  action: string,
  at: string,
  keep: AuditKeep = {},
  version?: number,
): AuditRecord {
  const r: AuditRecord = { at, regionCode: c.regionCode, caseId: c.caseId, action, role: who.role, agencyId: who.agencyId, sub: who.sub ?? NO_SUB };
  if (version !== undefined) r.version = version;
  if (keep.auditRecordDays) r.expiresAt = Math.floor(Date.parse(at) / 1000) + keep.auditRecordDays * DAY_S;
  return r;
}

/**
 * The case's contact, opened for its owning agency only, after recording who opened it; undefined for anyone else
 * (they see the masked form) or when the case holds no sealed contact (never had one, or the retention job erased it).
 */
export async function openContactAudited(
  deps: { audit: Pick<AuditLog, 'record'>; contacts: ContactCipher; now: () => Date; keep?: AuditKeep },
  p: Principal,
  c: { caseId: string; regionCode: string; agencyId?: string | undefined; contactSealed?: string | undefined },
): Promise<Contact | undefined> {
  if (!owns(p, c.agencyId) || !c.contactSealed) return undefined;
  await deps.audit.record(auditRecord(p, c, OPEN_CONTACT, deps.now().toISOString(), deps.keep));
  return deps.contacts.open(c.contactSealed, c.caseId);
}

/** The longest export: one Query per region and day. */
export const MAX_AUDIT_DAYS = 31;
/** The most records one export answers (a Lambda response is at most 6 MB; a CSV line is about 150 bytes). */
export const MAX_AUDIT_RECORDS = 20_000;

export class AuditExportTooLargeError extends Error {
  override readonly name = 'AuditExportTooLargeError';
}

/**
 * An operator's export of the audit trail: the records of `from`..`to` (Shanghai days, inclusive) of one region or of
 * every region the operator's agency covers (403 for a region outside it, as for the joint report), oldest first.
 */
export async function exportAudit(
  deps: { audit: Pick<AuditLog, 'auditOfDay'>; rules: { directory: AgencyDirectory } },
  p: Principal,
  q: { from: string; to: string; region?: string | undefined },
): Promise<AuditRecord[]> {
  if (p.role !== 'operator') throw new ForbiddenError('operators only');
  const j = deps.rules.directory;
  if (q.region !== undefined && !j.covers(p.agencyId, q.region)) throw new ForbiddenError(`region ${q.region} is outside the jurisdiction of ${p.agencyId}`);
  const regions = q.region !== undefined ? [q.region] : j.regionsOf(p.agencyId).map((r) => r.code);
  const days: string[] = [];
  for (let d = q.from; d <= q.to; d = plusDays(d, 1)) days.push(d);
  const out: AuditRecord[] = [];
  for (const day of days) {
    const ofDay = await Promise.all(regions.map((region) => allOfDay(deps.audit, region, day)));
    out.push(...ofDay.flat().sort((a, b) => a.at.localeCompare(b.at) || a.caseId.localeCompare(b.caseId)));
    if (out.length > MAX_AUDIT_RECORDS) throw new AuditExportTooLargeError(`more than ${MAX_AUDIT_RECORDS} records: ask for fewer days or one region`);
  }
  return out;
}

async function allOfDay(audit: Pick<AuditLog, 'auditOfDay'>, region: string, day: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await audit.auditOfDay(region, day, { limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
    if (out.length > MAX_AUDIT_RECORDS) break;
  } while (cursor);
  return out;
}

/** The export as CSV (the report's CSV rules: BOM, CRLF, quoting, no formulas). Times in UTC and Shanghai days. */
export function auditCsv(records: readonly AuditRecord[]): string {
  return csvDocument(
    ['时间 at', '日期 day', '区划 regionCode', '案件 caseId', '操作 action', '版本 version', '角色 role', '单位 agencyId', '人员 sub'],
    records.map((r) => [r.at, shanghaiDateOf(r.at), r.regionCode, r.caseId, r.action, r.version, r.role, r.agencyId, r.sub]),
  );
}

/**
 * A CaseStore and LinkageStore in memory with DynamoDB's semantics as far as the use cases can see them: version
 * conditions, all-or-nothing changes, copies in and out, the work index's projection and order, pages with cursors
 * bound to their list. test/adapters/case-store.contract.ts runs the same suite against it and the DynamoDB store.
 */
import { QUEUE_ATTRIBUTES } from '../../functions/adapters/aws/case-table.js';
import { InvalidCursorError } from '../../functions/ports/errors.js';
import type { CaseRecord, CaseStatus } from '../../functions/domain/case/case.js';
import type { ClusterRecord } from '../../functions/domain/linkage/cluster-record.js';
import { rowId, sumRows, type ReportRow } from '../../functions/domain/report/tally.js';
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
} from '../../functions/ports/case-store.js';
import { MAX_CHANGE_WRITES } from '../../functions/ports/case-store.js';
import { VersionConflictError } from '../../functions/ports/errors.js';
import type { CaseChange } from '../../functions/ports/change-feed.js';

/** A page of `sorted` after the item whose sort key is in `cursor`, which must belong to `list`. */
function pageOf<T>(sorted: T[], sortKey: (t: T) => string, list: string, page: { limit: number; cursor?: string | undefined }): Page<T> {
  let start = 0;
  if (page.cursor) {
    let c: { list?: string; after?: string } | undefined;
    try {
      c = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) as { list?: string; after?: string };
    } catch {
      c = undefined;
    }
    if (!c || c.list !== list || typeof c.after !== 'string') throw new InvalidCursorError('cursor is not valid for this list');
    start = sorted.findIndex((t) => sortKey(t) > c!.after!);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + page.limit);
  const out: Page<T> = { items };
  if (start + page.limit < sorted.length) out.nextCursor = Buffer.from(JSON.stringify({ list, after: sortKey(items.at(-1)!) })).toString('base64url');
  return out;
}

export class MemoryCaseStore implements CaseStore, LinkageStore, CaseScan, AuditLog {
  readonly cases = new Map<string, CaseRecord>();
  /** Audit records written by `commit` and `record`, in order. */
  readonly audit: AuditRecord[] = [];
  /** Monthly-report counters moved by `commit`, by row id. */
  readonly counters = new Map<string, ReportRow>();
  readonly groups = new Map<string, GroupItem>();
  readonly clusters = new Map<string, ClusterRecord>();
  /**
   * The store's change feed in memory (DynamoDB Streams in AWS): every saved case version, old and new image, handed
   * to this hook right after the write (test/support/memory-relay.ts wires the outbox relay to it).
   */
  onChange: ((changes: CaseChange[]) => Promise<unknown>) | undefined;
  private sequence = 0;

  private async changed(pairs: [CaseRecord | undefined, CaseRecord][]): Promise<void> {
    if (!this.onChange || !pairs.length) return;
    await this.onChange(
      pairs.map(([old, next]) => {
        const change: CaseChange = { id: String(++this.sequence).padStart(21, '0'), kind: old ? 'modify' : 'insert', new: structuredClone(next) };
        if (old) change.old = structuredClone(old);
        return change;
      }),
    );
  }

  async scanCases(page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseRecord>> {
    const ids = [...this.cases.keys()].sort();
    const from = page.cursor ? ids.findIndex((id) => id > page.cursor!) : 0;
    const slice = from < 0 ? [] : ids.slice(from, from + page.limit);
    const last = slice.at(-1);
    return { items: slice.map((id) => structuredClone(this.cases.get(id)!)), nextCursor: last !== undefined && last !== ids.at(-1) ? last : undefined };
  }

  async createAll(cases: CaseRecord[]): Promise<CreateOutcome[]> {
    const made: [undefined, CaseRecord][] = [];
    const out = cases.map((c) => {
      const old = this.cases.get(c.caseId);
      if (old) return { caseId: c.caseId, created: false, status: old.status };
      this.cases.set(c.caseId, structuredClone(c));
      made.push([undefined, c]);
      return { caseId: c.caseId, created: true, status: c.status };
    });
    await this.changed(made);
    return out;
  }

  async get(caseId: string): Promise<CaseRecord | undefined> {
    const c = this.cases.get(caseId);
    return c && structuredClone(c);
  }

  async getMany(caseIds: string[]): Promise<CaseRecord[]> {
    return [...new Set(caseIds)].flatMap((id) => (this.cases.has(id) ? [structuredClone(this.cases.get(id)!)] : []));
  }

  async save(next: CaseRecord, expectedVersion: number): Promise<void> {
    const cur = this.cases.get(next.caseId);
    if (!cur || cur.version !== expectedVersion) throw new VersionConflictError(next.caseId, expectedVersion);
    this.cases.set(next.caseId, structuredClone(next));
    await this.changed([[cur, next]]);
  }

  /** Every write of a change with DynamoDB's conditions, all or nothing. */
  async commit(change: Change): Promise<void> {
    const writes = (change.saves?.length ?? 0) + (change.creates?.length ?? 0) + (change.groups?.length ?? 0) + (change.clusters?.length ?? 0);
    if (writes === 0) {
      if (change.counters?.length || change.audit?.length) throw new Error('report counters and audit records move only with a case, group or cluster write');
      return;
    }
    if (writes + (change.counters?.length ?? 0) > MAX_CHANGE_WRITES) throw new RangeError(`a change has at most ${MAX_CHANGE_WRITES} writes`);
    const check = (id: string, cur: { version: number } | undefined, expected: number | null) => {
      if (expected === null ? cur !== undefined : cur?.version !== expected) throw new VersionConflictError(id, expected ?? 0);
    };
    for (const sv of change.saves ?? []) check(sv.next.caseId, this.cases.get(sv.next.caseId), sv.expectedVersion);
    for (const c of change.creates ?? []) check(c.caseId, this.cases.get(c.caseId), null);
    for (const g of change.groups ?? []) check(g.group.groupId, this.groups.get(g.group.groupId), g.expectedVersion);
    for (const c of change.clusters ?? []) check(c.cluster.clusterId, this.clusters.get(c.cluster.clusterId), c.expectedVersion);
    const pairs: [CaseRecord | undefined, CaseRecord][] = [
      ...(change.saves ?? []).map((sv) => [this.cases.get(sv.next.caseId), sv.next] as [CaseRecord | undefined, CaseRecord]),
      ...(change.creates ?? []).map((c) => [undefined, c] as [undefined, CaseRecord]),
    ];
    for (const sv of change.saves ?? []) this.cases.set(sv.next.caseId, structuredClone(sv.next));
    for (const c of change.creates ?? []) this.cases.set(c.caseId, structuredClone(c));
    for (const g of change.groups ?? []) this.groups.set(g.group.groupId, structuredClone(g.group));
    for (const c of change.clusters ?? []) this.clusters.set(c.cluster.clusterId, structuredClone(c.cluster));
    for (const r of sumRows([[...this.counters.values()], change.counters ?? []])) this.counters.set(rowId(r.key), r);
    this.audit.push(...structuredClone(change.audit ?? []));
    await this.changed(pairs);
  }

  async record(r: AuditRecord): Promise<void> {
    this.audit.push(structuredClone(r));
  }

  async auditOfDay(regionCode: string, day: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<AuditRecord>> {
    const shanghaiDay = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10);
    const sorted = this.audit.filter((r) => r.regionCode === regionCode && shanghaiDay(r.at) === day).sort((a, b) => a.at.localeCompare(b.at));
    return pageOf(sorted, (r) => `${r.at}#${r.caseId}#${r.action}#${r.version ?? ''}`, `audit:${regionCode}:${day}`, page);
  }

  /** Like the index: only the projected attributes, earliest due first. */
  async listByAgency(agencyId: string, status: CaseStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseSummary>> {
    const due = (c: CaseRecord) => `${c.dueAt ?? '9999-12-31T23:59:59+08:00'}#${c.caseId}`;
    const sorted = [...this.cases.values()]
      .filter((c) => c.agencyId === agencyId && c.status === status && c.status !== 'received')
      .sort((a, b) => (due(a) < due(b) ? -1 : 1));
    const p = pageOf(sorted, due, `${agencyId}#${status}`, page);
    return {
      ...p,
      items: p.items.map((c) => structuredClone(Object.fromEntries(QUEUE_ATTRIBUTES.filter((k) => c[k] !== undefined).map((k) => [k, c[k]]))) as CaseSummary),
    };
  }

  async getGroups<T extends GroupItem>(groupIds: readonly string[]): Promise<Map<string, T>> {
    return new Map(groupIds.flatMap((id) => (this.groups.has(id) ? [[id, structuredClone(this.groups.get(id)) as T] as const] : [])));
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | undefined> {
    const c = this.clusters.get(clusterId);
    return c && structuredClone(c);
  }

  /** Newest first, like the index read backwards. */
  async listClusters(regionCode: string, page: { limit: number; cursor?: string | undefined } = { limit: 100 }): Promise<Page<ClusterRecord>> {
    const key = (c: ClusterRecord) => `${c.detectedAt}#${c.clusterId}`;
    const inv = (k: string) => [...k].map((ch) => String.fromCharCode(0xffff - ch.charCodeAt(0))).join('');
    const sorted = [...this.clusters.values()].filter((c) => c.regionCode === regionCode).sort((a, b) => (key(a) < key(b) ? 1 : -1));
    const p = pageOf(sorted, (c) => inv(key(c)), `CLUSTERS#${regionCode}`, page);
    return { ...p, items: p.items.map((c) => structuredClone(c)) };
  }

  async reportRows(month: string, regionCode: string): Promise<ReportRow[]> {
    return [...this.counters.values()].filter((r) => r.key.month === month && r.key.regionCode === regionCode);
  }
}

/** Test support for deadline timers, callbacks and feedback: an in-memory case store, a manual clock, case builders. */
import type { SchedulerClock } from '../../functions/adapters/local/in-process-scheduler.js';
import { receiveTicket, type CaseRecord, type CaseStatus } from '../../functions/domain/case/case.js';
import { VersionConflictError } from '../../functions/ports/errors.js';
import type { CaseStore, CaseSummary, Change, CreateOutcome, GroupItem, LinkageStore, Page } from '../../functions/ports/case-store.js';
import { QUEUE_ATTRIBUTES } from '../../functions/adapters/aws/case-table.js';
import type { ClusterRecord } from '../../functions/domain/linkage/cluster-record.js';
import { sumRows, rowId, type ReportRow } from '../../functions/domain/report/tally.js';
import { sourced12345, sourced12309 } from '../support/fixtures.js';

/** A CaseStore in memory with the same version condition as DynamoDB (copies in and out). */
export class MemoryCaseStore implements CaseStore, LinkageStore {
  readonly cases = new Map<string, CaseRecord>();

  async createAll(cases: CaseRecord[]): Promise<CreateOutcome[]> {
    return cases.map((c) => {
      const old = this.cases.get(c.caseId);
      if (old) return { caseId: c.caseId, created: false, status: old.status };
      this.cases.set(c.caseId, structuredClone(c));
      return { caseId: c.caseId, created: true, status: c.status };
    });
  }

  async get(caseId: string): Promise<CaseRecord | undefined> {
    const c = this.cases.get(caseId);
    return c && structuredClone(c);
  }

  async save(next: CaseRecord, expectedVersion: number): Promise<void> {
    const cur = this.cases.get(next.caseId);
    if (!cur || cur.version !== expectedVersion) throw new VersionConflictError(next.caseId, expectedVersion);
    this.cases.set(next.caseId, structuredClone(next));
  }

  /** Monthly-report counters moved by `commit`, by row id. */
  readonly counters = new Map<string, ReportRow>();

  readonly groups = new Map<string, GroupItem>();
  readonly clusters = new Map<string, ClusterRecord>();

  /** Every write of a change with DynamoDB's conditions, all or nothing. */
  async commit(change: Change): Promise<void> {
    const check = (id: string, cur: { version: number } | undefined, expected: number | null) => {
      if (expected === null ? cur !== undefined : cur?.version !== expected) throw new VersionConflictError(id, expected ?? 0);
    };
    for (const sv of change.saves ?? []) check(sv.next.caseId, this.cases.get(sv.next.caseId), sv.expectedVersion);
    for (const c of change.creates ?? []) check(c.caseId, this.cases.get(c.caseId), null);
    for (const g of change.groups ?? []) check(g.group.groupId, this.groups.get(g.group.groupId), g.expectedVersion);
    for (const c of change.clusters ?? []) check(c.cluster.clusterId, this.clusters.get(c.cluster.clusterId), c.expectedVersion);
    for (const sv of change.saves ?? []) this.cases.set(sv.next.caseId, structuredClone(sv.next));
    for (const c of change.creates ?? []) this.cases.set(c.caseId, structuredClone(c));
    for (const g of change.groups ?? []) this.groups.set(g.group.groupId, structuredClone(g.group));
    for (const c of change.clusters ?? []) this.clusters.set(c.cluster.clusterId, structuredClone(c.cluster));
    for (const r of sumRows([[...this.counters.values()], change.counters ?? []])) this.counters.set(rowId(r.key), r);
  }

  async getGroups<T extends GroupItem>(groupIds: readonly string[]): Promise<Map<string, T>> {
    return new Map(groupIds.flatMap((id) => (this.groups.has(id) ? [[id, structuredClone(this.groups.get(id)) as T] as const] : [])));
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | undefined> {
    const c = this.clusters.get(clusterId);
    return c && structuredClone(c);
  }

  async listClusters(regionCode: string): Promise<Page<ClusterRecord>> {
    return { items: [...this.clusters.values()].filter((c) => c.regionCode === regionCode).map((c) => structuredClone(c)) };
  }

  async reportRows(month: string, regionCode: string): Promise<ReportRow[]> {
    return [...this.counters.values()].filter((r) => r.key.month === month && r.key.regionCode === regionCode);
  }

  async getMany(caseIds: string[]): Promise<CaseRecord[]> {
    return caseIds.flatMap((id) => (this.cases.has(id) ? [structuredClone(this.cases.get(id)!)] : []));
  }

  /** Like the index: only the projected attributes, earliest due first. */
  async listByAgency(agencyId: string, status: CaseStatus): Promise<Page<CaseSummary>> {
    const due = (c: CaseRecord) => `${c.dueAt ?? '9999'}#${c.caseId}`;
    const items = [...this.cases.values()].filter((c) => c.agencyId === agencyId && c.status === status).sort((a, b) => (due(a) < due(b) ? -1 : 1));
    return { items: items.map((c) => structuredClone(Object.fromEntries(QUEUE_ATTRIBUTES.filter((k) => k in c).map((k) => [k, c[k]]))) as CaseSummary) };
  }
}

/** A clock that moves only when told: runs the timers that fall due, in order, settling each before the next. */
export class ManualClock implements SchedulerClock {
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }
  date = (): Date => new Date(this.t);

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  async advanceTo(target: string | number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const to = typeof target === 'string' ? Date.parse(target) : target;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, x]) => x.at <= to).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await settle();
    }
    this.t = Math.max(this.t, to);
  }
}

/** A received 12345 complaint (received 2026-09-30 09:15 Shanghai), with its caller's contact as ingest keeps it. */
export const received12345 = (over: Record<string, unknown> = {}): CaseRecord => receiveTicket(sourced12345(over), '2026-09-30T01:16:00.000Z', 'corr-timers');
export const received12309 = (over: Record<string, unknown> = {}): CaseRecord => receiveTicket(sourced12309(over), '2026-09-30T02:01:00.000Z', 'corr-timers');

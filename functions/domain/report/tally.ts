/**
 * The joint monthly report (联合月报, product.md §9): per month, region, agency and domain, what happened to cases.
 * Pure: no clock, no I/O.
 *
 * One function, `tally(case)`, says what a whole case record contributes to the report. The stored counters are
 * kept incrementally: every saved change adds `tally(next) − tally(previous)` (`reportDelta`) in the same
 * transaction as the change itself, so a change is counted exactly once or not at all. Because the increments
 * telescope, the counters always equal the recomputation `Σ tally(case)` over all case records — the test of the
 * report checks exactly that against DynamoDB Local.
 *
 * Attribution (decisions the spec leaves open):
 * - **Month**: the Shanghai month in which the thing happened (the history entry's time), not the month the
 *   ticket arrived: a case received on 30 September and replied on 8 October counts its reply in October.
 * - **Agency**: the agency that did it or received it — the dispatch's target for `received`, the actor for
 *   `signed`, `replied` and `returned`, the owner at the time for `overdue` and satisfaction. A clue counts on the
 *   procuratorate department it was referred to (`cluesReferred`, `cluesAccepted`), a recommendation on the agency
 *   it was issued to (`recommendationsIssued`, `…AnsweredOnTime`).
 * - **On time**: the history entry records whether the deadline then in force was met (`onTime`), so later
 *   deadline changes (a reopen) do not rewrite the past.
 * - **Overdue**: a case counts once per agency that let one of its deadlines pass (the overdue timer marks it).
 */
import type { CaseRecord, HistoryEntry } from '../case/case.js';
import { shanghaiDateOf } from '../deadlines/time.js';

export const METRICS = [
  'received', // 受理派单
  'signed', // 签收
  'signedOnTime', // 按时签收
  'replied', // 办结
  'repliedOnTime', // 按时办结
  'returned', // 退单
  'overdue', // 超期
  'satisfied', // 满意
  'basicallySatisfied', // 基本满意
  'dissatisfied', // 不满意
  'cluesReferred', // 移送线索
  'cluesAccepted', // 线索受理（立案调查）
  'cluesDeclined', // 不予立案
  'recommendationsIssued', // 检察建议
  'recommendationsAnswered', // 已回复
  'recommendationsAnsweredOnTime', // 按期回复
  'dispatches', // 派单: every dispatch to a handling agency (first dispatch, route, uphold, reject, split)
  'firstDispatched', // 首次派单: a case's first dispatch to a handling agency
  'firstDispatchKept', // 一次派准: ... never returned afterwards
  'disputesDecided', // 异议审核: disputes of this agency's returns decided
  'disputesUpheld', // 异议成立
  'mergedRequests', // 合并诉求: repeat tickets merged into this agency's cases
  'contacted', // 回访: the caller says the agency contacted them
  'notContacted',
  'resolved', // 回访: the caller says the problem was solved
  'unresolved',
] as const;
export type Metric = (typeof METRICS)[number];
export type Counts = Partial<Record<Metric, number>>;

export interface RowKey {
  /** `YYYY-MM`, Shanghai time. */
  month: string;
  regionCode: string;
  agencyId: string;
  domain: string;
}

export interface ReportRow {
  key: RowKey;
  counts: Counts;
}

export const rowId = (k: RowKey): string => `${k.month}|${k.regionCode}|${k.agencyId}|${k.domain}`;
export const monthOf = (instant: string): string => shanghaiDateOf(instant).slice(0, 7);

type Feedback = { result: 'satisfied' | 'basically_satisfied' | 'dissatisfied'; at: string; version: number; contacted?: boolean; resolved?: boolean };
type Reportable = CaseRecord & { feedback?: Feedback[] };

/** The agency of an actor label (`agent@150302:market-regulation` → `150302:market-regulation`). */
const actorAgency = (by: string): string | undefined => (by.includes('@') ? by.slice(by.indexOf('@') + 1) : undefined);

const SATISFACTION: Record<Feedback['result'], Metric> = { satisfied: 'satisfied', basically_satisfied: 'basicallySatisfied', dissatisfied: 'dissatisfied' };

class Rows {
  readonly map = new Map<string, ReportRow>();
  add(key: RowKey, metric: Metric, n = 1): void {
    const id = rowId(key);
    let row = this.map.get(id);
    if (!row) {
      row = { key, counts: {} };
      this.map.set(id, row);
    }
    row.counts[metric] = (row.counts[metric] ?? 0) + n;
  }
  list(): ReportRow[] {
    return [...this.map.values()];
  }
}

/** Everything one case record contributes to the report. */
export function tally(c: Reportable): ReportRow[] {
  const rows = new Rows();
  const domain = c.decision?.domain;
  if (!domain) return [];
  const key = (at: string, agencyId: string | undefined): RowKey | undefined =>
    agencyId ? { month: monthOf(at), regionCode: c.regionCode, agencyId, domain } : undefined;
  const count = (h: HistoryEntry, agencyId: string | undefined, metric: Metric) => {
    const k = key(h.at, agencyId);
    if (k) rows.add(k, metric);
  };
  const ownerAfter = (h: HistoryEntry) => h.agencyId ?? c.agencyId;
  const isReturn = (h: HistoryEntry) => h.to === 'returned' || (h.to === 'needs_review' && (h.from === 'dispatched' || h.from === 'accepted'));

  if (c.kind === 'ticket' || c.kind === 'transfer') {
    // 一次派准: the first dispatch to a handling agency, kept when no return ever followed it.
    const first = c.history.find((h) => h.to === 'dispatched');
    if (first) {
      count(first, ownerAfter(first), 'firstDispatched');
      if (!c.history.some((h) => h.version > first.version && isReturn(h))) count(first, ownerAfter(first), 'firstDispatchKept');
    }
    for (const h of c.history) if (h.to === 'dispatched') count(h, ownerAfter(h), 'dispatches');
    // 异议审核: on the agency that returned the case, in the month of the decision.
    for (const d of c.disputes ?? []) {
      if (!d.outcome || !d.decidedAt) continue;
      const k = key(d.decidedAt, d.fromAgencyId);
      if (!k) continue;
      rows.add(k, 'disputesDecided');
      if (d.outcome === 'upheld') rows.add(k, 'disputesUpheld');
    }
    // 重复诉求合并: a merged ticket counts on the agency of the case it joined, until it is split out.
    const merged = c.history.find((h) => h.to === 'merged');
    if (merged && c.status === 'merged' && c.merge) count(merged, c.merge.agencyId, 'mergedRequests');
  }

  for (const h of c.history) {
    switch (c.kind) {
      case 'ticket':
      case 'transfer':
        if (
          (h.to === 'dispatched' || h.to === 'needs_review') &&
          (h.from === 'received' || h.from === 'needs_review' || h.from === 'returned' || h.from === 'merged')
        ) {
          count(h, ownerAfter(h), 'received');
        } else if (h.to === 'accepted' && (h.from === 'dispatched' || h.from === 'reopened')) {
          count(h, actorAgency(h.by) ?? ownerAfter(h), 'signed');
          if (h.onTime) count(h, actorAgency(h.by) ?? ownerAfter(h), 'signedOnTime');
        } else if (h.to === 'replied') {
          count(h, actorAgency(h.by) ?? ownerAfter(h), 'replied');
          if (h.onTime) count(h, actorAgency(h.by) ?? ownerAfter(h), 'repliedOnTime');
        } else if (isReturn(h)) {
          count(h, actorAgency(h.by), 'returned');
        }
        break;
      case 'clue':
        if (h.from === null) count(h, ownerAfter(h), 'cluesReferred');
        else if (h.from === 'dispatched' && h.to === 'accepted') count(h, ownerAfter(h), 'cluesAccepted');
        else if (h.from === 'dispatched' && h.to === 'closed') count(h, ownerAfter(h), 'cluesDeclined');
        break;
      case 'recommendation':
        if (h.from === null) count(h, ownerAfter(h), 'recommendationsIssued');
        else if (h.to === 'replied') {
          count(h, ownerAfter(h), 'recommendationsAnswered');
          if (h.onTime) count(h, ownerAfter(h), 'recommendationsAnsweredOnTime');
        }
        break;
    }
  }

  // Satisfaction (回访): the agency that owned the case when the survey result came back.
  for (const f of c.feedback ?? []) {
    const h = c.history.find((e) => e.version === f.version);
    const k = key(f.at, h ? ownerAfter(h) : c.agencyId);
    if (!k) continue;
    rows.add(k, SATISFACTION[f.result]);
    if (f.contacted !== undefined) rows.add(k, f.contacted ? 'contacted' : 'notContacted');
    if (f.resolved !== undefined) rows.add(k, f.resolved ? 'resolved' : 'unresolved');
  }

  // Overdue: once per agency that let a deadline pass, in the month of its first missed deadline.
  const firstMiss = new Map<string, string>();
  for (const m of c.overdue ?? []) if (!firstMiss.has(m.agencyId) || m.at < firstMiss.get(m.agencyId)!) firstMiss.set(m.agencyId, m.at);
  for (const [agencyId, at] of firstMiss) rows.add(key(at, agencyId)!, 'overdue');

  return rows.list();
}

/** Adds up rows with the same key; drops zero counts and empty rows. */
export function sumRows(lists: Iterable<ReportRow[]>, sign: 1 | -1 = 1): ReportRow[] {
  const rows = new Rows();
  for (const list of lists) for (const r of list) for (const [m, n] of Object.entries(r.counts)) rows.add(r.key, m as Metric, sign * n);
  return rows
    .list()
    .map((r) => ({ key: r.key, counts: Object.fromEntries(Object.entries(r.counts).filter(([, n]) => n !== 0)) as Counts }))
    .filter((r) => Object.keys(r.counts).length > 0);
}

/** What a change from `prev` (undefined: a new case) to `next` adds to the report: `tally(next) − tally(prev)`. */
export function reportDelta(prev: Reportable | undefined, next: Reportable): ReportRow[] {
  const minus = prev ? sumRows([tally(prev)], -1) : [];
  return sumRows([tally(next), minus]);
}

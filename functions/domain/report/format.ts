/**
 * The joint monthly report (联合月报) as the API returns it: JSON rows per agency and domain with derived rates,
 * and the same rows as CSV for Excel — UTF-8 with a byte-order mark (Excel otherwise reads Chinese as mojibake),
 * CRLF line ends, RFC 4180 quoting, and cells that could be read as formulas (`=`, `+`, `-`, `@`) prefixed with `'`.
 */
import { csvDocument } from './csv.js';
import { METRICS, type Counts, type Metric, type ReportRow } from './tally.js';
import { KPI_LABELS, KPI_NAMES, kpisOf, type KpiName, type KpiRules, type KpiValue } from './kpis.js';

/** Column headings: the metric code and its Chinese name, so both a program and a clerk can read the header. */
export const METRIC_LABELS: Record<Metric, string> = {
  received: '受理',
  signed: '签收',
  signedOnTime: '按时签收',
  replied: '办结',
  repliedOnTime: '按时办结',
  returned: '退单',
  overdue: '超期',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
  cluesReferred: '移送线索',
  cluesAccepted: '线索受理',
  cluesDeclined: '线索不予立案',
  recommendationsIssued: '检察建议',
  recommendationsAnswered: '检察建议已回复',
  recommendationsAnsweredOnTime: '检察建议按期回复',
  dispatches: '派单',
  firstDispatched: '首次派单',
  firstDispatchKept: '一次派准',
  disputesDecided: '异议审核',
  disputesUpheld: '异议成立',
  mergedRequests: '合并诉求',
  contacted: '回访已联系',
  notContacted: '回访未联系',
  resolved: '回访已解决',
  unresolved: '回访未解决',
};

/** The columns the CSV had before the rates of docs/kpis.md: kept first and in order, so old readers still work. */
const FIRST_METRICS = METRICS.slice(0, METRICS.indexOf('dispatches'));
const LATER_METRICS = METRICS.slice(METRICS.indexOf('dispatches'));

export interface ReportLine {
  agencyId: string;
  agencyName: string | null;
  domain: string;
  counts: Record<Metric, number>;
  /** Shares, 0–1, null when there is nothing to divide by. */
  rates: { signedOnTime: number | null; repliedOnTime: number | null; satisfaction: number | null; recommendationsAnsweredOnTime: number | null };
  /** The rates of docs/kpis.md with their sample sizes, hidden below config/kpis.json's minimum sample. */
  kpis: Record<KpiName, KpiValue>;
}

export interface MonthlyReport {
  month: string;
  regions: string[];
  rows: ReportLine[];
  totals: Record<Metric, number>;
  /** The rates over all rows. */
  totalKpis: Record<KpiName, KpiValue>;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

const full = (c: Counts): Record<Metric, number> => Object.fromEntries(METRICS.map((m) => [m, c[m] ?? 0])) as Record<Metric, number>;

/** Rows of one month (any number of regions) → the report, rows of the same agency and domain added up. */
export function monthlyReport(
  month: string,
  regions: string[],
  rows: ReportRow[],
  agencyName: (id: string) => string | undefined,
  kpiRules: KpiRules,
): MonthlyReport {
  const merged = new Map<string, { agencyId: string; domain: string; counts: Record<Metric, number> }>();
  for (const r of rows) {
    if (r.key.month !== month) continue;
    const id = `${r.key.agencyId}|${r.key.domain}`;
    const line = merged.get(id) ?? { agencyId: r.key.agencyId, domain: r.key.domain, counts: full({}) };
    for (const m of METRICS) line.counts[m] += r.counts[m] ?? 0;
    merged.set(id, line);
  }
  const lines: ReportLine[] = [...merged.values()]
    .sort((a, b) => a.agencyId.localeCompare(b.agencyId) || a.domain.localeCompare(b.domain))
    .map(({ agencyId, domain, counts }) => ({
      agencyId,
      agencyName: agencyName(agencyId) ?? null,
      domain,
      counts,
      rates: {
        signedOnTime: ratio(counts.signedOnTime, counts.signed),
        repliedOnTime: ratio(counts.repliedOnTime, counts.replied),
        satisfaction: ratio(counts.satisfied + counts.basicallySatisfied, counts.satisfied + counts.basicallySatisfied + counts.dissatisfied),
        recommendationsAnsweredOnTime: ratio(counts.recommendationsAnsweredOnTime, counts.recommendationsAnswered),
      },
      kpis: kpisOf(counts, kpiRules),
    }));
  const totals = full({});
  for (const l of lines) for (const m of METRICS) totals[m] += l.counts[m];
  return { month, regions, rows: lines, totals, totalKpis: kpisOf(totals, kpiRules) };
}

/** The report as CSV text (the BOM included: write it out as UTF-8 bytes as is). */
export function reportCsv(r: MonthlyReport): string {
  const header = [
    '月份 month',
    '机构 agencyId',
    '机构名称 agencyName',
    '领域 domain',
    ...FIRST_METRICS.map((m) => `${METRIC_LABELS[m]} ${m}`),
    '按时签收率 signedOnTimeRate',
    '按时办结率 repliedOnTimeRate',
    '满意率 satisfactionRate',
    ...LATER_METRICS.map((m) => `${METRIC_LABELS[m]} ${m}`),
    // Each rate of docs/kpis.md, then its sample size; a hidden rate (sample below the minimum) is left blank.
    ...KPI_NAMES.flatMap((k) => [`${KPI_LABELS[k]} ${k}`, `样本 ${k}Sample`]),
  ];
  return csvDocument(
    header,
    r.rows.map((l) => [
      r.month,
      l.agencyId,
      l.agencyName,
      l.domain,
      ...FIRST_METRICS.map((m) => l.counts[m]),
      l.rates.signedOnTime,
      l.rates.repliedOnTime,
      l.rates.satisfaction,
      ...LATER_METRICS.map((m) => l.counts[m]),
      ...KPI_NAMES.flatMap((k) => [l.kpis[k].value, l.kpis[k].sample]),
    ]),
  );
}

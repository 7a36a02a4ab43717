/**
 * The joint monthly report (联合月报) and its rates, as tables and charts by month, by agency and by domain, with
 * the API's CSV and an .xlsx written in the browser (write-excel-file, loaded only when asked for); and the rates of
 * docs/kpis.md (一次派准率, 退单率, the three rates…) from `GET /v1/reports/kpis` over a range of months, a region
 * and an agency, each with its sample size (a rate whose sample is below the minimum is shown as 样本不足).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { agencyName, DOMAIN_LABELS, facts, regionName, regionsOf } from '../facts';
import { label } from '../labels';
import { recentMonths } from '../time';
import type { KpiReport, KpiValue, MonthlyReport, ReportLine } from '../types';
import { Message, type ViewProps } from './common';

const METRICS = facts.metrics;
const KPIS = facts.kpis;
const RANGES = [1, 3, 6, 12] as const;
const MONTHS = recentMonths(12);
const TREND = 6;

type Counts = Record<string, number>;
const add = (into: Counts, c: Counts) => {
  for (const m of METRICS) into[m.code] = (into[m.code] ?? 0) + (c[m.code] ?? 0);
  return into;
};
const pct = (n: number, d: number) => (d > 0 ? `${Math.round((n / d) * 1000) / 10}%` : '—');

/** Rows added up by a key (agency or domain), largest by 受理 first. */
function groupBy(rows: ReportLine[], key: (r: ReportLine) => string): [string, Counts][] {
  const m = new Map<string, Counts>();
  for (const r of rows) m.set(key(r), add(m.get(key(r)) ?? {}, r.counts));
  return [...m.entries()].sort((a, b) => (b[1]['received'] ?? 0) - (a[1]['received'] ?? 0));
}

function Bars({ title, data, testid }: { title: string; data: [string, number][]; testid: string }) {
  const max = Math.max(1, ...data.map(([, v]) => v));
  const rowH = 22;
  return (
    <figure class="chart" data-testid={testid}>
      <figcaption>{title}</figcaption>
      <svg width="100%" height={data.length * rowH + 4} viewBox={`0 0 480 ${data.length * rowH + 4}`} role="img" aria-label={title}>
        {data.map(([name, v], i) => (
          <g key={name} transform={`translate(0 ${i * rowH})`}>
            <text x="150" y="15" text-anchor="end" font-size="12">
              {name.length > 12 ? `${name.slice(0, 12)}…` : name}
            </text>
            <rect x="156" y="3" height="15" width={(v / max) * 280} fill="#2f6fb5" />
            <text x={160 + (v / max) * 280} y="15" font-size="12">
              {v}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

function CountsTable({ head, rows, testid }: { head: string; rows: [string, Counts][]; testid: string }) {
  return (
    <div class="scroll">
      <table data-testid={testid}>
        <thead>
          <tr>
            <th>{head}</th>
            {METRICS.map((m) => (
              <th key={m.code}>{m.label}</th>
            ))}
            <th>按时签收率</th>
            <th>按时办结率</th>
            <th>满意率</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, c]) => (
            <tr key={name}>
              <td>{name}</td>
              {METRICS.map((m) => (
                <td key={m.code}>{c[m.code] ?? 0}</td>
              ))}
              <td>{pct(c['signedOnTime'] ?? 0, c['signed'] ?? 0)}</td>
              <td>{pct(c['repliedOnTime'] ?? 0, c['replied'] ?? 0)}</td>
              <td>
                {pct((c['satisfied'] ?? 0) + (c['basicallySatisfied'] ?? 0), (c['satisfied'] ?? 0) + (c['basicallySatisfied'] ?? 0) + (c['dissatisfied'] ?? 0))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A rate in words: its share, or 样本不足 when hidden (too small a sample), and always its sample size. */
function Rate({ v }: { v: KpiValue | undefined }) {
  if (!v) return <span class="muted">—</span>;
  const text = v.hidden ? '样本不足' : v.value === null ? '—' : `${Math.round(v.value * 1000) / 10}%`;
  return (
    <span class={v.hidden ? 'rate hidden' : 'rate'} data-hidden={v.hidden}>
      {text} <span class="muted">（样本 {v.sample}）</span>
    </span>
  );
}

/** The rates over a range of months ending with `month`, for a region (or every region covered) and an agency (or all). */
function KpiSection({ props, month }: { props: ViewProps; month: string }) {
  const regions = regionsOf(props.session.agencyId);
  const [range, setRange] = useState<number>(1);
  const [region, setRegion] = useState('');
  const [agencyId, setAgencyId] = useState('');
  const [report, setReport] = useState<KpiReport>();
  const [error, setError] = useState('');
  const agencies = facts.agencies.filter((a) => (region ? a.regionCode === region : regions.includes(a.regionCode)) && a.kind !== 'dispatch-center');
  useEffect(() => {
    setError('');
    const i = MONTHS.indexOf(month);
    const from = MONTHS[Math.min(i + range - 1, MONTHS.length - 1)]!;
    const q = new URLSearchParams({ from, to: month });
    if (region) q.set('region', region);
    if (agencyId) q.set('agencyId', agencyId);
    props.api.get<KpiReport>(`/v1/reports/kpis?${q}`).then(setReport, (e: ApiError) => setError(e.message));
  }, [props.api, month, range, region, agencyId]);
  return (
    <section class="card" data-testid="kpis">
      <h3>一次派准率与三率</h3>
      <div class="toolbar">
        <label>
          范围{' '}
          <select name="range" value={range} onChange={(e) => setRange(Number(e.currentTarget.value))}>
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {r === 1 ? `${month}` : `截至 ${month} 的 ${r} 个月`}
              </option>
            ))}
          </select>
        </label>
        <label>
          地区{' '}
          <select
            name="region"
            value={region}
            onChange={(e) => {
              setRegion(e.currentTarget.value);
              setAgencyId('');
            }}
          >
            <option value="">全部管辖地区</option>
            {regions.map((r) => (
              <option key={r} value={r}>
                {regionName(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          单位{' '}
          <select name="kpiAgency" value={agencyId} onChange={(e) => setAgencyId(e.currentTarget.value)}>
            <option value="">全部单位</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Message text={error} kind="error" />
      {report && (
        <>
          <table data-testid="table-kpis">
            <thead>
              <tr>
                <th>指标</th>
                <th>比率（样本量）</th>
              </tr>
            </thead>
            <tbody>
              {KPIS.map((k) => (
                <tr key={k.code} data-kpi={k.code}>
                  <td>{report.kpis[k.code]?.label ?? k.label}</td>
                  <td>
                    <Rate v={report.kpis[k.code]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">
            {report.from === report.to ? report.from : `${report.from} 至 ${report.to}`} · {report.agencyId ? agencyName(report.agencyId) : '全部单位'} ·{' '}
            {report.regions.map(regionName).join('、')}。样本量少于 {report.minimumSample} 的比率不显示（样本不足）；公式见 docs/kpis.md。
          </p>
        </>
      )}
    </section>
  );
}

/** The monthly report's rate columns: one row per agency and domain, and the month's total. */
function RowKpiTable({ report }: { report: MonthlyReport }) {
  return (
    <div class="scroll">
      <table class="nowrap" data-testid="table-row-kpis">
        <thead>
          <tr>
            <th>单位</th>
            <th>领域</th>
            {KPIS.map((k) => (
              <th key={k.code}>{k.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={`${r.agencyId}|${r.domain}`}>
              <td>{r.agencyName ?? r.agencyId}</td>
              <td>{label(DOMAIN_LABELS, r.domain)}</td>
              {KPIS.map((k) => (
                <td key={k.code}>
                  <Rate v={r.kpis?.[k.code]} />
                </td>
              ))}
            </tr>
          ))}
          <tr class="total">
            <td>
              <b>合计</b>
            </td>
            <td />
            {KPIS.map((k) => (
              <td key={k.code}>
                <Rate v={report.totalKpis?.[k.code]} />
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function download(blob: Blob, name: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

async function xlsx(report: MonthlyReport): Promise<Blob> {
  const { default: writeExcelFile } = await import('write-excel-file/browser');
  const bold = (value: string) => ({ value, fontWeight: 'bold' as const });
  const header = [bold('单位编码'), bold('单位'), bold('领域'), ...METRICS.map((m) => bold(m.label))];
  const data = [
    header,
    ...report.rows.map((r) => [
      { value: r.agencyId },
      { value: r.agencyName ?? r.agencyId },
      { value: label(DOMAIN_LABELS, r.domain) },
      ...METRICS.map((m) => ({ value: r.counts[m.code] ?? 0 })),
    ]),
    [bold('合计'), null, null, ...METRICS.map((m) => ({ value: report.totals[m.code] ?? 0, fontWeight: 'bold' as const }))],
  ];
  return writeExcelFile(data, { sheet: report.month, stickyRowsCount: 1 }).toBlob();
}

export function ReportView(props: ViewProps) {
  const [month, setMonth] = useState(MONTHS[0]!);
  const [reports, setReports] = useState<MonthlyReport[]>();
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    const i = MONTHS.indexOf(month);
    const months = MONTHS.slice(i, i + TREND);
    Promise.all(months.map((m) => props.api.get<MonthlyReport>(`/v1/reports/monthly?month=${m}`))).then(setReports, (e: ApiError) => setError(e.message));
  }, [props.api, month]);
  const report = reports?.[0];
  const byAgency = report ? groupBy(report.rows, (r) => r.agencyName ?? r.agencyId) : [];
  const byDomain = report ? groupBy(report.rows, (r) => label(DOMAIN_LABELS, r.domain)) : [];
  const byMonth: [string, Counts][] = (reports ?? []).map((r) => [r.month, r.totals]).reverse() as [string, Counts][];
  const save = async (format: 'csv' | 'xlsx') => {
    if (!report) return;
    try {
      if (format === 'csv') download(await props.api.blob(`/v1/reports/monthly?month=${month}&format=csv`), `joint-report-${month}.csv`);
      else download(await xlsx(report), `joint-report-${month}.xlsx`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : `导出失败：${String(e)}`);
    }
  };
  return (
    <div>
      <div class="toolbar">
        <label>
          月份{' '}
          <select name="month" value={month} onChange={(e) => setMonth(e.currentTarget.value)}>
            {MONTHS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void save('csv')} disabled={!report}>
          下载 CSV
        </button>
        <button type="button" onClick={() => void save('xlsx')} disabled={!report}>
          下载 Excel
        </button>
      </div>
      <Message text={error} kind="error" />
      <KpiSection props={props} month={month} />
      {report && (
        <>
          <section class="card">
            <h3>
              {report.month} 合计：受理 {report.totals['received'] ?? 0} 件，办结 {report.totals['replied'] ?? 0} 件，按时办结率{' '}
              {pct(report.totals['repliedOnTime'] ?? 0, report.totals['replied'] ?? 0)}，移送线索 {report.totals['cluesReferred'] ?? 0} 件
            </h3>
            <div class="charts">
              <Bars title="按月受理（近6个月）" testid="chart-month" data={byMonth.map(([m, c]) => [m, c['received'] ?? 0])} />
              <Bars title="按单位受理" testid="chart-agency" data={byAgency.slice(0, 12).map(([n, c]) => [n, c['received'] ?? 0])} />
              <Bars title="按领域受理" testid="chart-domain" data={byDomain.slice(0, 12).map(([n, c]) => [n, c['received'] ?? 0])} />
            </div>
          </section>
          <section class="card">
            <h3>按月</h3>
            <CountsTable head="月份" rows={byMonth} testid="table-month" />
            <h3>按单位</h3>
            <CountsTable head="单位" rows={byAgency} testid="table-agency" />
            <h3>按领域</h3>
            <CountsTable head="领域" rows={byDomain} testid="table-domain" />
          </section>
          {report.totalKpis && (
            <section class="card">
              <h3>{report.month} 各单位、各领域的比率（月报列）</h3>
              <RowKpiTable report={report} />
            </section>
          )}
        </>
      )}
    </div>
  );
}

/**
 * Demo day (演示日) for local mode: `npm run demo` (or `npm start -- --demo`). Pushes a realistic mix of signed
 * tickets from both hotlines into a running LocalRuntime, waits until every one is processed, and prints where
 * each went — the agency, the transfers, the clue referrals (线索移送), the similar-case clusters (类案) and the
 * joint monthly report (联合月报) — with a few commands to look further.
 *
 * The tickets come from `examples/demo-day.jsonl`, one `{"source","ticket"}` line each, exactly as the hotline
 * POSTs them (so `npm run --silent classify < examples/demo-day.jsonl` reads the same file). The day ends with a
 * follow-up call that only says `同上` under a property-management category: it carries no matter of its own, so the
 * router sends it to the dispatch center whatever the learned model thinks, and the dispatcher's 待分拨 always has a
 * ticket with a best guess (the other tickets are flagged or not as the configured model decides). Two things are
 * changed at load time, so that the demo is always "today" and can run again on the same tables:
 * - **receivedAt**: the file's times are on a nominal day; every one is moved by the same amount so that the
 *   latest lands a few minutes before now. The spacing stays, so the three wage-arrears tickets stay within a
 *   few days of each other (and within the cluster rule's window).
 * - **ids**: each ticketId / caseNo gets a per-run suffix, so a second run makes new cases instead of answering
 *   `duplicate`. (On tables that keep their data, a second run's wage tickets join the first run's cluster.)
 *
 * The hotline secrets and the development JWT key are read exactly as startLocal reads them (`env`, defaulting to
 * process.env: HOTLINE_SECRET_<source>, else DEV_SECRETS; DEV_JWT_SECRET, else the development default), so pass
 * the same `env` to both.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { EnvSecrets } from '../functions/adapters/local/env-secrets.js';
import { devJwtSecret, signDevToken } from '../functions/auth/dev-jwt.js';
import { clusterRules } from '../functions/config/cluster-rules.js';
import { directory } from '../functions/config/directory.js';
import type { CaseRecord } from '../functions/domain/case/case.js';
import type { ClusterRecord } from '../functions/domain/linkage/cluster-record.js';
import { monthOf, type Metric } from '../functions/domain/report/tally.js';
import { DOMAIN_NAMES_ZH, SOURCES, type Domain, type Source } from '../functions/domain/taxonomy.js';
import { postTickets } from './hotline-client.js';
import type { LocalRuntime } from './runtime.js';

export const DEFAULT_DEMO_FILE = fileURLToPath(new URL('../examples/demo-day.jsonl', import.meta.url));

export interface DemoOptions {
  /** JSON lines `{"source","ticket"}` (default examples/demo-day.jsonl). */
  file?: string;
  /** Where the printed lines go (default console.log). */
  log?: (line: string) => void;
  /** The environment startLocal was given (secrets, DEV_JWT_SECRET); default process.env. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** The id suffix of this run (default: random). */
  runId?: string;
}

export interface DemoTicket {
  source: Source;
  /** The id in the file, and the id sent (with this run's suffix). */
  fileId: string;
  ticketId: string;
  caseId: string;
  /** The ingest answer. */
  ingest: 'accepted' | 'duplicate' | 'rejected';
  /** The case after processing (`received` = not processed: dead-lettered or lost). */
  status: string;
  kind: string;
  domain: string | null;
  clue: string | null;
  agencyId: string | null;
  needsReview: boolean;
  /** Clue cases this case referred (线索移送), its own or those of a cluster it completed. */
  referrals: { caseId: string; agencyId: string }[];
  /** The similar-case clusters (类案) it is in. */
  clusterIds: string[];
}

export interface DemoCluster {
  clusterId: string;
  ruleId: string;
  regionCode: string;
  keyKind: string;
  groupKey: string;
  caseIds: string[];
  /** Cases of this run in the cluster. */
  demoCaseIds: string[];
  clue: string;
  clueCaseId: string;
  agencyId: string;
  /** Made by this run (else joined: the cluster existed already). */
  detected: boolean;
}

export interface DemoClue {
  caseId: string;
  parentCaseId: string | null;
  clusterId: string | null;
  clue: string;
  agencyId: string;
  status: string;
  /** The clue is in its department's work list (agency API, status dispatched). */
  inDepartmentList: boolean;
  /** The department's queue (SQS in AWS) received it. */
  inDepartmentQueue: boolean;
}

export interface DemoSummary {
  runId: string;
  month: string;
  tickets: DemoTicket[];
  counts: {
    sent: number;
    accepted: number;
    duplicate: number;
    rejected: number;
    dispatched: number;
    needsReview: number;
    /** Accepted but not processed (still `received`, or in the process DLQ). */
    deadLettered: number;
    transfers: number;
    clues: number;
    clusters: number;
  };
  clusterIds: string[];
  clueCaseIds: string[];
  transferCaseIds: string[];
  clusters: DemoCluster[];
  clues: DemoClue[];
  /** Totals of the joint monthly report of `month`, all regions. */
  report: Record<Metric, number>;
}

interface Line {
  source: Source;
  ticket: Record<string, unknown>;
}

const SOURCE_ZH: Record<Source, string> = { '12345': '政务服务热线', '12309': '检察服务热线' };
const LATEST_BEFORE_NOW_MS = 5 * 60_000;
const BATCH = 100;

/** Reads and checks the demo file (source and an id per line; the ingest API validates the rest). */
export async function loadDemoFile(file: string): Promise<Line[]> {
  const text = await readFile(file, 'utf8');
  const lines: Line[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      throw new Error(`${where}: not valid JSON`);
    }
    const { source, ticket } = (v ?? {}) as { source?: unknown; ticket?: unknown };
    if (!SOURCES.includes(source as Source)) throw new Error(`${where}: source must be "12345" or "12309"`);
    if (typeof ticket !== 'object' || ticket === null) throw new Error(`${where}: ticket must be an object`);
    const t = ticket as Record<string, unknown>;
    const id = source === '12345' ? t['ticketId'] : t['caseNo'];
    if (typeof id !== 'string') throw new Error(`${where}: ticket has no ${source === '12345' ? 'ticketId' : 'caseNo'}`);
    if (typeof t['receivedAt'] !== 'string' || Number.isNaN(Date.parse(t['receivedAt']))) throw new Error(`${where}: ticket.receivedAt is not a date`);
    lines.push({ source: source as Source, ticket: t });
  });
  if (lines.length === 0) throw new Error(`${file}: no tickets`);
  return lines;
}

/** `2026-11-20T09:05:00+08:00` (Shanghai time, whole seconds), as hotlines send it. */
function shanghaiIso(ms: number): string {
  const s = new Date(Math.floor(ms / 1000) * 1000 + 8 * 3600_000).toISOString();
  return `${s.slice(0, 19)}+08:00`;
}

const idField = (source: Source) => (source === '12345' ? 'ticketId' : 'caseNo');

/** This run's copies of the tickets: times moved to end just before now, ids made unique to the run. */
export function prepareTickets(lines: Line[], now: Date, runId: string): { source: Source; fileId: string; ticket: Record<string, unknown> }[] {
  const times = lines.map((l) => Date.parse(l.ticket['receivedAt'] as string));
  const shift = now.getTime() - LATEST_BEFORE_NOW_MS - Math.max(...times);
  return lines.map((l, i) => {
    const fileId = l.ticket[idField(l.source)] as string;
    const at = times[i]! + shift;
    // Ids carry the hotline's date (WH-20261120-…): keep them consistent with the moved time.
    const day = shanghaiIso(at).slice(0, 10).replace(/-/g, '');
    const ticketId = `${fileId.replace(/20\d{6}/, day)}-${runId}`.slice(0, 64);
    return { source: l.source, fileId, ticket: { ...l.ticket, [idField(l.source)]: ticketId, receivedAt: shanghaiIso(at) } };
  });
}

/** Terminal columns of a string (CJK characters take two). */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

/** GETs JSON; `T` is the body shape the caller expects of a successful answer (not checked at runtime). */
async function getJson<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // leave as text
  }
  return { status: r.status, body: body as T };
}

export async function runDemo(rt: LocalRuntime, opts: DemoOptions = {}): Promise<DemoSummary> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const env = opts.env ?? process.env;
  const now = (opts.now ?? (() => new Date()))();
  const runId = opts.runId ?? `${now.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
  const file = opts.file ?? DEFAULT_DEMO_FILE;
  const secrets = new EnvSecrets(env);
  // Operators read within their agency's jurisdiction (docs/jurisdiction.md): each region is read by the operator of
  // the 12345 centre responsible for it, and "all regions" is the sum over the directory's top regions (cities).
  const operators = new Map<string, Promise<string>>();
  const operatorFor = (regionCode: string): Promise<string> => {
    const centre = directory.resolve(regionCode, 'dispatch-center')?.agency.id ?? `${directory.defaultRegion}:dispatch-center`;
    const known = operators.get(centre);
    if (known) return known;
    const t = signDevToken({ role: 'operator', agencyId: centre, secret: devJwtSecret(env).secret, now });
    operators.set(centre, t);
    return t;
  };

  const prepared = prepareTickets(await loadDemoFile(file), now, runId);

  // 1. Each hotline POSTs its tickets, signed with its own secret, in batches ({"tickets":[...]}).
  const answers = new Map<string, { status: DemoTicket['ingest']; caseId: string }>();
  const posted: string[] = [];
  for (const source of SOURCES) {
    const mine = prepared.filter((p) => p.source === source);
    for (let i = 0; i < mine.length; i += BATCH) {
      const batch = mine.slice(i, i + BATCH);
      const r = await postTickets(rt.url, source, await secrets.secretFor(source), { tickets: batch.map((b) => b.ticket) });
      if (r.status !== 202) {
        throw new Error(`POST /v1/hotlines/${source}/tickets answered ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
      }
      const results = (r.body as { results: { ticketId: string; status: 'accepted' | 'duplicate'; caseId: string }[] }).results;
      results.forEach((x, k) => {
        answers.set(`${source}|${batch[k]!.ticket[idField(source)] as string}`, { status: x.status, caseId: x.caseId });
      });
    }
    if (mine.length) {
      const n = (st: string) => mine.filter((m) => answers.get(`${source}|${m.ticket[idField(source)] as string}`)?.status === st).length;
      posted.push(
        `POST /v1/hotlines/${source}/tickets (${SOURCE_ZH[source]}), signed with its own secret → 202: ${n('accepted')} accepted${n('duplicate') ? `, ${n('duplicate')} duplicate` : ''}`,
      );
    }
  }

  // 2. Wait until the process function has handled (or dead-lettered) every one.
  await rt.drained();

  // 3. Where did each go?
  const caseIds = prepared.map((p) => answers.get(`${p.source}|${p.ticket[idField(p.source)] as string}`)?.caseId).filter((x): x is string => !!x);
  const records = new Map((await rt.store.getMany(caseIds)).map((c) => [c.caseId, c] as const));
  const inDlq = new Set(rt.processDlq.peek().map((m) => (JSON.parse(m.body) as { caseId?: string }).caseId));
  const tickets: DemoTicket[] = prepared.map((p) => {
    const ticketId = p.ticket[idField(p.source)] as string;
    const a = answers.get(`${p.source}|${ticketId}`);
    const c: CaseRecord | undefined = a ? records.get(a.caseId) : undefined;
    return {
      source: p.source,
      fileId: p.fileId,
      ticketId,
      caseId: a?.caseId ?? '',
      ingest: a?.status ?? 'rejected',
      status: c && !inDlq.has(c.caseId) ? c.status : 'received',
      kind: c?.kind ?? 'ticket',
      domain: c?.decision?.domain ?? null,
      clue: c?.decision?.clue ?? null,
      agencyId: c?.agencyId ?? null,
      needsReview: c?.decision?.needsReview ?? false,
      referrals: (c?.referrals ?? []).map((r) => ({ caseId: r.caseId, agencyId: r.agencyId })),
      clusterIds: [...(c?.clusterIds ?? [])],
    };
  });

  // Clusters (类案), read as an operator reads them: GET /v1/clusters?region=
  const ourIds = new Set(caseIds);
  const clusterIds = [...new Set(tickets.flatMap((t) => t.clusterIds))];
  const regions = [...new Set(tickets.filter((t) => t.clusterIds.length).map((t) => records.get(t.caseId)!.regionCode))];
  const referred = new Set(tickets.flatMap((t) => t.referrals.map((r) => r.caseId)));
  const clusters: DemoCluster[] = [];
  for (const region of regions) {
    const r = await getJson<{ items: (ClusterRecord & { status: string })[] }>(`${rt.url}/v1/clusters?region=${region}&limit=100`, await operatorFor(region));
    if (r.status !== 200) throw new Error(`GET /v1/clusters?region=${region} answered ${r.status}`);
    for (const c of r.body.items) {
      if (!clusterIds.includes(c.clusterId)) continue;
      clusters.push({
        clusterId: c.clusterId,
        ruleId: c.ruleId,
        regionCode: c.regionCode,
        keyKind: c.keyKind,
        groupKey: c.groupKey,
        caseIds: c.caseIds,
        demoCaseIds: c.caseIds.filter((id) => ourIds.has(id)),
        clue: c.clue,
        clueCaseId: c.clueCaseId,
        agencyId: c.agencyId,
        detected: referred.has(c.clueCaseId),
      });
    }
  }

  // A case counted before its group reached the threshold is a member too, though its record does not name the cluster.
  for (const t of tickets) for (const c of clusters) if (c.caseIds.includes(t.caseId) && !t.clusterIds.includes(c.clusterId)) t.clusterIds.push(c.clusterId);

  // Clue referrals (线索移送) and their departments' work lists and queues.
  const clueRecords = await rt.store.getMany([...referred]);
  const lists = new Map<string, Set<string>>();
  for (const dept of new Set(clueRecords.map((c) => c.agencyId!))) {
    const deptRegion = directory.get(dept)?.regionCode ?? directory.defaultRegion;
    const r = await getJson<{ items: { caseId: string }[] }>(
      `${rt.url}/v1/agencies/${encodeURIComponent(dept)}/cases?status=dispatched&limit=100`,
      await operatorFor(deptRegion),
    );
    lists.set(dept, new Set(r.status === 200 ? r.body.items.map((i) => i.caseId) : []));
  }
  const clues: DemoClue[] = clueRecords.map((c) => ({
    caseId: c.caseId,
    parentCaseId: c.parentCaseId ?? null,
    clusterId: c.clusterId ?? null,
    clue: c.decision?.clue ?? 'unknown',
    agencyId: c.agencyId!,
    status: c.status,
    inDepartmentList: lists.get(c.agencyId!)?.has(c.caseId) ?? false,
    inDepartmentQueue:
      rt.agencyQueues
        .get(c.agencyId!)
        ?.queue.peek()
        .some((m) => (JSON.parse(m.body) as { detail?: { caseId?: string } }).detail?.caseId === c.caseId) ?? false,
  }));

  // The joint monthly report (联合月报) of this month, all regions: each city's, read by its own operator, summed.
  const month = monthOf(now.toISOString());
  const report = {} as Record<Metric, number>;
  const cityOperators = new Set(
    await Promise.all(
      directory
        .listRegions()
        .filter((r) => r.parent === null)
        .map((r) => operatorFor(r.code)),
    ),
  );
  for (const token of cityOperators) {
    const rep = await getJson<{ totals: Record<Metric, number> }>(`${rt.url}/v1/reports/monthly?month=${month}`, token);
    if (rep.status !== 200) throw new Error(`GET /v1/reports/monthly answered ${rep.status}`);
    for (const [m, n] of Object.entries(rep.body.totals) as [Metric, number][]) report[m] = (report[m] ?? 0) + n;
  }

  const transferCaseIds = tickets.filter((t) => t.kind === 'transfer').map((t) => t.caseId);
  const counts: DemoSummary['counts'] = {
    sent: prepared.length,
    accepted: tickets.filter((t) => t.ingest === 'accepted').length,
    duplicate: tickets.filter((t) => t.ingest === 'duplicate').length,
    rejected: tickets.filter((t) => t.ingest === 'rejected').length,
    dispatched: tickets.filter((t) => t.status === 'dispatched').length,
    needsReview: tickets.filter((t) => t.status === 'needs_review').length,
    deadLettered: tickets.filter((t) => t.ingest !== 'rejected' && t.status === 'received').length,
    transfers: transferCaseIds.length,
    clues: clues.length,
    clusters: clusters.length,
  };
  const summary: DemoSummary = {
    runId,
    month,
    tickets,
    counts,
    clusterIds: clusters.map((c) => c.clusterId),
    clueCaseIds: clues.map((c) => c.caseId),
    transferCaseIds,
    clusters,
    clues,
    report,
  };
  // The commands printed at the end are for the region of the first cluster, with its city's operator.
  const shownRegion = clusters[0]?.regionCode ?? directory.defaultRegion;
  print(summary, { log, url: rt.url, operator: await operatorFor(shownRegion), shownRegion, records, file, posted });
  return summary;
}

function print(
  s: DemoSummary,
  ctx: {
    log: (line: string) => void;
    url: string;
    /** An operator token whose jurisdiction covers `shownRegion`, the region the printed commands look at. */
    operator: string;
    shownRegion: string;
    records: Map<string, CaseRecord>;
    file: string;
    posted: string[];
  },
): void {
  const { log } = ctx;
  const days = new Set(s.tickets.map((t) => ctx.records.get(t.caseId)?.receivedAt.slice(0, 10))).size;
  log('');
  log(`Demo day (演示日): ${s.counts.sent} tickets from ${ctx.file.split('/').slice(-2).join('/')}, received over the last ${days} days`);
  for (const p of ctx.posted) log(`  ${p}`);
  log('');
  const rows = s.tickets.map((t) => {
    const route = t.status === 'received' ? 'NOT PROCESSED (dead-lettered)' : (t.agencyId ?? '?');
    const notes: string[] = [];
    if (t.kind === 'transfer') notes.push('transfer 移送');
    else if (t.needsReview) notes.push('needs review 待人工分拨');
    else if (t.source === '12309' && t.status !== 'received') notes.push('kept 检察院自办');
    const cluster = s.clusters.find((c) => t.clusterIds.includes(c.clusterId));
    const own = t.referrals.find((r) => !s.clusters.some((c) => c.clueCaseId === r.caseId));
    if (own) notes.push(`${t.clue} → ${own.agencyId}`);
    else if (t.clue && t.clue !== 'none') notes.push(`clue ${t.clue}`);
    if (cluster)
      notes.push(`类案 "${cluster.groupKey}"${t.referrals.some((r) => r.caseId === cluster.clueCaseId) ? ` → ${cluster.clue} → ${cluster.agencyId}` : ''}`);
    return [t.source, t.caseId, t.domain ? `${t.domain} ${DOMAIN_NAMES_ZH[t.domain as Domain] ?? ''}` : '-', route, notes.join(', ')];
  });
  const header = ['src', 'case 案件', 'domain 领域', 'agency 承办单位', 'transfer 移送 / clue 线索 → department 检察部门'];
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  log(fmt(header));
  for (const r of rows) log(fmt(r));
  log('');

  const c = s.counts;
  const kept = s.tickets.filter((t) => t.source === '12309' && t.kind !== 'transfer' && t.status !== 'received').length;
  log(
    `Processed: ${c.dispatched} dispatched 派单 (${c.transfers} of them 12309 transfers 移送, ${kept} kept by the procuratorate), ` +
      `${c.needsReview} to manual review 待人工分拨, ${c.deadLettered} dead-lettered${c.duplicate ? `, ${c.duplicate} duplicate` : ''}${c.rejected ? `, ${c.rejected} rejected` : ''}`,
  );
  log('');
  const detected = s.clusters.filter((x) => x.detected).length;
  log(
    `Similar cases (类案): ${s.clusters.length ? `${detected} detected${s.clusters.length > detected ? `, ${s.clusters.length - detected} joined (made by an earlier run)` : ''}` : 'none'}`,
  );
  for (const cl of s.clusters) {
    const label =
      clusterRules
        .find((r) => r.id === cl.ruleId)
        ?.label.split('/')[0]
        ?.trim() ?? '';
    log(
      `  ${cl.ruleId} ${label}: region ${cl.regionCode}, ${cl.keyKind} "${cl.groupKey}", ${cl.caseIds.length} cases ` +
        `→ clue ${cl.clue} → ${cl.agencyId}  (${cl.clusterId})`,
    );
  }
  log('');
  log(`Clue referrals (线索移送): ${s.clues.length}, each in its procuratorate department's work list and queue`);
  for (const cl of s.clues) {
    const from = cl.clusterId ? `cluster ${cl.clusterId}` : `case ${cl.parentCaseId}`;
    const where = cl.inDepartmentList && cl.inDepartmentQueue ? 'listed and queued' : cl.inDepartmentList ? 'listed, NOT queued' : 'NOT listed';
    log(`  ${cl.caseId}  ${pad(cl.clue, 19)} → ${pad(cl.agencyId, 27)} ${cl.status}, ${where}  (from ${from})`);
  }
  log('');
  const r = s.report;
  log(
    `Joint monthly report (联合月报) ${s.month}, all regions: received 受理 ${r.received}, clues referred 移送线索 ${r.cluesReferred}, ` +
      `signed 签收 ${r.signed}, replied 办结 ${r.replied}, overdue 超期 ${r.overdue}`,
  );
  log('');
  const region = ctx.shownRegion;
  const covered = (agencyId: string) => directory.coversAgency(directory.resolve(region, 'dispatch-center')?.agency.id ?? null, agencyId);
  const clue = s.clues.find((c) => covered(c.agencyId));
  const dept = s.clusters[0]?.agencyId ?? clue?.agencyId ?? `${directory.defaultRegion}:procuratorate.pil`;
  const someCase = clue?.caseId ?? s.tickets.find((t) => t.agencyId && covered(t.agencyId))?.caseId ?? '<caseId>';
  log(`Look further (the operator token of ${region}'s 12345 centre, valid 8 h; an agency mints its own with npm run token):`);
  log(`  T=${ctx.operator}`);
  log(`  curl -s -H "authorization: Bearer $T" '${ctx.url}/v1/agencies/${dept}/cases?status=dispatched'   # a department's queue`);
  log(`  curl -s -H "authorization: Bearer $T" '${ctx.url}/v1/cases/${someCase}'   # a clue and its history`);
  log(`  curl -s -H "authorization: Bearer $T" '${ctx.url}/v1/clusters?region=${region}'   # similar cases 类案`);
  log(
    `  curl -s -H "authorization: Bearer $T" '${ctx.url}/v1/reports/monthly?month=${s.month}&format=csv' -o report-${s.month}.csv   # 联合月报, opens in Excel`,
  );
}

/**
 * Use cases of 府检联动 on the agency API (product.md §9): issue a procuratorial recommendation (检察建议), list
 * similar-case clusters (类案), read the joint monthly report. Who may: the procuratorate's departments (any agency
 * whose kind is `procuratorate.*`) and operators; recommendations are issued by a department's agents and
 * supervisors only. Everyone only within the jurisdiction of their agency (docs/jurisdiction.md): clusters and
 * report rows of other regions are left out, a region named outside it is 403, a cluster outside it is as missing.
 */
import type { CaseRecord } from '../domain/case/case.js';
import { clusterStatus, type ClusterRecord, type ClusterStatus } from '../domain/linkage/cluster-record.js';
import { issueRecommendation, linkedCaseEvents, recommendationIdFor } from '../domain/linkage/referral.js';
import { monthlyReport, type MonthlyReport } from '../domain/report/format.js';
import { KPI_LABELS, KPI_NAMES, kpisOf, type KpiName, type KpiValue } from '../domain/report/kpis.js';
import { METRICS, type Metric } from '../domain/report/tally.js';
import { derivedId } from '../domain/case/case-id.js';
import { parseAgencyId, type AgencyId } from '../domain/taxonomy.js';
import type { Principal } from '../auth/principal.js';
import type { CaseStore, LinkageStore, Page } from '../ports/case-store.js';
import { VersionConflictError } from '../ports/errors.js';
import { readCase } from './case-actions.js';
import { CaseNotFoundError, ForbiddenError, InvalidActionInputError } from './errors.js';
import { createLinked } from './save-change.js';
import { auditRecord } from './audit.js';
import type { CaseRules } from './rules.js';

export interface LinkageDeps {
  store: CaseStore & LinkageStore;
  now: () => Date;
  /** The directory, deadlines and timer rules (functions/config/deployed.ts when deployed). */
  rules: Pick<CaseRules, 'directory' | 'deadlinesFor' | 'policy' | 'calendar' | 'retention' | 'kpis'>;
}

/** A procuratorate department (公益诉讼、民事、行政、刑事、控告申诉、未成年人检察部门). */
export const isProcuratorate = (agencyId: string | null | undefined): boolean => !!agencyId && !!parseAgencyId(agencyId)?.kind.startsWith('procuratorate');

/**
 * Operators and procuratorate departments read clusters and the joint report, of the regions their agency covers:
 * the one region asked for (403 when outside: the caller named it, so that reveals nothing), or all of them.
 */
function readableRegions(deps: LinkageDeps, p: Principal, regionCode: string | undefined): string[] {
  if (p.role !== 'operator' && !isProcuratorate(p.agencyId)) throw new ForbiddenError('operators and procuratorate departments only');
  const j = deps.rules.directory;
  if (regionCode === undefined) return j.regionsOf(p.agencyId).map((r) => r.code);
  if (!j.covers(p.agencyId, regionCode)) throw new ForbiddenError(`region ${regionCode} is outside the jurisdiction of ${p.agencyId}`);
  return [regionCode];
}

export interface RecommendationRequest {
  agencyId: string;
  content: string;
  urgent: boolean;
  subjectCaseId?: string | undefined;
  clusterId?: string | undefined;
  requestId?: string | undefined;
}

export interface IssuedRecommendation {
  case: CaseRecord;
  /** False when this request had been made before: the recommendation it made is returned. */
  created: boolean;
  eventIds: string[];
}

/** Issues a 检察建议 to an agency about a case the department can read (e.g. its clue) or a cluster. */
export async function issueRecommendationAction(deps: LinkageDeps, p: Principal, req: RecommendationRequest): Promise<IssuedRecommendation> {
  if (p.role === 'operator' || p.role === 'dispatcher' || !isProcuratorate(p.agencyId))
    throw new ForbiddenError('recommendations are issued by procuratorate departments');
  const issuedBy = p.agencyId as AgencyId;
  const directory = deps.rules.directory;
  const target = directory.get(req.agencyId);
  if (!target) throw new InvalidActionInputError('agencyId', `unknown agency ${req.agencyId}`);
  if (isProcuratorate(target.id) || target.kind === 'dispatch-center')
    throw new InvalidActionInputError('agencyId', 'a recommendation goes to a government agency');
  if (!directory.coversAgency(issuedBy, target.id)) throw new InvalidActionInputError('agencyId', `${target.id} is outside the jurisdiction of ${issuedBy}`);

  let cluster: ClusterRecord | undefined;
  if (req.clusterId) {
    cluster = await deps.store.getCluster(req.clusterId);
    // Another region's cluster is answered exactly like a missing one.
    if (!cluster || !directory.covers(issuedBy, cluster.regionCode)) throw new InvalidActionInputError('clusterId', 'no such cluster');
  }
  const subjectId = req.subjectCaseId ?? cluster?.clueCaseId;
  if (!subjectId) throw new InvalidActionInputError('subjectCaseId', 'name the case or the cluster the recommendation is about');
  // The subject must be a case the department may read, a cluster's clue included (the same check as any case):
  // an unreadable subject is answered like a missing one.
  const subject = await readCase(deps, p, subjectId).catch((e: unknown) => {
    if (e instanceof CaseNotFoundError) return undefined;
    throw e;
  });
  if (!subject) {
    if (req.subjectCaseId) throw new InvalidActionInputError('subjectCaseId', 'no such case');
    throw new InvalidActionInputError('clusterId', "the cluster's clue is not a case of your department");
  }
  const at = deps.now().toISOString();
  const requestId = req.requestId ?? derivedId('req', [subjectId, req.clusterId ?? '', target.id, req.content.trim()].join('\n'));
  const rec = issueRecommendation(
    subject,
    {
      issuedBy,
      agencyId: target.id,
      content: req.content,
      urgent: req.urgent,
      domain: cluster?.domain ?? subject.decision?.domain ?? 'other',
      clue: cluster?.clue ?? subject.decision?.clue ?? 'none',
      subjectCaseId: subject.caseId,
      clusterId: req.clusterId,
      requestId,
    },
    at,
    deps.rules.deadlinesFor,
  );

  // The person who issued it: on its first history entry and in an audit record written with it.
  if (p.sub) rec.history[0]!.actorSub = p.sub;
  let stored = rec;
  let created = true;
  try {
    await createLinked(deps.store, [rec], { audit: [auditRecord(p, rec, 'recommend', at, deps.rules.retention, rec.version)] });
  } catch (e) {
    if (!(e instanceof VersionConflictError)) throw e;
    // The same request again (a retry): answer with what the first one made (the relay published its events).
    stored = (await deps.store.get(recommendationIdFor(issuedBy, requestId))) ?? throwNotFound(rec.caseId);
    created = false;
  }
  // The stored case is the outbox: the relay publishes these events and sets the recommendation's timer.
  const events = linkedCaseEvents(stored);
  return { case: stored, created, eventIds: events.map((e) => e.detail.eventId) };
}

function throwNotFound(caseId: string): never {
  throw new CaseNotFoundError(caseId);
}

export interface ClusterQuery {
  regionCode?: string | undefined;
  status?: ClusterStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface ClusterView extends ClusterRecord {
  status: ClusterStatus;
}

/** Clusters of one region (paged, newest first) or of every region the caller covers (first page of each), optionally by status. */
export async function listClusters(deps: LinkageDeps, p: Principal, q: ClusterQuery): Promise<Page<ClusterView>> {
  const regions = readableRegions(deps, p, q.regionCode);
  const now = deps.now();
  const items: ClusterView[] = [];
  let nextCursor: string | undefined;
  for (const region of regions) {
    const page = await deps.store.listClusters(region, { limit: q.limit, cursor: q.regionCode ? q.cursor : undefined });
    for (const c of page.items) {
      const status = clusterStatus(c, now);
      if (!q.status || q.status === status) items.push({ ...c, status });
    }
    if (q.regionCode) nextCursor = page.nextCursor;
  }
  return nextCursor ? { items, nextCursor } : { items };
}

/** The joint monthly report of one region (or of every region the caller covers), from the incrementally kept counters. */
export async function readMonthlyReport(deps: LinkageDeps, p: Principal, month: string, regionCode?: string): Promise<MonthlyReport> {
  const regions = readableRegions(deps, p, regionCode);
  const rows = (await Promise.all(regions.map((r) => deps.store.reportRows(month, r)))).flat();
  return monthlyReport(month, regions, rows, (id) => deps.rules.directory.get(id)?.name, deps.rules.kpis);
}

export interface KpiRequest {
  /** `YYYY-MM`, inclusive. */
  from: string;
  to: string;
  region?: string | undefined;
  agencyId?: string | undefined;
}

export interface KpiReport {
  from: string;
  to: string;
  regions: string[];
  agencyId: string | null;
  /** The counters the rates are computed from (docs/kpis.md). */
  counts: Record<Metric, number>;
  kpis: Record<KpiName, KpiValue & { label: string }>;
  minimumSample: number;
}

/** The months from `from` to `to`, inclusive (`YYYY-MM`). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) return out;
    out.push(month);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

/**
 * The rates (一次派准率, 退单率, 异议成立率, on-time sign-for and reply, 响应率/解决率/满意率) over months, a region and an
 * agency, from the incrementally kept counters. Operators and procuratorate departments read any agency of their
 * jurisdiction; other staff read their own agency's only (403 otherwise).
 */
export async function readKpis(deps: LinkageDeps, p: Principal, q: KpiRequest): Promise<KpiReport> {
  let regions: string[];
  if (p.role === 'operator' || isProcuratorate(p.agencyId)) {
    regions = readableRegions(deps, p, q.region);
    if (q.agencyId && !deps.rules.directory.coversAgency(p.agencyId, q.agencyId))
      throw new ForbiddenError(`${q.agencyId} is outside the jurisdiction of ${p.agencyId}`);
  } else {
    if (q.agencyId !== p.agencyId) throw new ForbiddenError('agency staff read the rates of their own agency: name it as agencyId');
    if (q.region !== undefined && !deps.rules.directory.covers(p.agencyId, q.region))
      throw new ForbiddenError(`region ${q.region} is outside the jurisdiction of ${p.agencyId}`);
    regions = q.region !== undefined ? [q.region] : deps.rules.directory.regionsOf(p.agencyId).map((r) => r.code);
  }
  const months = monthsBetween(q.from, q.to);
  const rows = (await Promise.all(months.flatMap((m) => regions.map((r) => deps.store.reportRows(m, r))))).flat();
  const counts = Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;
  for (const r of rows) {
    if (q.agencyId && r.key.agencyId !== q.agencyId) continue;
    for (const m of METRICS) counts[m] += r.counts[m] ?? 0;
  }
  const values = kpisOf(counts, deps.rules.kpis);
  const kpis = Object.fromEntries(KPI_NAMES.map((k) => [k, { label: KPI_LABELS[k], ...values[k] }])) as KpiReport['kpis'];
  return { from: q.from, to: q.to, regions, agencyId: q.agencyId ?? null, counts, kpis, minimumSample: deps.rules.kpis.minimumSample };
}

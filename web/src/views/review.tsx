/**
 * The dispatcher's 争议与合并: returns under dispute (派单异议) to uphold (reroute, by default to the agency the
 * return suggested) or reject (back to the agency that returned it, with a reason), each with its decide-by
 * countdown; and the tickets merged into open cases as repeat requests (重复诉求合并), each with the case it joined
 * and how it was matched, to split out when the merge was wrong.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { DOMAIN_LABELS, agencyName, ruleOf } from '../facts';
import { label, MERGE_MATCH_LABELS, RETURN_REASON_LABELS, STATUS_LABELS } from '../labels';
import { showTime } from '../time';
import type { CaseView, Dispute, ListItem, Page } from '../types';
import { routeTargets } from './case-detail';
import { DueBadge, Message, useNow, type ViewProps } from './common';

/** The dispute nobody has decided yet: the last one, while it has no outcome. */
export const openDispute = (c: Pick<CaseView, 'disputes'>): Dispute | undefined => {
  const d = c.disputes.at(-1);
  return d && !d.outcome ? d : undefined;
};

/** The agency's own words when it returned the case (the return's history note, without its `[kind → agency]` tag). */
function returnReason(c: CaseView, d: Dispute): string {
  const note = c.history.find((h) => h.version === d.version)?.note ?? '';
  return note.replace(/^\[[^\]]*\]\s*/, '');
}

/** The cases of a status in the dispatch center's queue, as full views (the lists carry no dispute or merge). */
export async function casesIn(props: Pick<ViewProps, 'api' | 'session'>, status: string, limit = 100): Promise<CaseView[]> {
  const page = await props.api.get<Page<ListItem>>(`/v1/agencies/${encodeURIComponent(props.session.agencyId)}/cases?status=${status}&limit=${limit}`);
  return Promise.all(page.items.map((i) => props.api.get<CaseView>(`/v1/cases/${encodeURIComponent(i.caseId)}`)));
}

function DisputeCard({ c, d, props, onDecided }: { c: CaseView; d: Dispute; props: ViewProps; onDecided: (c: CaseView, text: string) => void }) {
  const now = useNow();
  const targets = routeTargets(props.session.agencyId).filter((a) => a.id !== d.fromAgencyId);
  const [agencyId, setAgencyId] = useState(d.suggestedAgencyId && targets.some((t) => t.id === d.suggestedAgencyId) ? d.suggestedAgencyId : '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const uphold = ruleOf(c.kind, 'uphold');
  const reject = ruleOf(c.kind, 'reject');
  const decide = async (action: 'uphold' | 'reject', body: Record<string, string>) => {
    setBusy(true);
    setError('');
    try {
      const next = await props.api.post<CaseView>(`/v1/cases/${encodeURIComponent(c.caseId)}/${action}`, body, c.kind);
      onDecided(
        next,
        action === 'uphold'
          ? `${c.sourceTicketId}：异议成立，已改派至 ${agencyName(next.agencyId)}`
          : `${c.sourceTicketId}：异议不成立，已退回 ${agencyName(next.agencyId)}`,
      );
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card dispute" data-case={c.caseId}>
      <h3>
        {c.sourceTicketId} <span class={`status s-${c.status}`}>{label(STATUS_LABELS, c.status)}</span>{' '}
        <span class="muted">{label(DOMAIN_LABELS, c.domain)}</span>
      </h3>
      <dl>
        <dt>退单单位</dt>
        <dd data-testid="from-agency">{agencyName(d.fromAgencyId)}</dd>
        <dt>退单类型</dt>
        <dd data-testid="reason-kind">{label(RETURN_REASON_LABELS, d.reasonKind)}</dd>
        <dt>退单理由</dt>
        <dd>{returnReason(c, d) || '—'}</dd>
        <dt>建议承办单位</dt>
        <dd data-testid="suggested">{d.suggestedAgencyId ? agencyName(d.suggestedAgencyId) : '未建议'}</dd>
        <dt>审核期限</dt>
        <dd>
          {showTime(d.decideBy)} <DueBadge dueAt={d.decideBy} since={d.openedAt} now={now} />
        </dd>
      </dl>
      <p class="content">{c.content}</p>
      <div class="decide">
        <form
          class="inline"
          data-decision="uphold"
          onSubmit={(e) => {
            e.preventDefault();
            void decide('uphold', agencyId ? { agencyId } : {});
          }}
        >
          <select name="agencyId" value={agencyId} onChange={(e) => setAgencyId(e.currentTarget.value)}>
            <option value="">选择改派单位</option>
            {targets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.id === d.suggestedAgencyId ? '（退单单位建议）' : ''}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy || !agencyId}>
            {uphold?.label ?? 'uphold'}
          </button>
        </form>
        <form
          class="inline"
          data-decision="reject"
          onSubmit={(e) => {
            e.preventDefault();
            void decide('reject', { reason: reason.trim() });
          }}
        >
          <input name="reason" placeholder="驳回理由（必填）" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="submit" disabled={busy || !reason.trim()}>
            {reject?.label ?? 'reject'}
          </button>
        </form>
      </div>
      <Message text={error} kind="error" />
    </section>
  );
}

function MergedTable({ cases, props, onSplit }: { cases: CaseView[]; props: ViewProps; onSplit: (c: CaseView) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');
  const split = async (c: CaseView) => {
    setBusy(c.caseId);
    setError('');
    try {
      onSplit(await props.api.post<CaseView>(`/v1/cases/${encodeURIComponent(c.caseId)}/split`, {}, c.kind));
    } catch (err) {
      setError(`${c.sourceTicketId}：${err instanceof ApiError ? err.message : String(err)}`);
    } finally {
      setBusy('');
    }
  };
  if (cases.length === 0) return <p class="muted">没有被合并的重复诉求</p>;
  return (
    <>
      <Message text={error} kind="error" />
      <div class="scroll">
        <table class="nowrap" data-testid="merged-table">
          <thead>
            <tr>
              <th>工单</th>
              <th>领域</th>
              <th>受理</th>
              <th>并入案件</th>
              <th>承办单位</th>
              <th>匹配方式</th>
              <th>内容</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.caseId} data-merged={c.caseId}>
                <td>{c.sourceTicketId}</td>
                <td>{label(DOMAIN_LABELS, c.domain)}</td>
                <td>{showTime(c.receivedAt)}</td>
                <td data-testid="merged-into">{c.mergedInto ?? '—'}</td>
                <td>{agencyName(c.merge?.agencyId)}</td>
                <td data-testid="match">{label(MERGE_MATCH_LABELS, c.merge?.match)}</td>
                <td class="excerpt" title={c.content}>
                  {c.content.length > 40 ? `${c.content.slice(0, 40)}…` : c.content}
                </td>
                <td>
                  <button type="button" disabled={busy === c.caseId} onClick={() => void split(c)}>
                    {ruleOf(c.kind, 'split')?.label ?? 'split'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ReviewView(props: ViewProps) {
  const [disputed, setDisputed] = useState<CaseView[]>();
  const [merged, setMerged] = useState<CaseView[]>();
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setError('');
    try {
      const [returned, mergedCases] = await Promise.all([casesIn(props, 'returned'), casesIn(props, 'merged')]);
      setDisputed(returned.filter((c) => openDispute(c)).sort((a, b) => openDispute(a)!.decideBy.localeCompare(openDispute(b)!.decideBy)));
      setMerged(mergedCases);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [props.api, props.session.agencyId]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div data-testid="review">
      <div class="toolbar">
        <span>派单异议按审核期限排序；重复诉求按受理时间排序</span>
        <button type="button" class="link" onClick={() => void load()}>
          刷新
        </button>
      </div>
      <Message text={error} kind="error" />
      <Message text={done} kind="ok" />
      <h2 class="section">派单异议（退单审核）{disputed && <span class="count">{disputed.length}</span>}</h2>
      {disputed?.length === 0 && <p class="muted">没有待审核的退单异议</p>}
      {disputed?.map((c) => (
        <DisputeCard
          key={c.caseId}
          c={c}
          d={openDispute(c)!}
          props={props}
          onDecided={(next, text) => {
            setDone(text);
            setDisputed(disputed.filter((x) => x.caseId !== next.caseId));
          }}
        />
      ))}
      <h2 class="section">重复诉求合并{merged && <span class="count">{merged.length}</span>}</h2>
      <section class="card">
        {merged && (
          <MergedTable
            cases={merged}
            props={props}
            onSplit={(next) => {
              setDone(`已拆分 ${next.sourceTicketId}，单独派至 ${agencyName(next.agencyId)}`);
              setMerged(merged.filter((x) => x.caseId !== next.caseId));
            }}
          />
        )}
      </section>
    </div>
  );
}

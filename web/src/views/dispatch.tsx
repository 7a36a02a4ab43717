/**
 * The dispatcher's triage (分拨): the tickets the router flagged (待人工分拨) and those returned (退单) without a
 * dispute to decide, each with the router's evidence and best guess, routed in one step to the guessed agency or
 * another. Returns under dispute (派单异议) are decided in 争议与合并 (review.tsx).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { DOMAIN_LABELS, agencyName } from '../facts';
import { CLUE_LABELS, label, STATUS_LABELS, URGENCY_LABELS } from '../labels';
import { showTime } from '../time';
import type { CaseView } from '../types';
import { routeTargets } from './case-detail';
import { DueBadge, Message, useNow, type ViewProps } from './common';
import { casesIn, openDispute } from './review';

const TRIAGE_STATUSES = ['needs_review', 'returned'] as const;

/**
 * Evidence codes in words: the router writes `domain:<d><=<term>(+w)`, `model:`/`lexicon:<d>(p=…)`,
 * `clue-model:<kind>(p=…)`, `lexicon-clue:<kind>`, `route:…`, `review:…`, `best-guess:…`.
 */
function evidenceInWords(e: string): string {
  const m = /^domain:([a-z_]+)<=(.+)$/.exec(e);
  if (m) return `${label(DOMAIN_LABELS, m[1])}：${m[2]}`;
  const p = /^(model|lexicon):([a-z_]+)\(p=([\d.]+)\)$/.exec(e);
  if (p) return `${p[1] === 'model' ? '模型' : '词典'}判断：${label(DOMAIN_LABELS, p[2])}（${Math.round(Number(p[3]) * 100)}%）`;
  const r = /^runner-up:([a-z_]+)\(/.exec(e);
  if (r) return `次选领域：${label(DOMAIN_LABELS, r[1])}`;
  if (e.startsWith('best-guess:')) return `最可能：${agencyName(e.slice('best-guess:'.length).replace(/\(.*$/, ''))}`;
  const c = /^clue-model:([a-z_]+)\(p=([\d.]+)\)$/.exec(e);
  if (c) return `线索模型：${label(CLUE_LABELS, c[1])}（${Math.round(Number(c[2]) * 100)}%）`;
  const l = /^lexicon-clue:([a-z_]+)$/.exec(e);
  if (l) return `词典规则线索：${label(CLUE_LABELS, l[1])}`;
  if (e.startsWith('review:lexicon-model-disagree')) return '词典与模型意见不一致';
  if (e === 'review:no-domain') return '无法判断领域';
  if (e === 'review:no-matter') return '无具体诉求（仅问候、"同上"等），请人工判断';
  if (e.startsWith('region-fallback:')) return '本区无此单位，归市级';
  return e;
}

function TriageCard({ c, props, onRouted }: { c: CaseView; props: ViewProps; onRouted: (c: CaseView) => void }) {
  const targets = routeTargets(props.session.agencyId);
  const guess = c.routing?.bestGuess;
  const [agencyId, setAgencyId] = useState(guess && targets.some((t) => t.id === guess) ? guess : '');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const now = useNow();
  const route = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      onRouted(await props.api.post<CaseView>(`/v1/cases/${encodeURIComponent(c.caseId)}/route`, { agencyId, ...(note.trim() ? { note: note.trim() } : {}) }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  // The agency's reason when it returned the case (退单); the dispatch's own entry is not a return.
  const returned = [...c.history].reverse().find((h) => h.to === 'returned' || (h.to === 'needs_review' && h.from !== 'received'));
  return (
    <section class="card triage" data-case={c.caseId}>
      <h3>
        {c.sourceTicketId} <span class={`status s-${c.status}`}>{label(STATUS_LABELS, c.status)}</span>{' '}
        <DueBadge dueAt={c.dueAt} since={c.receivedAt} now={now} />
      </h3>
      <p class="content">{c.content}</p>
      <p class="muted">
        受理 {showTime(c.receivedAt)} · {label(URGENCY_LABELS, c.urgency)}
        {c.clue && c.clue !== 'none' ? ` · ${label(CLUE_LABELS, c.clue)}` : ''}
        {returned?.note ? ` · 退单理由：${returned.note}` : ''}
      </p>
      {c.routing && (
        <div class="evidence">
          <b>系统判断：</b>
          {label(DOMAIN_LABELS, c.domain)}，最可能由 <b data-testid="best-guess">{agencyName(c.routing.bestGuess)}</b> 办理（置信度{' '}
          {Math.round(c.routing.confidence * 100)}%）
          <ul>
            {c.routing.evidence.map((e) => (
              <li key={e} title={e}>
                {evidenceInWords(e)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form class="inline" onSubmit={route}>
        <select name="agencyId" value={agencyId} onChange={(e) => setAgencyId(e.currentTarget.value)}>
          <option value="">选择承办单位</option>
          {targets.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.id === guess ? '（系统建议）' : ''}
            </option>
          ))}
        </select>
        <input name="note" placeholder="备注（可选）" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <button type="submit" disabled={!agencyId}>
          分拨
        </button>
      </form>
      <Message text={error} kind="error" />
    </section>
  );
}

export function DispatchView(props: ViewProps) {
  const [cases, setCases] = useState<CaseView[]>();
  const [disputes, setDisputes] = useState(0);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setError('');
    try {
      const all = (await Promise.all(TRIAGE_STATUSES.map((s) => casesIn(props, s, 50)))).flat();
      setCases(all.filter((c) => !openDispute(c)));
      setDisputes(all.filter((c) => openDispute(c)).length);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }, [props.api, props.session.agencyId]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div>
      <div class="toolbar">
        <span>待人工分拨和被退回的工单，按期限排序</span>
        <button type="button" class="link" onClick={() => void load()}>
          刷新
        </button>
      </div>
      <Message text={error} kind="error" />
      <Message text={done} kind="ok" />
      {disputes > 0 && <p class="muted">另有 {disputes} 件退单异议待审核，请在「争议与合并」中处理</p>}
      {cases?.length === 0 && <p class="muted">没有待分拨的工单</p>}
      {cases?.map((c) => (
        <TriageCard
          key={c.caseId}
          c={c}
          props={props}
          onRouted={(r) => {
            setDone(`已将 ${r.sourceTicketId} 分拨至 ${agencyName(r.agencyId)}`);
            setCases(cases.filter((x) => x.caseId !== r.caseId));
          }}
        />
      ))}
    </div>
  );
}

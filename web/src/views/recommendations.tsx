/**
 * Procuratorial recommendations (检察建议): issuing one to a government agency about a case or a cluster, and the
 * ones issued from this browser with their reply deadlines (read back from the API: the issuing department may
 * read them). The API has no list of a department's issued recommendations yet, so the list is kept per browser.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { agencyName, facts, regionsOf } from '../facts';
import { label, STATUS_LABELS } from '../labels';
import { showTime } from '../time';
import type { CaseView } from '../types';
import { DueBadge, Message, useNow, type ViewProps } from './common';

const storeKey = (agencyId: string) => `hotline.console.recommendations.${agencyId}`;
const issuedIds = (agencyId: string): string[] => JSON.parse(localStorage.getItem(storeKey(agencyId)) ?? '[]') as string[];

export function RecommendationsView(props: ViewProps) {
  const me = props.session.agencyId;
  const regions = new Set(regionsOf(me));
  const targets = facts.agencies.filter((a) => regions.has(a.regionCode) && a.kind !== 'dispatch-center' && !a.kind.startsWith('procuratorate'));
  const [form, setForm] = useState({ agencyId: '', subject: '', content: '', urgent: false });
  const [issued, setIssued] = useState<CaseView[]>([]);
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const now = useNow();
  useEffect(() => {
    Promise.all(issuedIds(me).map((id) => props.api.get<CaseView>(`/v1/cases/${encodeURIComponent(id)}`).catch(() => undefined))).then((cs) =>
      setIssued(cs.filter((c): c is CaseView => !!c)),
    );
  }, [props.api, me]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setOk('');
    const subject = form.subject.trim();
    const body = {
      agencyId: form.agencyId,
      content: form.content,
      urgent: form.urgent,
      ...(subject.startsWith('cluster') ? { clusterId: subject } : { subjectCaseId: subject }),
    };
    try {
      const rec = await props.api.post<CaseView>('/v1/recommendations', body);
      localStorage.setItem(storeKey(me), JSON.stringify([rec.caseId, ...issuedIds(me).filter((id) => id !== rec.caseId)]));
      setIssued([rec, ...issued.filter((c) => c.caseId !== rec.caseId)]);
      setOk(`已向 ${agencyName(rec.agencyId)} 发出检察建议，回复期限 ${showTime(rec.dueAt)}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <div class="split">
      <form class="card" onSubmit={submit}>
        <h3>发出检察建议</h3>
        <label>
          被建议单位
          <select name="agencyId" value={form.agencyId} onChange={(e) => setForm({ ...form, agencyId: e.currentTarget.value })}>
            <option value="">请选择</option>
            {targets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          所涉案件编号或类案编号
          <input
            name="subject"
            value={form.subject}
            onInput={(e) => setForm({ ...form, subject: e.currentTarget.value })}
            placeholder="例如本部门受理的线索案件编号"
          />
        </label>
        <label>
          建议内容
          <textarea name="content" rows={4} value={form.content} onInput={(e) => setForm({ ...form, content: e.currentTarget.value })} />
        </label>
        <label class="check">
          <input type="checkbox" checked={form.urgent} onChange={(e) => setForm({ ...form, urgent: e.currentTarget.checked })} /> 紧急（15日内回复，否则2个月）
        </label>
        <button type="submit" disabled={!form.agencyId || !form.subject.trim() || !form.content.trim()}>
          发出
        </button>
        <Message text={error} kind="error" />
        <Message text={ok} kind="ok" />
      </form>
      <section class="card">
        <h3>本部门发出的检察建议（本浏览器）</h3>
        {issued.length === 0 && <p class="muted">尚无记录</p>}
        <table>
          <thead>
            <tr>
              <th>被建议单位</th>
              <th>状态</th>
              <th>回复期限</th>
              <th>回头看</th>
            </tr>
          </thead>
          <tbody>
            {issued.map((c) => (
              <tr key={c.caseId} data-recommendation={c.caseId}>
                <td>{agencyName(c.agencyId)}</td>
                <td>{label(STATUS_LABELS, c.status)}</td>
                <td>
                  {showTime(c.deadlines?.['replyBy'] as string | null)} {c.status !== 'replied' && <DueBadge dueAt={c.dueAt} since={c.receivedAt} now={now} />}
                </td>
                <td>{showTime(c.followUpAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

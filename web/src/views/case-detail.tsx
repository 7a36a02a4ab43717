/**
 * One case: what it is about, its deadlines and history, the contact (unmasked only for the owning agency: the API
 * decides), and the actions the caller may take now with the fields each requires (from the transition table).
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { agencyName, agencyOf, DOMAIN_LABELS, dispatchCenterFor, facts, regionName, regionsOf, ruleOf } from '../facts';
import {
  CLUE_LABELS,
  DISPUTE_OUTCOME_LABELS,
  FIELD_LABELS,
  KIND_LABELS,
  label,
  MERGE_MATCH_LABELS,
  RETURN_REASON_LABELS,
  ROLE_LABELS,
  STATUS_LABELS,
  TICKET_TYPE_LABELS,
  URGENCY_LABELS,
} from '../labels';
import { showTime } from '../time';
import type { CaseView } from '../types';
import { DueBadge, Message, useNow, type ViewProps } from './common';

/** Government agencies a case may be routed to from this dispatch center: in its jurisdiction, not a dispatch center. */
export function routeTargets(dispatchCenter: string) {
  const regions = new Set(regionsOf(dispatchCenter));
  return facts.agencies.filter((a) => regions.has(a.regionCode) && a.kind !== 'dispatch-center');
}

/** Agencies a return may suggest (建议承办单位): those the region's dispatch center routes to, other than the returning one. */
function suggestionTargets(c: CaseView) {
  const center = dispatchCenterFor(c.regionCode);
  return center ? routeTargets(center.id).filter((a) => a.id !== c.agencyId) : [];
}

/** Who made a history entry: `<role>@<agency>` (never a person), a hotline, or the system. */
function actorInWords(by: string): string {
  const at = by.indexOf('@');
  if (at > 0) return `${agencyName(by.slice(at + 1))} · ${label(ROLE_LABELS, by.slice(0, at))}`;
  if (by.startsWith('hotline:')) return `${by.slice('hotline:'.length)} 热线`;
  if (by.startsWith('system:')) return '系统';
  return by;
}

function ActionForm({ c, action, props, onDone }: { c: CaseView; action: string; props: ViewProps; onDone: (c: CaseView, message: string) => void }) {
  const rule = ruleOf(c.kind, action);
  const [values, setValues] = useState<Record<string, string>>({});
  // A suggested agency belongs to the reason kind 属于其他单位职责 only.
  const fields = [...(rule?.requires ?? []), ...(rule?.accepts ?? [])].filter((f) => f !== 'suggestedAgencyId' || values['reasonKind'] === 'other_agency');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: string, v: string) => setValues({ ...values, [k]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f]?.trim();
      if (v) body[f] = f === 'workingDays' ? Number(v) : v;
    }
    try {
      const next = await props.api.post<CaseView>(`/v1/cases/${encodeURIComponent(c.caseId)}/${action}`, body, c.kind);
      onDone(next, `已${rule?.label ?? action}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="action-form" data-action={action} onSubmit={submit}>
      {fields.map((f) => {
        const id = `field-${c.caseId}-${action}-${f}`;
        return (
          <div class="field" key={f}>
            <label htmlFor={id}>
              {FIELD_LABELS[f] ?? f}
              {rule?.requires.includes(f as never) ? ' *' : '（可选）'}
            </label>
            {f === 'workingDays' ? (
              <input
                id={id}
                name={f}
                type="number"
                min={1}
                max={facts.maxExtensionDays}
                value={values[f] ?? ''}
                onInput={(e) => set(f, e.currentTarget.value)}
              />
            ) : f === 'reasonKind' ? (
              <select id={id} name={f} value={values[f] ?? ''} onChange={(e) => set(f, e.currentTarget.value)}>
                <option value="">不选择（其他）</option>
                {facts.returnReasonKinds.map((k) => (
                  <option key={k} value={k}>
                    {label(RETURN_REASON_LABELS, k)}
                  </option>
                ))}
              </select>
            ) : f === 'suggestedAgencyId' ? (
              <select id={id} name={f} value={values[f] ?? ''} onChange={(e) => set(f, e.currentTarget.value)}>
                <option value="">不建议</option>
                {suggestionTargets(c).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            ) : f === 'agencyId' ? (
              <select id={id} name={f} value={values[f] ?? ''} onChange={(e) => set(f, e.currentTarget.value)}>
                <option value="">请选择</option>
                {routeTargets(props.session.agencyId).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            ) : (
              <textarea id={id} name={f} rows={2} value={values[f] ?? ''} onInput={(e) => set(f, e.currentTarget.value)} />
            )}
          </div>
        );
      })}
      <button type="submit" disabled={busy}>
        确认{rule?.label ?? action}
      </button>
      <Message text={error} kind="error" />
    </form>
  );
}

export function CaseDetail({ c, props, onChanged }: { c: CaseView; props: ViewProps; onChanged: (c: CaseView) => void }) {
  const now = useNow();
  const [open, setOpen] = useState<string>();
  const [message, setMessage] = useState('');
  const owner = c.agencyId === props.session.agencyId && props.session.role !== 'operator';
  return (
    <section class="card detail" data-case={c.caseId}>
      <h3>
        {label(KIND_LABELS, c.kind)} {c.sourceTicketId} <span class={`status s-${c.status}`}>{label(STATUS_LABELS, c.status)}</span>
      </h3>
      <dl>
        <dt>领域</dt>
        <dd>{label(DOMAIN_LABELS, c.domain)}</dd>
        <dt>类型</dt>
        <dd>{label(TICKET_TYPE_LABELS, c.ticketType)}</dd>
        <dt>紧急程度</dt>
        <dd>{label(URGENCY_LABELS, c.urgency)}</dd>
        <dt>地区</dt>
        <dd>{regionName(c.regionCode)}</dd>
        <dt>承办单位</dt>
        <dd>{agencyName(c.agencyId)}</dd>
        {c.clue && c.clue !== 'none' && (
          <>
            <dt>线索</dt>
            <dd>{label(CLUE_LABELS, c.clue)}</dd>
          </>
        )}
        <dt>受理时间</dt>
        <dd>{showTime(c.receivedAt)}</dd>
        <dt>期限</dt>
        <dd>
          {showTime(c.dueAt)} <DueBadge dueAt={c.dueAt} since={c.dispatchedAt ?? c.receivedAt} now={now} />
        </dd>
        {c.issuedBy && (
          <>
            <dt>发出检察院部门</dt>
            <dd>{agencyName(c.issuedBy)}</dd>
          </>
        )}
        <dt>诉求数</dt>
        <dd data-testid="requests">
          {c.requests.count} 件{c.requests.merged.length > 0 && '，含合并的重复诉求：'}
          {c.requests.merged.length > 0 && (
            <ul class="merged-list">
              {c.requests.merged.map((m) => (
                <li key={m.caseId} data-merged-ticket={m.caseId}>
                  {m.sourceTicketId}（{label(MERGE_MATCH_LABELS, m.match)}，{showTime(m.at)}）
                </li>
              ))}
            </ul>
          )}
        </dd>
        {c.mergedInto && (
          <>
            <dt>已合并至</dt>
            <dd>
              {c.mergedInto}（{label(MERGE_MATCH_LABELS, c.merge?.match)}）
            </dd>
          </>
        )}
        {c.disputes.map((d) => (
          <Fragment key={d.version}>
            <dt>派单异议</dt>
            <dd>
              {agencyName(d.fromAgencyId)} 退单：{label(RETURN_REASON_LABELS, d.reasonKind)}
              {d.suggestedAgencyId ? `，建议 ${agencyName(d.suggestedAgencyId)}` : ''} ·{' '}
              {d.outcome ? `${label(DISPUTE_OUTCOME_LABELS, d.outcome)}（${agencyName(d.toAgencyId)}）` : `待分拨中心审核，${showTime(d.decideBy)} 前`}
            </dd>
          </Fragment>
        ))}
        <dt>联系人{owner ? '' : '（已遮蔽，仅承办单位可见）'}</dt>
        <dd data-testid="contact">{c.contact ? [c.contact.name, c.contact.phone, c.contact.idNumber].filter(Boolean).join(' · ') : '—'}</dd>
      </dl>
      <p class="content">{c.content}</p>
      {c.reply && (
        <p class="reply">
          <b>办理结果</b>（{showTime(c.reply.at)}）：{c.reply.result}
        </p>
      )}
      <h4>处理记录</h4>
      <table class="history">
        <thead>
          <tr>
            <th>时间</th>
            <th>操作方</th>
            <th>状态变化</th>
            <th>说明</th>
          </tr>
        </thead>
        <tbody>
          {c.history.map((h) => (
            <tr key={h.version}>
              <td>{showTime(h.at)}</td>
              <td>{actorInWords(h.by)}</td>
              <td>
                {label(STATUS_LABELS, h.from)} → {label(STATUS_LABELS, h.to)}
                {h.onTime === false && <span class="due overdue"> 超时</span>}
              </td>
              <td>{h.note && agencyOf(h.note) ? `→ ${agencyName(h.note)}` : (h.note ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        {c.allowedActions.length === 0 && <span class="muted">当前没有您可执行的操作</span>}
        {c.allowedActions.map((a) => (
          <button type="button" key={a} class={open === a ? 'active' : ''} data-action-button={a} onClick={() => setOpen(open === a ? undefined : a)}>
            {ruleOf(c.kind, a)?.label ?? a}
          </button>
        ))}
      </div>
      {open && (
        <ActionForm
          key={open}
          c={c}
          action={open}
          props={props}
          onDone={(next, text) => {
            setOpen(undefined);
            setMessage(text);
            onChanged(next);
          }}
        />
      )}
      <Message text={message} kind="ok" />
    </section>
  );
}

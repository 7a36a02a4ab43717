/**
 * An agency's queue (a procuratorate department's clues and an agency's tickets alike), one status at a time,
 * earliest due first (the API's order), each with its countdown; due-soon and overdue cases are marked.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { DOMAIN_LABELS, isProcuratorate } from '../facts';
import { KIND_LABELS, label, STATUS_LABELS, URGENCY_LABELS } from '../labels';
import { showTime } from '../time';
import type { CaseView, ListItem, Page } from '../types';
import { CaseDetail } from './case-detail';
import { DueBadge, Message, useNow, type ViewProps } from './common';

const AGENCY_STATUSES = ['dispatched', 'accepted', 'extension_requested', 'reopened', 'replied', 'closed'];
const DEPARTMENT_STATUSES = ['dispatched', 'accepted', 'closed'];

export function QueueView(props: ViewProps) {
  const statuses = isProcuratorate(props.session.agencyId) ? DEPARTMENT_STATUSES : AGENCY_STATUSES;
  const [status, setStatus] = useState(statuses[0]!);
  const [items, setItems] = useState<ListItem[]>();
  const [selected, setSelected] = useState<CaseView>();
  const [error, setError] = useState('');
  const now = useNow();
  const load = useCallback(() => {
    setError('');
    props.api.get<Page<ListItem>>(`/v1/agencies/${encodeURIComponent(props.session.agencyId)}/cases?status=${status}&limit=100`).then(
      (p) => setItems(p.items),
      (e: ApiError) => setError(e.message),
    );
  }, [props.api, props.session.agencyId, status]);
  useEffect(load, [load]);
  const open = (id: string) => props.api.get<CaseView>(`/v1/cases/${encodeURIComponent(id)}`).then(setSelected, (e: ApiError) => setError(e.message));
  return (
    <div class="split">
      <section class="card list">
        <div class="toolbar">
          {statuses.map((s) => (
            <button type="button" key={s} class={s === status ? 'tab active' : 'tab'} data-status={s} onClick={() => setStatus(s)}>
              {label(STATUS_LABELS, s)}
            </button>
          ))}
          <button type="button" class="link" onClick={load}>
            刷新
          </button>
        </div>
        <Message text={error} kind="error" />
        {items?.length === 0 && <p class="muted">没有「{label(STATUS_LABELS, status)}」的案件</p>}
        <table>
          <thead>
            <tr>
              <th>类别</th>
              <th>领域</th>
              <th>紧急</th>
              <th>受理</th>
              <th>期限</th>
            </tr>
          </thead>
          <tbody>
            {items?.map((i) => (
              <tr key={i.caseId} data-case-row={i.caseId} class={selected?.caseId === i.caseId ? 'selected' : ''} onClick={() => open(i.caseId)}>
                <td>{label(KIND_LABELS, i.kind)}</td>
                <td>{label(DOMAIN_LABELS, i.domain)}</td>
                <td>{label(URGENCY_LABELS, i.urgency)}</td>
                <td>{showTime(i.receivedAt)}</td>
                <td>
                  <DueBadge dueAt={i.dueAt} since={i.receivedAt} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {selected ? (
        <CaseDetail
          c={selected}
          props={props}
          onChanged={(c) => {
            setSelected(c);
            load();
          }}
        />
      ) : (
        <section class="card detail muted">选择左侧的案件查看详情</section>
      )}
    </div>
  );
}

/** Similar-case clusters (类案) within the caller's jurisdiction, with their member cases and the clue each raised. */
import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { DOMAIN_LABELS, agencyName, regionName } from '../facts';
import { CLUE_LABELS, label } from '../labels';
import { showTime } from '../time';
import type { Cluster, Page } from '../types';
import { Message, type ViewProps } from './common';

const KEY_KINDS: Record<string, string> = { enterprise: '同一企业', place: '同一地点', address: '同一地址' };

export function ClustersView(props: ViewProps) {
  const [status, setStatus] = useState<'' | 'open' | 'closed'>('');
  const [items, setItems] = useState<Cluster[]>();
  const [error, setError] = useState('');
  useEffect(() => {
    props.api.get<Page<Cluster>>(`/v1/clusters?limit=100${status ? `&status=${status}` : ''}`).then(
      (p) => setItems(p.items),
      (e: ApiError) => setError(e.message),
    );
  }, [props.api, status]);
  return (
    <section class="card">
      <div class="toolbar">
        {(['', 'open', 'closed'] as const).map((s) => (
          <button type="button" key={s} class={s === status ? 'tab active' : 'tab'} onClick={() => setStatus(s)}>
            {s === '' ? '全部' : s === 'open' ? '归集中' : '已截止'}
          </button>
        ))}
      </div>
      <Message text={error} kind="error" />
      {items?.length === 0 && <p class="muted">管辖范围内没有类案</p>}
      {items?.map((c) => (
        <details key={c.clusterId} class="cluster" data-cluster={c.clusterId}>
          <summary>
            {regionName(c.regionCode)} · {label(DOMAIN_LABELS, c.domain)} · {KEY_KINDS[c.keyKind] ?? c.keyKind}「{c.groupKey}」 ·{' '}
            {c.memberCount ?? c.caseIds.length} 件 · {c.status === 'open' ? '归集中' : '已截止'}
          </summary>
          <p>
            发现于 {showTime(c.detectedAt)}，归集至 {showTime(c.windowEndsAt)}；{label(CLUE_LABELS, c.clue)}已移送 {agencyName(c.agencyId)}（线索案件{' '}
            {c.clueCaseId}）
          </p>
          <ol>
            {c.caseIds.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ol>
        </details>
      ))}
    </section>
  );
}

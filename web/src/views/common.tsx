/** Pieces every view uses: its props, the due-time badge, and a hook that ticks the clock for countdowns. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { Session } from '../auth';
import { facts } from '../facts';
import { dueState } from '../time';

export interface ViewProps {
  api: Api;
  session: Session;
  apiUrl: string;
}

/** The clock, ticking every 30 s so countdowns move. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function DueBadge({ dueAt, since, now }: { dueAt: string | null; since: string; now: number }) {
  const d = dueState(dueAt, since, now, facts.dueSoonFraction);
  const word = d.state === 'overdue' ? '超期' : d.state === 'due-soon' ? '即将到期' : '';
  return (
    <span class={`due ${d.state}`} data-due={d.state}>
      {word && <b>{word}</b>} {d.text}
    </span>
  );
}

export const Message = ({ text, kind }: { text: string; kind: 'error' | 'ok' }) => (text ? <p class={kind === 'error' ? 'error' : 'ok'}>{text}</p> : null);

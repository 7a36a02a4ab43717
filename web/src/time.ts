/** Times as the console shows them: Shanghai wall clock, and the time left to a deadline. */
const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export const showTime = (iso: string | null | undefined): string => (iso ? fmt.format(new Date(iso)) : '—');

function span(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}天${hours}小时`;
  if (hours > 0) return `${hours}小时${minutes % 60}分`;
  return `${Math.max(minutes, 0)}分钟`;
}

export type DueState = 'overdue' | 'due-soon' | 'ok' | 'none';

/**
 * Where a case stands against its due time: overdue once it has passed, due soon once the deadline policy's share
 * (`dueSoonFraction`, the same share that raises Case.DueSoon) of the time from `since` to it has gone.
 */
export function dueState(dueAt: string | null, since: string, now: number, dueSoonFraction: number): { state: DueState; text: string } {
  if (!dueAt) return { state: 'none', text: '无期限' };
  const due = Date.parse(dueAt);
  if (now >= due) return { state: 'overdue', text: `已超期 ${span(now - due)}` };
  const start = Date.parse(since);
  const share = due > start ? (now - start) / (due - start) : 1;
  return { state: share >= dueSoonFraction ? 'due-soon' : 'ok', text: `剩余 ${span(due - now)}` };
}

/** This month and the months before it, `YYYY-MM`, in Shanghai. */
export function recentMonths(count: number, now = new Date()): string[] {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now).split('-').map(Number) as [
    number,
    number,
  ];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

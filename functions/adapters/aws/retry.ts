/** Retry policy for partial batch failures (PutEvents, SendMessageBatch): exponential backoff with full jitter. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50 };

export const backoff = (policy: RetryPolicy, attempt: number): Promise<void> =>
  (policy.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(Math.random() * policy.baseDelayMs * 2 ** attempt);

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

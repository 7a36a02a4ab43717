/**
 * The one retry policy of the code base: exponential backoff with full jitter, capped. Every loop that waits
 * before trying again (store transaction conflicts, unprocessed batch keys, PutEvents and SendMessageBatch partial
 * failures, hotline callbacks) takes a `RetryPolicy` and waits with `pause`.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The cap of the first backoff; doubled for every further attempt. */
  baseDelayMs: number;
  /** No single backoff is longer than this. */
  maxDelayMs?: number;
  /** Replaceable in tests. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 2_000 };

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long to wait before attempt `attempt` (1 = the first retry): random in [0, min(max, base × 2^(attempt−1))). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs ?? Number.POSITIVE_INFINITY, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.random() * cap;
}

/** Waits before attempt `attempt` (1 = the first retry). */
export function pause(policy: RetryPolicy, attempt: number): Promise<void> {
  return (policy.sleep ?? realSleep)(backoffMs(policy, attempt));
}

/**
 * Runs `fn` until it succeeds, `retryable(error)` says no, or the attempts are used up; then throws what
 * `exhausted(lastError)` makes of it (the last error itself by default).
 */
export async function retry<T>(
  policy: RetryPolicy,
  fn: (attempt: number) => Promise<T>,
  retryable: (e: unknown) => boolean,
  exhausted: (e: unknown) => unknown = (e) => e,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await pause(policy, attempt);
    try {
      return await fn(attempt);
    } catch (e) {
      if (!retryable(e)) throw e;
      if (attempt + 1 >= policy.maxAttempts) throw exhausted(e);
    }
  }
}

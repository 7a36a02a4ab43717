/** Partial batch failures (PutEvents, SendMessageBatch): resend only what failed, with the one retry policy. */
import { pause, type RetryPolicy } from '../../shared/retry.js';

export { DEFAULT_RETRY, type RetryPolicy } from '../../shared/retry.js';

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Failed entries of one batch call, by their index in the batch, with the service's error code. */
export type BatchFailures = { index: number; code: string }[];

/**
 * Sends `items` in batches of `batchSize` through `call`, resending only the entries that failed, with backoff.
 * A call that throws (throttling beyond the SDK's own retries, network) fails its whole batch. Returns what still
 * failed after `maxAttempts`, with the last error code of each.
 */
export async function sendInBatches<T>(
  items: T[],
  batchSize: number,
  policy: RetryPolicy,
  call: (batch: T[]) => Promise<BatchFailures>,
): Promise<{ item: T; code: string }[]> {
  const remaining: { item: T; code: string }[] = [];
  // The batches go out together: a batch of 40 events is four PutEvents calls in parallel, not in a row.
  await Promise.all(
    chunk(items, batchSize).map(async (batch) => {
      let pending = batch.map((item) => ({ item, code: 'Unknown' }));
      for (let attempt = 0; attempt < policy.maxAttempts && pending.length > 0; attempt++) {
        if (attempt > 0) await pause(policy, attempt);
        let failures: BatchFailures;
        try {
          failures = await call(pending.map((p) => p.item));
        } catch (err) {
          const code = (err as Error).name ?? 'Error';
          failures = pending.map((_, index) => ({ index, code }));
        }
        pending = failures.map((f) => ({ item: pending[f.index]!.item, code: f.code }));
      }
      remaining.push(...pending);
    }),
  );
  return remaining;
}

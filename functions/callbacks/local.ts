/**
 * Local mode wiring of the status callbacks, the same shape as in AWS: a rule on the in-process bus with the CDK
 * rule's pattern → an in-process queue (+DLQ, + a delivery DLQ for events the bus could not enqueue) → the callbacks
 * handler, which signs and POSTs to `HOTLINE_CALLBACK_URL_12345` / `HOTLINE_CALLBACK_URL_12309` (unset: skipped).
 */
import type { InProcessBus } from '../adapters/local/in-process-bus.js';
import { InProcessQueue, type ConsumerOptions } from '../adapters/local/in-process-queue.js';
import { callbackUrlsFromEnv, statusCallbackPattern, type CallbackDeps } from '../app/callbacks.js';
import type { CaseStore } from '../ports/case-store.js';
import type { HotlineSecrets } from '../ports/hotline-secrets.js';
import { observability } from '../shared/observability.js';
import { makeCallbacksHandler } from './callbacks.js';
import { SERVICE } from '../shared/metric-names.js';

/** Visibility timeout = the backoff between deliveries of a failed message; 5 receives, then the DLQ. */
export const LOCAL_CALLBACK_CONSUMER: ConsumerOptions = {
  batchSize: 10,
  concurrency: 2,
  visibilityTimeoutMs: 5_000,
  maxReceiveCount: 5,
  functionTimeoutMs: 60_000,
};

export interface LocalCallbacksOptions {
  bus: InProcessBus;
  store: Pick<CaseStore, 'getMany'>;
  secrets: HotlineSecrets;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  consumer?: Partial<ConsumerOptions>;
  /** Overrides for tests (fetch, retry, timeout). */
  delivery?: Partial<Pick<CallbackDeps, 'fetch' | 'retry' | 'timeoutMs' | 'callbackUrlFor'>>;
}

export interface LocalCallbacks {
  queue: InProcessQueue;
  dlq: InProcessQueue;
  deliveryDlq: InProcessQueue;
  stop(): void;
}

export function startLocalCallbacks(opts: LocalCallbacksOptions): LocalCallbacks {
  const queue = new InProcessQueue('hotline-callbacks');
  const dlq = new InProcessQueue('hotline-callbacks-dlq');
  const deliveryDlq = new InProcessQueue('hotline-callbacks-delivery-dlq');
  opts.bus.addRule({ name: 'hotline-callbacks', pattern: statusCallbackPattern(), target: queue, deadLetter: deliveryDlq });
  // One handler instance per concurrent invocation, as Lambda runs them.
  const makeHandler = () =>
    makeCallbacksHandler({
      ...observability(SERVICE.callbacks),
      store: opts.store,
      secrets: opts.secrets,
      callbackUrlFor: callbackUrlsFromEnv(opts.env ?? process.env),
      now: opts.now ?? (() => new Date()),
      ...opts.delivery,
    });
  queue.consumeEach(makeHandler, { ...LOCAL_CALLBACK_CONSUMER, ...opts.consumer }, dlq);
  return { queue, dlq, deliveryDlq, stop: () => queue.stop() };
}

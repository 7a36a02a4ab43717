/**
 * An in-process SQS queue with a Lambda-style consumer: the same handler code that SQS invokes in AWS receives
 * SQS-shaped events here, and the same redrive rules apply — a failed message (a thrown handler, or an id in
 * `batchItemFailures`) becomes visible again after the visibility timeout, and after `maxReceiveCount` receives
 * it moves to the dead-letter queue.
 *
 * A deleted message leaves nothing behind. A queue nobody consumes locally (an agency queue, read by agency systems
 * in AWS) can be given `maxMessages`: it then keeps only the latest ones, for the development view, so a long local
 * run does not grow with every ticket.
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueMessage, WorkQueue } from '../../ports/work-queue.js';

interface Stored {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  visibleAt: number;
}

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface ConsumerOptions {
  batchSize: number;
  /** Concurrent handler invocations (Lambda's maximum concurrency on the event source). */
  concurrency: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  /** Like a Lambda timeout: an invocation still running after this counts as failed (the function "died"). */
  functionTimeoutMs?: number;
}

export interface InProcessQueueOptions {
  /** Keep at most this many messages, dropping the oldest (unbounded when absent); for queues without a consumer. */
  maxMessages?: number;
}

export class InProcessQueue implements WorkQueue {
  private messages: Stored[] = [];
  private inFlight = 0;
  private readonly running = new Set<Promise<void>>();
  private consumer?: { handler: SqsHandler; options: ConsumerOptions; dlq?: InProcessQueue };
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  /** Messages dropped because the queue held `maxMessages`. */
  dropped = 0;

  constructor(
    readonly name: string,
    private readonly opts: InProcessQueueOptions = {},
  ) {}

  async send(messages: QueueMessage[]): Promise<void> {
    const now = Date.now();
    for (const m of messages) this.messages.push({ messageId: randomUUID(), body: m.body, receiveCount: 0, sentAt: now, visibleAt: now });
    const max = this.opts.maxMessages;
    if (max !== undefined && this.messages.length > max) {
      const excess = this.messages.length - max;
      this.messages.splice(0, excess);
      this.dropped += excess;
    }
    this.schedule(0);
  }

  /** Attaches a consumer, as an event source mapping would. */
  consume(handler: SqsHandler, options: ConsumerOptions, dlq?: InProcessQueue): void {
    this.consumer = dlq ? { handler, options, dlq } : { handler, options };
    this.schedule(0);
  }

  /** Messages currently in the queue (visible or not), oldest first. */
  peek(): { messageId: string; body: string; receiveCount: number }[] {
    return this.messages.map(({ messageId, body, receiveCount }) => ({ messageId, body, receiveCount }));
  }

  get depth(): number {
    return this.messages.length;
  }

  /** Removes and returns up to `max` messages (a consumer that polls, like an agency system). */
  take(max: number): { messageId: string; body: string }[] {
    return this.messages.splice(0, max).map(({ messageId, body }) => ({ messageId, body }));
  }

  /** Resolves when the consumer has nothing left to do: every message handled or dead-lettered. */
  drained(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops consuming; resolves once the invocations in progress have finished (none is cut off mid-way). */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.idleWaiters.splice(0)) w();
    return Promise.allSettled([...this.running]).then(() => undefined);
  }

  private isIdle(): boolean {
    return !this.consumer || (this.messages.length === 0 && this.inFlight === 0);
  }

  private schedule(delayMs: number): void {
    if (!this.consumer || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), Math.max(0, delayMs));
  }

  private pump(): void {
    this.timer = undefined;
    const c = this.consumer;
    if (!c || this.stopped) return;
    const now = Date.now();
    while (this.inFlight < c.options.concurrency) {
      const batch: Stored[] = [];
      for (const m of this.messages) {
        if (m.visibleAt > now) continue;
        batch.push(m);
        if (batch.length >= c.options.batchSize) break;
      }
      if (batch.length === 0) break;
      for (const m of batch) {
        m.receiveCount += 1;
        m.visibleAt = now + c.options.visibilityTimeoutMs;
      }
      this.inFlight += 1;
      const run: Promise<void> = this.invoke(c, batch).finally(() => {
        this.inFlight -= 1;
        this.running.delete(run);
        this.afterInvoke();
      });
      this.running.add(run);
    }
    const next = this.messages.reduce((min, m) => Math.min(min, m.visibleAt), Infinity);
    if (next !== Infinity && this.inFlight < c.options.concurrency) this.schedule(next - Date.now());
  }

  private afterInvoke(): void {
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
    else this.schedule(0);
  }

  private async invoke(c: NonNullable<InProcessQueue['consumer']>, batch: Stored[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((m) => this.record(m)) };
    let failed: Set<string>;
    const timeoutMs = c.options.functionTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`function timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const res = await Promise.race([c.handler(event, localContext(this.name, timeoutMs)), timedOut]);
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    } finally {
      clearTimeout(timer);
    }
    for (const m of batch) {
      if (!failed.has(m.messageId)) {
        this.remove(m);
      } else if (m.receiveCount >= c.options.maxReceiveCount && c.dlq) {
        this.remove(m);
        await c.dlq.send([{ id: m.messageId, body: m.body }]);
      } else {
        // Failed: visible again once the visibility timeout runs out (already set on receive).
      }
    }
  }

  private remove(m: Stored): void {
    const i = this.messages.indexOf(m);
    if (i >= 0) this.messages.splice(i, 1);
  }

  private record(m: Stored): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}:${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
      awsRegion: 'local',
    };
  }
}

/** A Lambda context for local invocations; the remaining time bounds Powertools idempotency's in-progress lock. */
export function localContext(name: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

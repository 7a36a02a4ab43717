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

/** An SQS handler; one that answers nothing succeeded for every record (like Lambda without partial responses). */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

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

/** A FIFO with O(1) push and shift (an array and a moving head, compacted now and then). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  push(x: T): void {
    this.items.push(x);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

type Consumer = { options: ConsumerOptions; dlq?: InProcessQueue; idle: SqsHandler[] };

export class InProcessQueue implements WorkQueue {
  /** Every message in the queue (visible or not), oldest first; a deleted message is removed at once. */
  private readonly messages = new Map<string, Stored>();
  /** Messages visible now, oldest first (entries deleted meanwhile are skipped). */
  private readonly visible = new Fifo<Stored>();
  /** Received messages in the order their visibility timeout ends (one timeout per consumer: receive order). */
  private readonly invisible = new Fifo<Stored>();
  private inFlight = 0;
  private readonly running = new Set<Promise<void>>();
  private consumer?: Consumer;
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
    for (const m of messages) {
      const stored: Stored = { messageId: randomUUID(), body: m.body, receiveCount: 0, sentAt: now, visibleAt: now };
      this.messages.set(stored.messageId, stored);
      this.visible.push(stored);
    }
    const max = this.opts.maxMessages;
    while (max !== undefined && this.messages.size > max) {
      const oldest = this.messages.keys().next().value!;
      this.messages.delete(oldest);
      this.dropped += 1;
    }
    // Forget dropped messages at the head, so a queue nobody reads stays bounded too.
    for (let h = this.visible.peek(); h && this.messages.get(h.messageId) !== h; h = this.visible.peek()) this.visible.shift();
    this.schedule(0);
  }

  /**
   * Attaches a consumer, as an event source mapping would, with one handler instance per concurrent invocation:
   * like Lambda, an instance runs one invocation at a time, so nothing an instance keeps between calls is shared.
   */
  consumeEach(makeHandler: () => SqsHandler, options: ConsumerOptions, dlq?: InProcessQueue): void {
    const idle = Array.from({ length: options.concurrency }, makeHandler);
    this.consumer = dlq ? { options, dlq, idle } : { options, idle };
    this.schedule(0);
  }

  /** Attaches a consumer whose one handler serves every invocation (a plain function that keeps no state). */
  consume(handler: SqsHandler, options: ConsumerOptions, dlq?: InProcessQueue): void {
    this.consumeEach(() => handler, options, dlq);
  }

  /** Messages currently in the queue (visible or not), oldest first. */
  peek(): { messageId: string; body: string; receiveCount: number }[] {
    return [...this.messages.values()].map(({ messageId, body, receiveCount }) => ({ messageId, body, receiveCount }));
  }

  get depth(): number {
    return this.messages.size;
  }

  /** Removes and returns up to `max` visible messages (a consumer that polls, like an agency system). */
  take(max: number): { messageId: string; body: string }[] {
    const out: { messageId: string; body: string }[] = [];
    const now = Date.now();
    while (out.length < max) {
      const m = this.nextVisible(now);
      if (!m) break;
      this.messages.delete(m.messageId);
      out.push({ messageId: m.messageId, body: m.body });
    }
    return out;
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
    return !this.consumer || (this.messages.size === 0 && this.inFlight === 0);
  }

  private schedule(delayMs: number): void {
    if (!this.consumer || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), Math.max(0, delayMs));
  }

  /** The oldest message visible at `now`, taken off the visible list; undefined when there is none. */
  private nextVisible(now: number): Stored | undefined {
    // Messages whose visibility timeout has ended come back, in the order they were received.
    for (let m = this.invisible.peek(); m && m.visibleAt <= now; m = this.invisible.peek()) {
      this.invisible.shift();
      // Still in the queue and not received again since (a stale entry has a later visibleAt on its message).
      if (this.messages.get(m.messageId) === m && m.visibleAt <= now) this.visible.push(m);
    }
    for (let m = this.visible.shift(); m; m = this.visible.shift()) {
      if (this.messages.get(m.messageId) === m && m.visibleAt <= now) return m;
    }
    return undefined;
  }

  private pump(): void {
    this.timer = undefined;
    const c = this.consumer;
    if (!c || this.stopped) return;
    const now = Date.now();
    while (this.inFlight < c.options.concurrency && c.idle.length) {
      const batch: Stored[] = [];
      for (let m = this.nextVisible(now); m; m = batch.length < c.options.batchSize ? this.nextVisible(now) : undefined) batch.push(m);
      if (batch.length === 0) break;
      for (const m of batch) {
        m.receiveCount += 1;
        m.visibleAt = now + c.options.visibilityTimeoutMs;
        this.invisible.push(m);
      }
      const handler = c.idle.pop()!;
      this.inFlight += 1;
      const run: Promise<void> = this.invoke(c, handler, batch).finally(() => {
        c.idle.push(handler);
        this.inFlight -= 1;
        this.running.delete(run);
        this.afterInvoke();
      });
      this.running.add(run);
    }
    const next = this.invisible.peek();
    if (next && this.inFlight < c.options.concurrency) this.schedule(next.visibleAt - Date.now());
  }

  private afterInvoke(): void {
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
    else this.schedule(0);
  }

  private async invoke(c: Consumer, handler: SqsHandler, batch: Stored[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((m) => this.record(m)) };
    let failed: Set<string>;
    const timeoutMs = c.options.functionTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`function timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const res = await Promise.race([handler(event, localContext(this.name, timeoutMs)), timedOut]);
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    } finally {
      clearTimeout(timer);
    }
    for (const m of batch) {
      if (!failed.has(m.messageId)) {
        this.messages.delete(m.messageId);
      } else if (m.receiveCount >= c.options.maxReceiveCount && c.dlq) {
        this.messages.delete(m.messageId);
        await c.dlq.send([{ id: m.messageId, body: m.body }]);
      } else {
        // Failed: visible again once the visibility timeout runs out (already queued on receive).
      }
    }
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

/** A Lambda context for local invocations. */
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

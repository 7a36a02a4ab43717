/**
 * Local stand-in for EventBridge Scheduler, kept in the store: each case's one timer is an item in a small DynamoDB
 * (Local) table, and a poller fires the due ones — a Query on the `byDue` index, earliest first — by invoking the
 * same deadlines handler the Scheduler invokes in AWS, with the same payload. So local mode has no cap on timers, its
 * memory does not grow with them, and timers outlive the process: a new scheduler over the same table fires them.
 *
 * Like the AWS side: setting a case's timer again moves it (PutItem under the case id); a timer that fired is
 * deleted unless the handler moved it meanwhile (the delete is conditional on the token the firing read); a failing
 * invocation is retried at later polls (attempts are kept on the item), then dead-lettered. The clock is injectable,
 * and `fireDue()` runs one pass, so tests move time by hand instead of waiting.
 */
import { randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { TimerMoment } from '../../domain/deadlines/schedule-plan.js';
import { parseInstant } from '../../domain/deadlines/time.js';
import type { CaseTimer, DeadlineScheduler } from '../../ports/deadline-scheduler.js';
import { localContext } from './in-process-queue.js';
import { Ring } from './ring.js';
import { pause, type RetryPolicy } from '../../shared/retry.js';

const FLUSH_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 500 };

/**
 * The timer table (local mode only): `caseId` (key), `due` (epoch ms), `at`, `token` (changes at every set),
 * `attempts`, and the constant `shard` that, with `due`, keys the index `byDue` the poller queries.
 */
export const TIMER_TABLE = { partitionKey: 'caseId', dueIndex: { name: 'byDue', partitionKey: 'shard', sortKey: 'due' }, shard: 'due' } as const;

export interface SchedulerClock {
  now(): number;
}

export const systemClock: SchedulerClock = { now: () => Date.now() };

/** What a timer invokes: the deadlines Lambda handler (the Scheduler passes the schedule's Input as the event). */
export type TimerTarget = (payload: TimerMoment, context: Context) => Promise<unknown>;

export interface StoredSchedulerOptions {
  client: DynamoDBClient;
  tableName: string;
  target?: TimerTarget;
  clock?: SchedulerClock;
  /** Time between polls once `start()`ed (default 1 s). */
  pollIntervalMs?: number;
  /** Due timers read per Query page (default 100). */
  pageSize?: number;
  /** Handler invocations in flight at once (default 4). */
  concurrency?: number;
  /** Invocations of one firing before its payload is dead-lettered (default 3; one per poll). */
  maxAttempts?: number;
  /** How many recent firings and dead letters the development views keep (default 100 each). */
  historySize?: number;
}

export interface StoredTimer {
  caseId: string;
  at: string;
  attempts: number;
}

export class StoredScheduler implements DeadlineScheduler {
  /** Recent payloads whose invocation failed every attempt (the schedule's DLQ in AWS), oldest first. */
  readonly deadLetters: Ring<{ caseId: string; payload: TimerMoment; error: string }>;
  /** Recent firings with what the handler answered, oldest first (a development view). */
  readonly fired: Ring<{ caseId: string; at: string; result: unknown }>;
  private target: TimerTarget | undefined;
  private readonly clock: SchedulerClock;
  /** Case ids being fired now, so a poll does not fire a timer twice: bounded by `concurrency`. */
  private readonly inFlight = new Set<string>();
  private passes: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: StoredSchedulerOptions) {
    this.target = opts.target;
    this.clock = opts.clock ?? systemClock;
    this.deadLetters = new Ring(opts.historySize ?? 100);
    this.fired = new Ring(opts.historySize ?? 100);
  }

  /** Sets the handler timers invoke (when it is built after the scheduler). */
  setTarget(target: TimerTarget): void {
    this.target = target;
  }

  async set(timer: CaseTimer): Promise<void> {
    const due = parseInstant(timer.at); // a bad time fails here, like a Scheduler ValidationException
    await this.write(timer.caseId, {
      PutRequest: {
        Item: {
          caseId: { S: timer.caseId },
          shard: { S: TIMER_TABLE.shard },
          due: { N: String(due) },
          at: { S: timer.at },
          token: { S: randomUUID() },
          attempts: { N: '0' },
        },
      },
    });
  }

  async clear(caseId: string): Promise<void> {
    await this.write(caseId, { DeleteRequest: { Key: { caseId: { S: caseId } } } });
  }

  /** Writes waiting for the next flush, by case: a later set or clear of a case replaces an earlier one. */
  private pending = new Map<string, { request: WriteRequest; done: { resolve: () => void; reject: (e: unknown) => void }[] }>();
  private flushing = false;

  /**
   * Sets and clears made in the same turn of the event loop (a batch of dispatches plans its timers together) go
   * out as BatchWriteItem calls of 25, not one call per case. Each caller's promise settles with its own write.
   */
  private write(caseId: string, request: WriteRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = this.pending.get(caseId);
      if (entry) {
        entry.request = request;
        entry.done.push({ resolve, reject });
      } else this.pending.set(caseId, { request, done: [{ resolve, reject }] });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = false;
    const entries = [...batch.values()];
    await Promise.all(
      Array.from({ length: Math.ceil(entries.length / 25) }, async (_, i) => {
        const chunk = entries.slice(i * 25, i * 25 + 25);
        try {
          let requests: WriteRequest[] | undefined = chunk.map((e) => e.request);
          for (let attempt = 0; requests?.length; attempt++) {
            if (attempt > 0) {
              if (attempt >= FLUSH_RETRY.maxAttempts) throw new Error('timer table: batch write kept leaving items unprocessed');
              await pause(FLUSH_RETRY, attempt);
            }
            const r: { UnprocessedItems?: Record<string, WriteRequest[]> } = await this.opts.client.send(
              new BatchWriteItemCommand({ RequestItems: { [this.opts.tableName]: requests } }),
            );
            requests = r.UnprocessedItems?.[this.opts.tableName];
          }
          for (const e of chunk) for (const d of e.done) d.resolve();
        } catch (err) {
          for (const e of chunk) for (const d of e.done) d.reject(err);
        }
      }),
    );
  }

  /** Pending timers, earliest first (at most `limit`). */
  async list(limit = 1_000): Promise<StoredTimer[]> {
    const out: StoredTimer[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.query(Number.MAX_SAFE_INTEGER, Math.min(limit - out.length, 1_000), start);
      out.push(...page.items.map(({ caseId, at, attempts }) => ({ caseId, at, attempts })));
      start = page.next;
    } while (start && out.length < limit);
    return out;
  }

  /**
   * One pass: fires every timer due at the clock's now, earliest first, `concurrency` at a time, and resolves with
   * how many it handled (fired or failed) once they all are. Concurrent calls share the pass in progress.
   */
  fireDue(): Promise<number> {
    this.passes ??= this.pass().finally(() => (this.passes = undefined));
    return this.passes;
  }

  /** Polls every `pollIntervalMs` until `stop()`. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.fireDue()
          .catch((e: unknown) => console.error('local deadline scheduler: poll failed', (e as Error).message))
          .finally(() => !this.stopped && tick());
      }, this.opts.pollIntervalMs ?? 1_000);
      this.timer.unref(); // pending deadline timers never keep a local process alive
    };
    tick();
  }

  /** Stops polling; resolves when the pass in progress has finished. Timers stay in the table. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.passes?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    const now = this.clock.now();
    const limit = Math.max(1, this.opts.concurrency ?? 4);
    let handled = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.query(now, this.opts.pageSize ?? 100, start);
      start = page.next;
      const due = page.items.filter((t) => !this.inFlight.has(t.caseId));
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(limit, due.length) }, async () => {
          while (next < due.length && !this.stopped) {
            await this.fire(due[next++]!);
            handled++;
          }
        }),
      );
    } while (start && !this.stopped);
    return handled;
  }

  private async query(upTo: number, limit: number, start?: Record<string, AttributeValue>) {
    const { dueIndex } = TIMER_TABLE;
    const res = await this.opts.client.send(
      new QueryCommand({
        TableName: this.opts.tableName,
        IndexName: dueIndex.name,
        KeyConditionExpression: '#s = :s AND #d <= :now',
        ExpressionAttributeNames: { '#s': dueIndex.partitionKey, '#d': dueIndex.sortKey },
        ExpressionAttributeValues: { ':s': { S: TIMER_TABLE.shard }, ':now': { N: String(upTo) } },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (res.Items ?? []).map((i) => ({ caseId: i['caseId']!.S!, at: i['at']!.S!, token: i['token']!.S!, attempts: Number(i['attempts']?.N ?? 0) }));
    return { items, next: res.LastEvaluatedKey };
  }

  private async fire(t: { caseId: string; at: string; token: string; attempts: number }): Promise<void> {
    this.inFlight.add(t.caseId);
    const payload: TimerMoment = { caseId: t.caseId, at: t.at };
    try {
      if (!this.target) throw new Error('no target: the deadlines handler is not wired');
      const result = await this.target(payload, localContext('hotline-deadlines'));
      this.fired.push({ caseId: t.caseId, at: t.at, result });
      // One-time: gone once fired, unless the handler set the case's next moment meanwhile (a new token).
      await this.ifUnchanged(() =>
        this.opts.client.send(new DeleteItemCommand({ TableName: this.opts.tableName, Key: { caseId: { S: t.caseId } }, ...this.sameToken(t) })),
      );
    } catch (e) {
      const attempts = t.attempts + 1;
      if (attempts >= Math.max(1, this.opts.maxAttempts ?? 3)) {
        this.deadLetters.push({ caseId: t.caseId, payload, error: (e as Error)?.message ?? String(e) });
        await this.ifUnchanged(() =>
          this.opts.client.send(new DeleteItemCommand({ TableName: this.opts.tableName, Key: { caseId: { S: t.caseId } }, ...this.sameToken(t) })),
        );
      } else {
        // Left due: the next poll tries again (the poll interval is the backoff).
        await this.ifUnchanged(() =>
          this.opts.client.send(
            new UpdateItemCommand({
              TableName: this.opts.tableName,
              Key: { caseId: { S: t.caseId } },
              UpdateExpression: 'SET attempts = :a',
              ...this.sameToken(t, { ':a': { N: String(attempts) } }),
            }),
          ),
        );
      }
    } finally {
      this.inFlight.delete(t.caseId);
    }
  }

  private sameToken(t: { token: string }, values: Record<string, AttributeValue> = {}) {
    return { ConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'token' }, ExpressionAttributeValues: { ':t': { S: t.token }, ...values } };
  }

  private async ifUnchanged(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e; // moved or cleared by the handler: theirs stands
    }
  }
}

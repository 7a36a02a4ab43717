/**
 * The local change feed (ports/change-feed.ts): reads the case table's stream from DynamoDB Local's own Streams API
 * (DescribeStream, GetShardIterator, GetRecords — the same records DynamoDB Streams gives Lambda in AWS) and invokes
 * the relay handler with DynamoDB stream events, following the event source mapping's rules (`RELAY_FEED`):
 *
 * - one invocation at a time, shard by shard (a parent shard before its children), records in stream order;
 * - a partial batch response (`batchItemFailures`) makes the feed hand the named record and every later one over
 *   again, after a backoff; a thrown invocation splits the batch in halves (`bisectBatchOnError`);
 * - after `retryAttempts` retries, or once a record is older than `maxRecordAgeSeconds`, the failing records' range
 *   goes to the on-failure destination (a queue) as Lambda's `DynamoDBStreamRecordFailure` message does, and the
 *   feed moves on.
 *
 * Where it starts: at the oldest record the stream still holds (TRIM_HORIZON), so every change saved since the
 * table was created is handed over, including those saved before the feed started. The position is kept in memory;
 * a feed started again over the same table (a restart against a DynamoDB Local that outlived the process) hands the
 * retained changes over again: at least once, with the same event ids, and a re-enqueued ticket finds its case
 * dispatched and does nothing.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ChangeFeed } from '../../ports/change-feed.js';
import type { WorkQueue } from '../../ports/work-queue.js';
import { RELAY_FEED } from '../../relay/settings.js';
import { withoutSdkLogging } from '../../shared/observability.js';
import { pause, type RetryPolicy } from '../../shared/retry.js';
import { localContext } from './in-process-queue.js';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | undefined>;

export interface LocalChangeFeedOptions {
  /** DynamoDB Local (the table's client: its endpoint and credentials serve the Streams API too). */
  client: DynamoDBClient;
  tableName: string;
  /** One handler instance: the feed never runs two invocations at once. */
  handler: StreamHandler;
  /** The on-failure destination. */
  deadLetter?: WorkQueue;
  /** Pause between polls when the stream has nothing new (default 25 ms). */
  pollIntervalMs?: number;
  /** Backoff between retries of a failing batch. */
  retry?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'sleep'>;
  /** Overrides of `RELAY_FEED` (tests). */
  settings?: Partial<FeedSettings>;
  functionName?: string;
}

type FeedSettings = { batchSize: number; retryAttempts: number; bisectBatchOnError: boolean; maxRecordAgeSeconds: number };

interface ShardState {
  parent: string | undefined;
  iterator: string | undefined;
  /** The last record handed over and answered (or dead-lettered). */
  checkpoint: string | undefined;
  done: boolean;
}

export class LocalChangeFeed implements ChangeFeed {
  private readonly streams: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardState>();
  private readonly settings: FeedSettings;
  private readonly retry: RetryPolicy;
  private streamArn: string | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private waiters: (() => void)[] = [];
  /** Records handed over; for the development views and tests. */
  delivered = 0;

  constructor(private readonly opts: LocalChangeFeedOptions) {
    // The Streams API is served on DynamoDB Local's own endpoint, with the table client's settings.
    const config = opts.client.config;
    this.streams = withoutSdkLogging(
      new DynamoDBStreamsClient({ endpoint: config.endpoint, region: config.region, credentials: config.credentials, maxAttempts: 5 }),
    );
    this.settings = { ...RELAY_FEED, ...opts.settings };
    this.retry = { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 50, maxDelayMs: 1_000, ...opts.retry };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  caughtUp(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    for (const w of this.waiters.splice(0)) w();
    this.streams.destroy();
  }

  private async run(): Promise<void> {
    while (this.running) {
      // Waiters registered before this pass are released when it finds nothing new.
      const waiting = this.waiters.splice(0);
      let read = 0;
      try {
        read = await this.pass();
      } catch (e) {
        // DynamoDB Local paused or restarting, or an iterator it no longer honours: start again from each shard's
        // checkpoint at the next poll (nothing after a checkpoint was answered, so nothing is skipped).
        if (this.running) console.error('local change feed: poll failed', (e as Error).name, (e as Error).message);
        for (const shard of this.shards.values()) shard.iterator = undefined;
        read = -1;
      }
      if (read === 0) for (const w of waiting) w();
      else this.waiters.unshift(...waiting);
      // Unref'd: an idle feed never keeps the process alive (the server does, in `npm start`).
      if (this.running && read <= 0) await new Promise((r) => setTimeout(r, this.opts.pollIntervalMs ?? 25).unref());
    }
  }

  /** One pass over every open shard; returns how many records it handed over. */
  private async pass(): Promise<number> {
    this.streamArn ??= (await this.opts.client.send(new DescribeTableCommand({ TableName: this.opts.tableName }))).Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`table ${this.opts.tableName} has no stream`);
    for (const s of await this.listShards(this.streamArn)) {
      if (!this.shards.has(s.ShardId!)) this.shards.set(s.ShardId!, { parent: s.ParentShardId, iterator: undefined, checkpoint: undefined, done: false });
    }
    let read = 0;
    for (const [id, shard] of this.shards) {
      if (shard.done) continue;
      const parent = shard.parent ? this.shards.get(shard.parent) : undefined;
      if (parent && !parent.done) continue; // a child waits for its parent: a case's versions stay in order
      read += await this.drain(this.streamArn, id, shard);
    }
    return read;
  }

  private async listShards(streamArn: string): Promise<Shard[]> {
    const out: Shard[] = [];
    let start: string | undefined;
    do {
      const r = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      out.push(...(r.StreamDescription?.Shards ?? []));
      start = r.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return out;
  }

  /**
   * Reads a shard up to its end (for now) and hands every record over. The next page is read while the relay works
   * on this one, as the event source mapping polls ahead: a page is still handed over only once the one before it is
   * answered or dead-lettered, so the shard stays in order.
   */
  private async drain(streamArn: string, shardId: string, shard: ShardState): Promise<number> {
    let read = 0;
    let ahead: Promise<GetRecordsCommandOutput> | undefined;
    try {
      while (this.running) {
        shard.iterator ??= (
          await this.streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shardId,
              ...(shard.checkpoint ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.checkpoint } : { ShardIteratorType: 'TRIM_HORIZON' }),
            }),
          )
        ).ShardIterator;
        if (!shard.iterator) {
          shard.done = true;
          return read;
        }
        let r: GetRecordsCommandOutput;
        try {
          r = await (ahead ?? this.getRecords(shard.iterator));
        } catch (e) {
          // DynamoDB Local answers this for a TRIM_HORIZON iterator of a shard that has no record yet: nothing to read.
          // With a checkpoint it would mean records were trimmed before they were handed over: that one is raised.
          if ((e as Error).name !== 'TrimmedDataAccessException' || shard.checkpoint) throw e;
          shard.iterator = undefined;
          return read;
        } finally {
          ahead = undefined;
        }
        const records = (r.Records ?? []).map((x) => lambdaRecord(x, streamArn));
        shard.iterator = r.NextShardIterator;
        if (!shard.iterator) shard.done = true; // a closed shard, read to its end
        if (records.length && shard.iterator) ahead = this.getRecords(shard.iterator);
        if (records.length) {
          await this.handOver(streamArn, shardId, shard, records);
          read += records.length;
        }
        if (!records.length || shard.done) return read;
      }
      return read;
    } finally {
      // A read ahead that will not be used (stopped, or the hand-over failed): the next pass reads from the checkpoint.
      ahead?.catch(() => undefined);
      if (ahead) shard.iterator = undefined;
    }
  }

  private getRecords(iterator: string): Promise<GetRecordsCommandOutput> {
    return this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.settings.batchSize }));
  }

  /** Hands `records` to the handler until each is answered done or dead-lettered, as the event source mapping does. */
  private async handOver(streamArn: string, shardId: string, shard: ShardState, records: DynamoDBRecord[]): Promise<void> {
    let remaining = records;
    let batch = remaining;
    let attempt = 0;
    while (remaining.length) {
      const tooOld = batch.filter((x) => Date.now() / 1000 - (x.dynamodb?.ApproximateCreationDateTime ?? 0) > this.settings.maxRecordAgeSeconds);
      let done = 0;
      if (tooOld.length === batch.length || attempt > this.settings.retryAttempts) {
        await this.deadLetter(streamArn, shardId, batch, tooOld.length === batch.length ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted');
        done = batch.length;
      } else {
        try {
          const answer = await this.opts.handler({ Records: batch }, localContext(this.opts.functionName ?? 'hotline-relay'));
          const failures = answer?.batchItemFailures ?? [];
          const firstFailed = failures.length
            ? Math.min(...failures.map((f) => batch.findIndex((x) => x.dynamodb?.SequenceNumber === f.itemIdentifier)))
            : batch.length;
          done = Math.max(firstFailed, 0); // an unknown identifier fails the whole batch, as in Lambda
        } catch (e) {
          console.error('local change feed: relay invocation failed', (e as Error).message);
          if (this.settings.bisectBatchOnError && batch.length > 1) batch = batch.slice(0, Math.ceil(batch.length / 2));
        }
      }
      if (done > 0) {
        this.delivered += done;
        shard.checkpoint = batch[done - 1]!.dynamodb!.SequenceNumber;
        remaining = remaining.slice(remaining.indexOf(batch[done - 1]!) + 1);
        batch = remaining;
        attempt = 0;
      } else {
        attempt += 1;
        if (!this.running) return;
        await pause(this.retry, attempt);
      }
    }
  }

  private async deadLetter(streamArn: string, shardId: string, batch: DynamoDBRecord[], condition: string): Promise<void> {
    const body = JSON.stringify({
      requestContext: { condition, functionArn: `local:${this.opts.functionName ?? 'hotline-relay'}`, approximateInvokeCount: this.settings.retryAttempts + 1 },
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: batch[0]!.dynamodb!.SequenceNumber,
        endSequenceNumber: batch.at(-1)!.dynamodb!.SequenceNumber,
        batchSize: batch.length,
        streamArn,
      },
    });
    console.error(`local change feed: ${batch.length} record(s) dead-lettered (${condition})`);
    await this.opts.deadLetter?.send([{ id: '0', body }]);
  }
}

/** A Streams API record as Lambda delivers it (the same fields, the same attribute-value shapes). */
function lambdaRecord(r: StreamRecord, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const out: DynamoDBRecord = {
    eventID: r.eventID!,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? 'local',
    eventSourceARN: streamArn,
    dynamodb: {
      Keys: d.Keys as never,
      SequenceNumber: d.SequenceNumber!,
      SizeBytes: d.SizeBytes ?? 0,
      StreamViewType: d.StreamViewType as never,
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? d.ApproximateCreationDateTime.getTime() / 1000 : Date.now() / 1000,
    },
  };
  if (d.NewImage) out.dynamodb!.NewImage = d.NewImage as never;
  if (d.OldImage) out.dynamodb!.OldImage = d.OldImage as never;
  return out;
}

/**
 * How the change feed hands the case table's stream to the relay: the Lambda event source mapping in AWS
 * (lib/stateless-stack.ts) and the local feed (functions/adapters/local/dynamodb-local-stream.ts) both read these.
 */
export const RELAY_FEED = {
  /** Records per invocation (a dispatch batch of 10 tickets writes about 12 case records). */
  batchSize: 100,
  /** Wait up to this long to fill a batch (AWS only; the local feed hands over what it has). */
  maxBatchingWindowSeconds: 1,
  /**
   * Retries of a failing batch (split in halves when the function throws) before its records go to the DLQ: the
   * most Lambda allows, so a bus, queue or scheduler outage delays the relay but loses nothing; `maxRecordAgeSeconds`
   * bounds how long one record that can never succeed holds up its shard (the iterator-age alarm fires long before).
   */
  retryAttempts: 10_000,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  /** Older records are dead-lettered rather than retried (the stream keeps records for 24 hours). */
  maxRecordAgeSeconds: 6 * 60 * 60,
  /** One batch at a time per shard, in order: a case's versions reach the relay in the order they were saved. */
  parallelizationFactor: 1,
} as const;

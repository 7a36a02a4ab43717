import type { CaseRecord } from '../domain/case/case.js';

/**
 * One saved version of one case record, as the case store's change feed reports it (DynamoDB Streams with
 * NEW_AND_OLD_IMAGES in AWS, DynamoDB Local's own stream locally). The outbox relay (functions/app/relay.ts) turns
 * each into what the version causes: its events, the process-queue message of a new ticket, the case's timer.
 */
export interface CaseChange {
  /** The change's position in the feed (the stream record's sequence number): a failure names it, and the feed resumes there. */
  id: string;
  kind: 'insert' | 'modify' | 'remove';
  /** The record before the change (none for an insert). */
  old?: CaseRecord;
  /** The record after the change (none for a remove). */
  new?: CaseRecord;
}

/**
 * A running change feed that invokes the relay handler (local mode: functions/adapters/local/dynamodb-local-stream.ts;
 * in AWS the Lambda event source mapping on the table's stream plays this part and needs no code).
 */
export interface ChangeFeed {
  /** Resolves once every change saved before the call has been handed to the handler and answered. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEvent } from '../../../events/schemas.js';
import { assertValidEvent } from '../../../events/validate.js';
import type { EventBus } from '../../ports/event-bus.js';
import { PublishError } from '../../ports/errors.js';
import { backoff, chunk, DEFAULT_RETRY, type RetryPolicy } from './retry.js';

const MAX_ENTRIES = 10; // PutEvents limit per call

/** EventBridge adapter: PutEvents in batches of ≤ 10, failed entries retried with backoff. */
export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async publish(events: DomainEvent[]): Promise<void> {
    for (const e of events) assertValidEvent(e);
    const failed: PublishError['failed'] = [];
    for (const batch of chunk(events, MAX_ENTRIES)) failed.push(...(await this.publishBatch(batch)));
    if (failed.length) throw new PublishError(failed);
  }

  private async publishBatch(batch: DomainEvent[]): Promise<PublishError['failed']> {
    let pending = batch;
    let lastCodes: string[] = [];
    for (let attempt = 0; attempt < this.retry.maxAttempts; attempt++) {
      if (attempt > 0) await backoff(this.retry, attempt);
      let results;
      try {
        results = (await this.client.send(new PutEventsCommand({ Entries: pending.map((e) => this.entry(e)) }))).Entries ?? [];
      } catch (err) {
        // A whole-call failure (throttling beyond the SDK's own retries, network): retry the whole batch.
        lastCodes = pending.map(() => (err as Error).name ?? 'Error');
        continue;
      }
      const next: DomainEvent[] = [];
      lastCodes = [];
      pending.forEach((e, i) => {
        const r = results[i];
        if (!r || r.ErrorCode) {
          next.push(e);
          lastCodes.push(r?.ErrorCode ?? 'MissingResult');
        }
      });
      pending = next;
      if (pending.length === 0) return [];
    }
    return pending.map((e, i) => ({ type: e.type, eventId: e.detail.eventId, code: lastCodes[i] ?? 'Unknown' }));
  }

  private entry(e: DomainEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: EVENT_SOURCE,
      DetailType: e.type,
      Detail: JSON.stringify(e.detail),
      Time: new Date(e.detail.occurredAt),
    };
  }
}

import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../../events/envelope.js';
import type { DomainEvent } from '../../../events/schemas.js';
import type { EventBus } from '../../ports/event-bus.js';
import { PublishError } from '../../ports/errors.js';
import { DEFAULT_RETRY, sendInBatches, type RetryPolicy } from './retry.js';

const MAX_ENTRIES = 10; // PutEvents limit per call

/**
 * EventBridge adapter: PutEvents in batches of ≤ 10, failed entries retried with backoff. Events are not checked
 * against the zod contracts here: that would put zod and every event schema in each Lambda bundle. The in-process
 * bus of local mode and the tests checks every event it carries (functions/adapters/local/in-process-bus.ts), so a
 * contract bug fails the tests before it deploys.
 */
export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async publish(events: DomainEvent[]): Promise<void> {
    const failed = await sendInBatches(events, MAX_ENTRIES, this.retry, async (batch) => {
      const results = (await this.client.send(new PutEventsCommand({ Entries: batch.map((e) => this.entry(e)) }))).Entries ?? [];
      return batch.flatMap((_, index) => {
        const r = results[index];
        return !r || r.ErrorCode ? [{ index, code: r?.ErrorCode ?? 'MissingResult' }] : [];
      });
    });
    if (failed.length) throw new PublishError(failed.map(({ item, code }) => ({ type: item.type, eventId: item.detail.eventId, code })));
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

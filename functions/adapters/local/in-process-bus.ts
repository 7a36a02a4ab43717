/**
 * An in-process EventBridge bus: rules with the same patterns as the CDK rules deliver the EventBridge envelope
 * to their target queues. The latest events are kept in an archive (a ring of the last `archiveSize`, default
 * 10 000), a development view of what the AWS archive keeps for replay: bounded, so a long local run stays flat.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_SOURCE } from '../../../events/envelope.js';
import type { DomainEvent } from '../../../events/schemas.js';
import { assertValidEvent } from '../../../events/validate.js';
import { matchesPattern } from '../../domain/directory/agency-queues.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { WorkQueue } from '../../ports/work-queue.js';
import { Ring } from './ring.js';

export interface BusEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface LocalRule {
  name: string;
  pattern: Record<string, unknown>;
  target: WorkQueue;
  /** Where an event goes when delivery to the target keeps failing (the rule target's DLQ in AWS). */
  deadLetter?: WorkQueue;
}

export interface InProcessBusOptions {
  /** Delivery attempts per rule target before the event goes to the rule's dead letter (default 3). */
  deliveryAttempts?: number;
  /** How many of the latest events the archive keeps (default 10 000). */
  archiveSize?: number;
}

export const DEFAULT_ARCHIVE_SIZE = 10_000;

export class InProcessBus implements EventBus {
  private readonly ring: Ring<BusEnvelope>;
  private readonly rules: LocalRule[] = [];
  private readonly listeners: ((e: BusEnvelope) => void)[] = [];
  private readonly deliveryAttempts: number;

  constructor(opts: InProcessBusOptions = {}) {
    this.deliveryAttempts = opts.deliveryAttempts ?? 3;
    this.ring = new Ring(opts.archiveSize ?? DEFAULT_ARCHIVE_SIZE);
  }

  /** The latest `archiveSize` events published, oldest first (a copy). */
  get archive(): BusEnvelope[] {
    return this.ring.toArray();
  }

  addRule(rule: LocalRule): void {
    this.rules.push(rule);
  }

  subscribe(fn: (e: BusEnvelope) => void): () => void {
    this.listeners.push(fn);
    return () => this.listeners.splice(this.listeners.indexOf(fn), 1);
  }

  async publish(events: DomainEvent[]): Promise<void> {
    for (const e of events) assertValidEvent(e);
    for (const e of events) {
      const envelope: BusEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': e.type,
        source: EVENT_SOURCE,
        account: '000000000000',
        time: new Date(e.detail.occurredAt).toISOString(),
        region: 'local',
        resources: [],
        detail: e.detail as Record<string, unknown>,
      };
      this.ring.push(envelope);
      for (const l of this.listeners) l(envelope);
      for (const r of this.rules) if (matchesPattern(r.pattern, envelope as unknown as Record<string, unknown>)) await this.deliver(r, envelope);
    }
  }

  private async deliver(rule: LocalRule, envelope: BusEnvelope): Promise<void> {
    const message = { id: envelope.id, body: JSON.stringify(envelope) };
    for (let attempt = 1; attempt <= this.deliveryAttempts; attempt++) {
      try {
        await rule.target.send([message]);
        return;
      } catch {
        // retried below, then dead-lettered, as EventBridge does with a target's retry policy
      }
    }
    await rule.deadLetter?.send([message]);
  }
}

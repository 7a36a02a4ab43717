import type { DomainEvent } from '../../events/schemas.js';

/** The event bus (EventBridge in AWS, in process locally). */
export interface EventBus {
  /** Publishes all events or throws PublishError; events already published may be published again on retry. */
  publish(events: DomainEvent[]): Promise<void>;
}

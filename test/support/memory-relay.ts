/**
 * The outbox relay on a MemoryCaseStore: each saved case version goes through the same `relayChanges` the relay
 * function runs (events, new tickets, deadline timers), right after the write, as DynamoDB Streams feeds it in AWS.
 * Use cases under test then only save, exactly as deployed; their events and timers appear once the save returns.
 */
import { relayChanges, type RelayDeps } from '../../functions/app/relay.js';
import type { WorkQueue } from '../../functions/ports/work-queue.js';
import type { MemoryCaseStore } from './memory-case-store.js';

const NO_QUEUE: WorkQueue = { send: async () => undefined };

/** Relays every change of `store`; returns the failures seen (none expected unless a test injects them). */
export function relayOn(store: MemoryCaseStore, deps: Omit<RelayDeps, 'store' | 'queue'> & { queue?: WorkQueue }): { failures: Error[] } {
  const seen = { failures: [] as Error[] };
  store.onChange = async (changes) => {
    const failed = await relayChanges({ ...deps, queue: deps.queue ?? NO_QUEUE, store }, changes);
    seen.failures.push(...failed.values());
  };
  return seen;
}

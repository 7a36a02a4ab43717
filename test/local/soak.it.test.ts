/**
 * A small soak (bench/soak-run.ts) in the test suite: 300 tickets from at-least-once clients through local mode
 * while the store, the bus and the scheduler fail a share of calls, process invocations are killed part way and
 * DynamoDB Local is paused. Runs on its own DynamoDB Local (the soak pauses it; the suite's shared one must not be).
 *
 * The CLI's default fault rates, but more kills, so that 300 tickets meet every kind of fault (faults are spaced at
 * their rate, not drawn, so each kind is met a predictable number of times).
 *
 * Today this fails on the outbox gap alone: a transition saved whose event could not be published answers
 * `503 event_not_published` (http5xx), the client's retry gets 409, and the event (Case.Accepted, Case.Replied) is
 * never published (eventsMissing). The outbox branch closes that; the other invariants hold.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak-run.js';

describe('soak: at-least-once clients under injected faults', () => {
  it('loses, duplicates and strands nothing, answers no 5xx but 503, and publishes every expected event', async () => {
    const r = await runSoak({
      tickets: 300,
      faults: { kill: 0.03 },
      pauses: { count: 1, minMs: 2_000, maxMs: 3_000 },
      actions: 0.3,
      seed: 7,
      quiescenceTimeoutMs: 120_000,
    });
    // Every kind of fault was injected, so the zeros below mean something. (A message may still be dead-lettered
    // after five failed receives while another copy of it got its case processed: `stuck` is what counts.)
    expect(r.faults.storeFailedBefore + r.faults.storeFailedAfterWrite).toBeGreaterThan(0);
    expect(r.faults.busFailed + r.faults.busFailedPartly).toBeGreaterThan(0);
    expect(r.faults.schedulerFailedBefore + r.faults.schedulerFailedAfterWrite).toBeGreaterThan(0);
    expect(r.faults.processKilledMidBatch + r.faults.processKilledBeforeAnswer).toBeGreaterThan(0);
    expect(r.faults.dynamoPauses).toBe(1);
    expect(r.concurrentCopies + r.resentInFlight).toBeGreaterThan(0);
    expect(r.actionsDone).toBeGreaterThan(0);

    expect({
      quiescent: r.quiescent,
      stored: r.stored,
      lost: r.lost,
      duplicates: r.duplicates,
      stuck: r.stuck,
      eventsMissing: r.eventsMissing,
      missingByType: r.missingByType,
      http5xx: r.http5xx,
      http5xxByError: r.http5xxByError,
      http4xx: r.http4xx,
      acceptedTwice: r.acceptedTwice,
      unanswered: r.unanswered,
      timersMissing: r.timersMissing,
      actionsGaveUp: r.actionsGaveUp,
    }).toEqual({
      quiescent: true,
      stored: 300,
      lost: 0,
      duplicates: 0,
      stuck: 0,
      eventsMissing: 0,
      missingByType: {},
      http5xx: 0,
      http5xxByError: {},
      http4xx: 0,
      acceptedTwice: 0,
      unanswered: 0,
      timersMissing: 0,
      actionsGaveUp: 0,
    });
  }, 300_000);
});

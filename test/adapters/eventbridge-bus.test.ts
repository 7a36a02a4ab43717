import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventBridgeBus } from '../../functions/adapters/aws/eventbridge-bus.js';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import { PublishError } from '../../functions/ports/errors.js';
import type { DomainEvent } from '../../events/schemas.js';
import { dispatchEvents } from '../../functions/domain/case/dispatch-events.js';
import { dispatchedCase } from '../support/fixtures.js';

const eb = mockClient(EventBridgeClient);
const noSleep = { maxAttempts: 4, baseDelayMs: 1, sleep: async () => undefined };
const events = (n: number): DomainEvent[] =>
  Array.from({ length: Math.ceil(n / 3) }, () => dispatchEvents(dispatchedCase().dispatched))
    .flat()
    .slice(0, n);

describe('EventBridgeBus', () => {
  beforeEach(() => eb.reset());

  it('sends at most 10 entries per PutEvents call, to the named bus, with source and detail-type', async () => {
    eb.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })),
    }));
    await new EventBridgeBus(new EventBridgeClient({}), 'hotline-dev', noSleep).publish(events(23));
    const calls = eb.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    const first = calls[0]!.args[0].input.Entries![0]!;
    expect(first).toMatchObject({ EventBusName: 'hotline-dev', Source: 'hotline.integration', DetailType: 'Ticket.Received' });
    expect(JSON.parse(first.Detail!)).toHaveProperty('eventId');
  });

  it('retries only the entries that failed, keeping their event ids', async () => {
    const sent: string[][] = [];
    let call = 0;
    eb.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => {
      sent.push(input.Entries.map((e) => JSON.parse(e.Detail).eventId as string));
      call += 1;
      return {
        FailedEntryCount: call === 1 ? 2 : 0,
        Entries: input.Entries.map((_, i) =>
          call === 1 && (i === 1 || i === 4) ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: 'ok' },
        ),
      };
    });
    const evs = events(6);
    await new EventBridgeBus(new EventBridgeClient({}), 'bus', noSleep).publish(evs);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual([evs[1]!.detail.eventId, evs[4]!.detail.eventId]);
  });

  it('throws PublishError naming what failed when retries run out', async () => {
    eb.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((_, i) => (i === 0 ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' })),
    }));
    const evs = events(3);
    const err = await new EventBridgeBus(new EventBridgeClient({}), 'bus', noSleep).publish(evs).catch((e) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect((err as PublishError).failed).toEqual([{ type: evs[0]!.type, eventId: evs[0]!.detail.eventId, code: 'InternalFailure' }]);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(4);
  });

  it('retries a whole call that was throttled and then succeeds', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    eb.on(PutEventsCommand)
      .rejectsOnce(throttled)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }, { EventId: '2' }, { EventId: '3' }] });
    await new EventBridgeBus(new EventBridgeClient({}), 'bus', noSleep).publish(events(3));
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  // The contract check runs in the in-process bus that local mode and every integration test use, not in the
  // Lambda adapter (it would bundle zod and every event schema into each function).
  it('the in-process bus refuses an event that does not match its schema, delivering none of the batch', async () => {
    const [e, ok] = events(2);
    const bad = { ...e!, detail: { ...e!.detail, eventId: 'not-a-uuid' } } as DomainEvent;
    const bus = new InProcessBus();
    const seen: unknown[] = [];
    bus.subscribe((x) => seen.push(x));
    await expect(bus.publish([ok!, bad])).rejects.toThrow(/eventId/);
    expect(seen).toEqual([]);
  });
});

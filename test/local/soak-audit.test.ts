/** The soak's audit counts each kind of defect it is there to find: plant one of each, see each counted once. */
import { describe, expect, it } from 'vitest';
import { audit, type AuditInput } from '../../bench/soak-audit.js';
import { deployedRules } from '../../functions/config/deployed.js';
import type { CaseRecord } from '../../functions/domain/case/case.js';
import { dispatchEvents } from '../../functions/domain/case/dispatch-events.js';
import { nextMoment, planTimers } from '../../functions/domain/deadlines/schedule-plan.js';
import { applyAction, transitionEvent } from '../../functions/domain/lifecycle/index.js';
import { MemoryCaseStore } from '../support/memory-case-store.js';
import { dispatchedCase, sourced12345 } from '../support/fixtures.js';

const now = Date.parse('2026-09-30T02:00:00Z'); // before the fixtures' deadlines: every open case plans a timer
const fresh = () => dispatchedCase({}, sourced12345());

async function setUp() {
  const store = new MemoryCaseStore();
  const clean = fresh().dispatched;
  const stuck = fresh().received;
  const unpublished = fresh().dispatched;
  const dispatched = fresh().dispatched;
  const outcome = applyAction(dispatched, 'accept', {}, { role: 'agent', agencyId: dispatched.agencyId! }, '2026-09-30T01:20:00.000Z', deployedRules);
  if (!outcome.ok) throw new Error('fixture: accept failed');
  const accepted = outcome.next as CaseRecord;
  for (const c of [clean, stuck, unpublished, accepted]) store.cases.set(c.caseId, structuredClone(c));

  const published = new Map<string, number>();
  for (const c of [clean, unpublished, accepted]) for (const e of dispatchEvents(c)) published.set(e.detail.eventId, 1);
  const notPublished = dispatchEvents(unpublished).find((e) => e.type === 'Case.Dispatched')!.detail.eventId;
  published.delete(notPublished);
  published.set(dispatchEvents(clean)[0]!.detail.eventId, 2); // published twice
  const acceptedEvent = transitionEvent(accepted, accepted.history.at(-1)).detail.eventId; // never published

  const at = (c: CaseRecord) => Date.parse(nextMoment(planTimers(c, deployedRules), now)!.at);
  const timers = new Map([
    [clean.caseId, at(clean)],
    [unpublished.caseId, at(unpublished)],
    [accepted.caseId, at(accepted) + 1], // later than its next moment: that moment would be missed
  ]);
  const ticket = (c: CaseRecord) => ({ caseId: c.caseId, source: c.source, sourceTicketId: c.sourceTicketId });
  const input: AuditInput = {
    // `clean`'s ticket stored a second time under another case id: a duplicate.
    stored: [clean, stuck, unpublished, accepted].map(ticket).concat({ ...ticket(clean), caseId: 'second-case-of-clean' }),
    answers: new Map([
      [clean.caseId, { accepted: 2, duplicate: 0 }], // two copies both answered `accepted`
      [stuck.caseId, { accepted: 0, duplicate: 1 }],
      ['12345-NEVER-STORED', { accepted: 1, duplicate: 0 }], // lost
      [unpublished.caseId, { accepted: 0, duplicate: 0 }],
    ]),
    published,
    timers,
    timerRules: deployedRules,
    now,
  };
  return { store, input, acceptedEvent };
}

describe('soak audit', () => {
  it('counts a duplicate, a lost ticket, a stuck case, missing and duplicated events, a double acceptance and a late timer', async () => {
    const { store, input } = await setUp();
    expect(await audit(store, input)).toEqual({
      accepted: 2,
      stored: 5,
      duplicates: 1,
      lost: 1,
      stuck: 1,
      eventsMissing: 2,
      eventsDuplicated: 1,
      missingByType: { 'Case.Dispatched': 1, 'Case.Accepted': 1 },
      acceptedTwice: 1,
      timersMissing: 1,
      eventsPublished: 9,
    });
  });

  it('finds nothing once the missing events are published and the timer is at its moment', async () => {
    const { store, input, acceptedEvent } = await setUp();
    const published = new Map(input.published);
    for (const c of store.cases.values()) if (c.status !== 'received') for (const e of dispatchEvents(c)) published.set(e.detail.eventId, 1);
    published.set(acceptedEvent, 1);
    const timers = new Map(input.timers);
    for (const c of store.cases.values()) if (c.status !== 'received') timers.set(c.caseId, Date.parse(nextMoment(planTimers(c, deployedRules), now)!.at));
    const r = await audit(store, { ...input, published, timers });
    expect({ eventsMissing: r.eventsMissing, timersMissing: r.timersMissing, eventsDuplicated: r.eventsDuplicated }).toEqual({
      eventsMissing: 0,
      timersMissing: 0,
      eventsDuplicated: 0,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../../functions/domain/case/case.js';
import { nextDueAt } from '../../../functions/domain/deadlines/next-due.js';
import type { Deadlines } from '../../../functions/domain/deadlines/index.js';

const ACCEPT = '2026-10-08T23:59:59+08:00';
const REPLY = '2026-10-23T23:59:59+08:00';
const EVALUATE = '2026-10-30T23:59:59+08:00';
const PROCEDURAL = '2026-10-07T23:59:59+08:00';
const RESULT = '2026-12-30T23:59:59+08:00';
const CURRENT = '2026-10-01T00:00:00+08:00';

const ticket: Deadlines = { acceptBy: ACCEPT, replyBy: REPLY, beyondKnownCalendar: false };
const clue: Deadlines = { evaluateBy: EVALUATE, beyondKnownCalendar: false };
const recommendation: Deadlines = { replyBy: REPLY, beyondKnownCalendar: false };
const kept12309: Deadlines = { proceduralReplyBy: PROCEDURAL, resultReplyBy: RESULT, beyondKnownCalendar: false };

describe('the next-due rule', () => {
  it('is the sign-for deadline of a dispatched or reopened ticket, the reply deadline once accepted', () => {
    expect(nextDueAt('dispatched', ticket)).toBe(ACCEPT);
    expect(nextDueAt('reopened', ticket, REPLY)).toBe(ACCEPT);
    expect(nextDueAt('accepted', ticket, ACCEPT)).toBe(REPLY);
    expect(nextDueAt('extension_requested', ticket, REPLY)).toBe(REPLY);
  });

  it("is a clue's evaluation deadline when it is referred, and keeps it while the department investigates", () => {
    expect(nextDueAt('dispatched', clue)).toBe(EVALUATE);
    expect(nextDueAt('accepted', clue, EVALUATE)).toBe(EVALUATE);
  });

  it("is a recommendation's reply deadline, and a kept 12309 ticket's own replies", () => {
    expect(nextDueAt('dispatched', recommendation)).toBe(REPLY);
    expect(nextDueAt('accepted', recommendation, REPLY)).toBe(REPLY);
    expect(nextDueAt('dispatched', kept12309)).toBe(PROCEDURAL);
    expect(nextDueAt('accepted', kept12309, PROCEDURAL)).toBe(RESULT);
  });

  it('leaves the due date as it is in every other status', () => {
    for (const s of ['returned', 'needs_review', 'replied', 'closed', 'received'] as const) expect(nextDueAt(s, ticket, CURRENT)).toBe(CURRENT);
  });

  it('gives a case sent to manual review at dispatch the deadline it would be taken up by', () => {
    expect(nextDueAt('needs_review', ticket)).toBe(ACCEPT);
    expect(nextDueAt('returned', ticket)).toBeUndefined();
  });

  it('keeps the current due date when there are no deadlines', () => {
    for (const s of CASE_STATUSES) expect(nextDueAt(s, undefined, CURRENT)).toBe(CURRENT);
  });
});

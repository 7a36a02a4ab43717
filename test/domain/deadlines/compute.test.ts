import { describe, expect, it } from 'vitest';
import { calendar } from '../../../functions/config/calendar.js';
import { deadlinePolicy as policy } from '../../../functions/config/deadline-policy.js';
import { computeDeadlines, dueSoonAt, escalateAt, extendDeadline, extensionProblem, type DeadlineInput } from '../../../functions/domain/deadlines/index.js';

const t12345 = (over: Partial<DeadlineInput> = {}): DeadlineInput => ({
  source: '12345',
  kind: 'ticket',
  ticketType: 'complaint',
  urgency: 'normal',
  receivedAt: '2026-09-30T09:00:00+08:00',
  dispatchedAt: '2026-09-30T10:00:00+08:00',
  ...over,
});

describe('computeDeadlines: 12345 (product.md §7 examples)', () => {
  it.each(['2026-09-30T00:00:00+08:00', '2026-09-30T10:00:00+08:00', '2026-09-30T23:59:59+08:00'])(
    'a complaint dispatched %s: sign for by end of 10-08, answer by end of 10-23',
    (dispatchedAt) => {
      expect(computeDeadlines(t12345({ dispatchedAt }), policy, calendar)).toEqual({
        acceptBy: '2026-10-08T23:59:59+08:00',
        replyBy: '2026-10-23T23:59:59+08:00',
        beyondKnownCalendar: false,
      });
    },
  );

  it('a consultation dispatched the same day is due on the make-up Saturday 10-10', () => {
    const d = computeDeadlines(t12345({ ticketType: 'consultation' }), policy, calendar);
    expect(d.acceptBy).toBe('2026-10-08T23:59:59+08:00');
    expect(d.replyBy).toBe('2026-10-10T23:59:59+08:00');
  });

  it('report and suggestion are 13 working days; help and praise 3', () => {
    for (const ticketType of ['report', 'suggestion']) {
      expect(computeDeadlines(t12345({ ticketType }), policy, calendar).replyBy).toBe('2026-10-23T23:59:59+08:00');
    }
    for (const ticketType of ['help', 'praise']) {
      expect(computeDeadlines(t12345({ ticketType }), policy, calendar).replyBy).toBe('2026-10-10T23:59:59+08:00');
    }
  });

  it('converts a UTC dispatch time to the Shanghai day first', () => {
    // 2026-09-30T15:30:00Z is 23:30 on 30 September in Shanghai: same as the example.
    expect(computeDeadlines(t12345({ dispatchedAt: '2026-09-30T15:30:00Z' }), policy, calendar)).toMatchObject({
      acceptBy: '2026-10-08T23:59:59+08:00',
      replyBy: '2026-10-23T23:59:59+08:00',
    });
    // 2026-09-29T16:30:00Z is 00:30 on 30 September in Shanghai, not 29 September.
    expect(computeDeadlines(t12345({ dispatchedAt: '2026-09-29T16:30:00Z' }), policy, calendar).acceptBy).toBe('2026-10-08T23:59:59+08:00');
    // ...whereas 15:30Z on the 29th is still the 29th (Tuesday): sign for by the 30th.
    expect(computeDeadlines(t12345({ dispatchedAt: '2026-09-29T15:30:00Z' }), policy, calendar).acceptBy).toBe('2026-09-30T23:59:59+08:00');
  });

  it('Spring Festival 2026: holidays 02-15..02-23, make-up Saturdays 02-14 and 02-28', () => {
    // dispatched Friday 02-13: 1 = Sat 02-14 (make-up), 2 = Tue 02-24, 3 = Wed 02-25
    const c = computeDeadlines(t12345({ ticketType: 'consultation', dispatchedAt: '2026-02-13T16:00:00+08:00' }), policy, calendar);
    expect(c).toEqual({ acceptBy: '2026-02-14T23:59:59+08:00', replyBy: '2026-02-25T23:59:59+08:00', beyondKnownCalendar: false });
    // dispatched on the make-up Saturday: the next working day is Tue 02-24; 13th: 02-24..27 (4), 02-28 (5), 03-02..06 (10), 03-09..11 (13)
    const k = computeDeadlines(t12345({ dispatchedAt: '2026-02-14T09:00:00+08:00' }), policy, calendar);
    expect(k).toEqual({ acceptBy: '2026-02-24T23:59:59+08:00', replyBy: '2026-03-11T23:59:59+08:00', beyondKnownCalendar: false });
  });

  it('emergency: sign for in 1 hour, reply in 24 hours, exact to the second', () => {
    const d = computeDeadlines(t12345({ urgency: 'emergency', dispatchedAt: '2026-09-30T15:30:15Z' }), policy, calendar);
    expect(d).toEqual({ acceptBy: '2026-10-01T00:30:15+08:00', replyBy: '2026-10-01T23:30:15+08:00', beyondKnownCalendar: false });
  });

  it('urgent (danger to life, §4) is counted in hours like emergency by the default policy', () => {
    const d = computeDeadlines(t12345({ urgency: 'urgent', ticketType: 'report' }), policy, calendar);
    expect(d).toMatchObject({ acceptBy: '2026-09-30T11:00:00+08:00', replyBy: '2026-10-01T10:00:00+08:00' });
  });

  it('flags a deadline past the known calendar and still gives the weekends-only estimate', () => {
    const d = computeDeadlines(t12345({ dispatchedAt: '2026-12-28T10:00:00+08:00' }), policy, calendar);
    expect(d).toEqual({ acceptBy: '2026-12-29T23:59:59+08:00', replyBy: '2027-01-14T23:59:59+08:00', beyondKnownCalendar: true });
    // hours never depend on the calendar
    expect(computeDeadlines(t12345({ urgency: 'emergency', dispatchedAt: '2027-03-01T10:00:00+08:00' }), policy, calendar).beyondKnownCalendar).toBe(false);
  });

  it('rejects an instant without an offset', () => {
    expect(() => computeDeadlines(t12345({ dispatchedAt: '2026-09-30T10:00:00' }), policy, calendar)).toThrow(RangeError);
  });
});

describe('computeDeadlines: 12309, transfers, clues, recommendations', () => {
  const t12309 = (over: Partial<DeadlineInput> = {}): DeadlineInput => ({
    source: '12309',
    kind: 'ticket',
    ticketType: 'accusation',
    urgency: 'normal',
    receivedAt: '2026-09-30T15:30:00Z', // 23:30 on 09-30 in Shanghai
    dispatchedAt: '2026-10-02T10:00:00+08:00',
    ...over,
  });

  it('a 12309 ticket: procedural reply 7 calendar days, result 3 months, both from receipt', () => {
    expect(computeDeadlines(t12309(), policy, calendar)).toEqual({
      proceduralReplyBy: '2026-10-07T23:59:59+08:00', // holidays count: calendar days
      resultReplyBy: '2026-12-30T23:59:59+08:00',
      beyondKnownCalendar: false,
    });
  });

  it('3 months clamps to the end of a shorter month', () => {
    const d = computeDeadlines(t12309({ receivedAt: '2026-11-30T10:00:00+08:00' }), policy, calendar);
    expect(d.resultReplyBy).toBe('2027-02-28T23:59:59+08:00');
    expect(d.proceduralReplyBy).toBe('2026-12-07T23:59:59+08:00');
    expect(d.beyondKnownCalendar).toBe(false); // calendar days and months do not need the working calendar
    expect(computeDeadlines(t12309({ receivedAt: '2027-11-30T10:00:00+08:00' }), policy, calendar).resultReplyBy).toBe('2028-02-29T23:59:59+08:00');
  });

  it('a 12309 transfer: 12345-style sign-for and reply for the agency, and the 12309 replies are kept', () => {
    expect(computeDeadlines(t12309({ kind: 'transfer', ticketType: 'report', dispatchedAt: '2026-09-30T11:00:00+08:00' }), policy, calendar)).toEqual({
      acceptBy: '2026-10-08T23:59:59+08:00',
      replyBy: '2026-10-23T23:59:59+08:00',
      proceduralReplyBy: '2026-10-07T23:59:59+08:00',
      resultReplyBy: '2026-12-30T23:59:59+08:00',
      beyondKnownCalendar: false,
    });
    // a 12309 matter type with no 12345 counterpart uses otherTypes (13 working days)
    expect(
      computeDeadlines(t12309({ kind: 'transfer', ticketType: 'state_compensation', dispatchedAt: '2026-09-30T11:00:00+08:00' }), policy, calendar).replyBy,
    ).toBe('2026-10-23T23:59:59+08:00');
  });

  it('a clue: evaluated within 30 days of referral', () => {
    expect(computeDeadlines(t12309({ kind: 'clue', dispatchedAt: '2026-09-30T15:30:00Z' }), policy, calendar)).toEqual({
      evaluateBy: '2026-10-30T23:59:59+08:00',
      beyondKnownCalendar: false,
    });
  });

  it('a recommendation: 2 months (urgent 15 days) from issue, month end clamped', () => {
    const rec = (over: Partial<DeadlineInput>) => t12345({ kind: 'recommendation', ...over });
    expect(computeDeadlines(rec({ dispatchedAt: '2026-12-31T09:00:00+08:00' }), policy, calendar)).toEqual({
      replyBy: '2027-02-28T23:59:59+08:00',
      beyondKnownCalendar: false,
    });
    expect(computeDeadlines(rec({ urgency: 'urgent', dispatchedAt: '2026-09-30T09:00:00+08:00' }), policy, calendar).replyBy).toBe('2026-10-15T23:59:59+08:00');
  });
});

describe('due-soon, escalation, extension', () => {
  it('due soon when 80 % of the time has passed', () => {
    expect(dueSoonAt('2026-10-01T00:00:00+08:00', '2026-10-11T00:00:00+08:00', 0.8)).toBe('2026-10-09T00:00:00+08:00');
    expect(dueSoonAt('2026-09-30T10:00:00+08:00', '2026-09-30T11:00:00+08:00', policy.dueSoonFraction)).toBe('2026-09-30T10:48:00+08:00');
    expect(dueSoonAt('2026-09-30T02:00:00Z', '2026-09-30T12:00:00+08:00', 0.5)).toBe('2026-09-30T11:00:00+08:00');
    expect(() => dueSoonAt('2026-10-02T00:00:00Z', '2026-10-01T00:00:00Z', 0.8)).toThrow(RangeError);
    expect(() => dueSoonAt('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 1.2)).toThrow(RangeError);
  });

  it('escalates 5 working days after the due date', () => {
    // due Wed 09-30: working days after: 10-08, 10-09, 10-10 (make-up), 10-12, 10-13
    expect(escalateAt('2026-09-30T23:59:59+08:00', calendar, policy)).toEqual({ at: '2026-10-13T23:59:59+08:00', beyondKnownCalendar: false });
    expect(escalateAt('2026-12-30T23:59:59+08:00', calendar, policy)).toEqual({ at: '2027-01-06T23:59:59+08:00', beyondKnownCalendar: true });
  });

  it('extends a reply deadline by working days from its day', () => {
    // replyBy 10-23 (Fri) + 10 working days: 10-26..30 (5), 11-02..06 (10)
    expect(extendDeadline('2026-10-23T23:59:59+08:00', 10, calendar)).toEqual({ at: '2026-11-06T23:59:59+08:00', beyondKnownCalendar: false });
    expect(() => extendDeadline('2026-10-23T23:59:59+08:00', 0, calendar)).toThrow(RangeError);
  });

  it('checks an extension request against the policy (one, up to 10 working days)', () => {
    expect(extensionProblem(policy, 0, 10)).toBeUndefined();
    expect(extensionProblem(policy, 0, 11)).toMatch(/at most 10 working days/);
    expect(extensionProblem(policy, 1, 5)).toMatch(/at most 1 extension/);
  });
});

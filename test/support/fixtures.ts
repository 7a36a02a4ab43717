/** Builders of valid tickets, decisions and processed cases for tests (the project's own data, not ../shared). */
import type { Decision } from '../../functions/domain/classify/decision.js';
import { receiveTicket, type CaseRecord } from '../../functions/domain/case/case.js';
import { dispatch } from '../../functions/domain/case/dispatch.js';
import { Ticket12309, Ticket12345, type SourcedTicket } from '../../functions/domain/ticket/schemas.js';
import { devContactCipher } from '../../functions/adapters/envelope-contact-cipher.js';
import { formatShanghai } from '../../functions/domain/deadlines/time.js';

/** The contact cipher of the tests (the local adapter with a test key). */
export const testContacts = devContactCipher('test-contact-key');

/** A copy of a record with its contact sealed, as acceptTickets stores it. */
export async function sealed<T extends CaseRecord>(c: T): Promise<T> {
  if (!c.contact) return c;
  const { contact, ...rest } = c;
  return { ...rest, contactSealed: await testContacts.seal(contact, c.caseId) } as T;
}

let seq = 0;
export const uniqueId = (prefix = 'T') => `${prefix}-${process.pid}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

/**
 * A `receivedAt` an hour before the real clock: what a hotline sends now. Requests through ingest use it, since
 * ingest refuses a time outside its window (config/deadline-policy.json `receipt`) around the time of arrival.
 * The domain builders below (`sourced12345`, `sourced12309`) keep fixed dates, which their deadlines are checked against.
 */
export const recentReceivedAt = (): string => formatShanghai(Date.now() - 3_600_000);

/**
 * A phone of its own per ticket: tickets from one phone about one domain are one caller's repeat requests, which the
 * process function merges (重复诉求合并). A test about repeats names the phone it repeats.
 */
let phoneSeq = 0;
export const uniquePhone = (): string => `138${String((process.pid * 7919 + Date.now() + phoneSeq++ * 104_729) % 100_000_000).padStart(8, '0')}`;

/** A 12345 payload as a hotline would send it now. */
export function ticket12345(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ticketId: uniqueId('WH'),
    receivedAt: recentReceivedAt(),
    channel: 'phone',
    type: 'complaint',
    content: '小区门口的餐馆油烟直排，家里窗户都不敢开，要求环保部门处理。',
    regionCode: '150302',
    caller: { name: '张三', phone: uniquePhone() },
    ...over,
  };
}

/** A 12309 payload as a hotline would send it now. */
export function ticket12309(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    caseNo: uniqueId('JC'),
    receivedAt: recentReceivedAt(),
    channel: 'web',
    matterType: 'appeal',
    content: '对法院的民事判决不服，申请检察院监督。',
    procuratorateCode: '150300',
    petitioner: { name: '李四', phone: uniquePhone(), idNumber: '150302199001011234' },
    ...over,
  };
}

export const sourced12345 = (over: Record<string, unknown> = {}): SourcedTicket => ({
  source: '12345',
  ticket: Ticket12345.parse(ticket12345({ receivedAt: '2026-09-30T09:15:00+08:00', caller: { name: '张三', phone: '13800001111' }, ...over })),
});
export const sourced12309 = (over: Record<string, unknown> = {}): SourcedTicket => ({
  source: '12309',
  ticket: Ticket12309.parse(
    ticket12309({ receivedAt: '2026-09-30T10:00:00+08:00', petitioner: { name: '李四', phone: '13900002222', idNumber: '150302199001011234' }, ...over }),
  ),
});

export function decision(over: Partial<Decision> = {}): Decision {
  return {
    domain: 'ecology_environment',
    ticketType: 'complaint',
    typeOverruled: false,
    clue: 'none',
    agencyId: '150302:ecology-environment',
    referralAgencyId: null,
    transfer: false,
    confidence: 0.9,
    needsReview: false,
    urgency: 'normal',
    evidence: ['domain:ecology_environment<=油烟'],
    ...over,
  };
}

export const fixedDeadlines = () => ({ acceptBy: '2026-10-08T23:59:59+08:00', replyBy: '2026-10-23T23:59:59+08:00', beyondKnownCalendar: false });

/** A received case, and the same case after dispatch. */
export function dispatchedCase(over: Partial<Decision> = {}, t: SourcedTicket = sourced12345()): { received: CaseRecord; dispatched: CaseRecord } {
  const received = receiveTicket(t, '2026-09-30T01:16:00.000Z', 'corr-1');
  return { received, dispatched: dispatch(received, decision(over), fixedDeadlines, '2026-09-30T01:16:05.000Z') };
}

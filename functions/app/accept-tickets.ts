/**
 * Accept (受理) a request's tickets: store each new one as a `received` case, all-or-nothing. A ticket is answered
 * `accepted` once it is stored: the stored record is the outbox, and the relay (relay.ts), fed by the table's change
 * stream, enqueues every new `received` case for processing, retrying until it is on the queue. So no stored ticket
 * can stay unqueued, not even when the write's answer was lost or the function died right after it.
 *
 * A re-sent ticket answers `duplicate` with the original case id and changes nothing — except that a duplicate whose
 * case is still `received` is enqueued again (processing is idempotent): the hotline's retry is also a redrive for a
 * ticket whose stream record the relay could not handle and dead-lettered.
 */
import { receiveTicket, type CaseRecord } from '../domain/case/case.js';
import type { SourcedTicket } from '../domain/ticket/schemas.js';
import { sourceTicketId } from '../domain/ticket/source.js';
import type { CaseStore } from '../ports/case-store.js';
import type { WorkQueue } from '../ports/work-queue.js';
import type { ContactCipher } from '../ports/contact-cipher.js';
import type { CallerKeySecret } from '../ports/caller-key-secret.js';
import { callerKeyOf } from '../domain/merge/merge.js';

export interface AcceptDeps {
  store: CaseStore;
  queue: WorkQueue;
  contacts: ContactCipher;
  /** The secret of the caller key (repeat callers, 重复诉求合并); none wired = tickets are not compared by caller. */
  callerKeys?: CallerKeySecret;
  now: () => Date;
}

export interface AcceptResult {
  ticketId: string;
  status: 'accepted' | 'duplicate';
  caseId: string;
}

/** Body of a process-queue message. */
export interface ProcessMessage {
  caseId: string;
  correlationId: string;
}

async function sealContact(cipher: ContactCipher, r: CaseRecord): Promise<void> {
  if (!r.contact) return;
  r.contactSealed = await cipher.seal(r.contact, r.caseId);
  delete r.contact;
}

export async function acceptTickets(deps: AcceptDeps, tickets: SourcedTicket[], correlationId: string): Promise<AcceptResult[]> {
  const at = deps.now().toISOString();
  const records = tickets.map((t) => receiveTicket(t, at, correlationId));
  // The same ticket twice in one request: the first copy counts, the second is its duplicate.
  const firstIndex = new Map<string, number>();
  records.forEach((r, i) => {
    if (!firstIndex.has(r.caseId)) firstIndex.set(r.caseId, i);
  });
  const unique = [...firstIndex.values()].map((i) => records[i]!);

  // The caller key is taken from the phone before the contact is sealed: a keyed hash, never the phone itself.
  if (deps.callerKeys && unique.some((r) => r.contact?.phone)) {
    const secret = await deps.callerKeys.secret();
    for (const r of unique) {
      const key = callerKeyOf(secret, r.contact?.phone);
      if (key) r.callerKey = key;
    }
  }
  await Promise.all(unique.map((r) => sealContact(deps.contacts, r)));
  const outcomes = await deps.store.createAll(unique);
  // New tickets are enqueued by the relay; a duplicate still waiting is enqueued again here.
  const toProcess = outcomes.filter((o) => !o.created && o.status === 'received');
  if (toProcess.length)
    await deps.queue.send(toProcess.map((o) => ({ id: o.caseId, body: JSON.stringify({ caseId: o.caseId, correlationId } satisfies ProcessMessage) })));

  const created = new Map(outcomes.map((o) => [o.caseId, o.created]));
  return records.map((r, i) => ({
    ticketId: sourceTicketId(tickets[i]!),
    status: created.get(r.caseId) && firstIndex.get(r.caseId) === i ? 'accepted' : 'duplicate',
    caseId: r.caseId,
  }));
}

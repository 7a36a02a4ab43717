import { describe, expect, it } from 'vitest';
import { eventEnvelope, SCHEMA_VERSION } from '../../events/envelope.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';

describe('the event envelope, built once', () => {
  const c = { caseId: '12345-X', correlationId: 'corr-1' };

  it('derives the id from the case, the type and the version, and takes the time given', () => {
    const e = eventEnvelope({ case: c, idType: 'Case.Accepted', version: 3, occurredAt: '2026-10-01T09:00:00+08:00' });
    expect(e).toEqual({
      eventId: eventIdFor('12345-X', 'Case.Accepted', 3),
      schemaVersion: SCHEMA_VERSION,
      occurredAt: '2026-10-01T09:00:00+08:00',
      caseId: '12345-X',
      correlationId: 'corr-1',
    });
    expect(eventEnvelope({ case: c, idType: 'Case.Accepted', version: 4, occurredAt: e.occurredAt }).eventId).not.toBe(e.eventId);
  });

  it('names the id by another subject when given (a cluster is detected once, whichever case completes it)', () => {
    const e = eventEnvelope({ case: c, idSubject: 'cluster-1', idType: 'Cluster.Detected', version: 1, occurredAt: '2026-10-01T09:00:00+08:00' });
    expect(e.eventId).toBe(eventIdFor('cluster-1', 'Cluster.Detected', 1));
    expect(e.caseId).toBe('12345-X');
  });
});

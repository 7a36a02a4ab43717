import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventJsonFiles } from '../../events/json-schemas.js';
import { EVENT_SCHEMAS } from '../../events/schemas.js';
import { assertValidEvent } from '../../events/validate.js';
import { dispatchEvents } from '../../functions/domain/case/dispatch-events.js';
import { dispatchedCase } from '../support/fixtures.js';

const dir = join(import.meta.dirname, '..', '..', 'events', 'json');

describe('event schemas', () => {
  it('declares every event of product.md §6', () => {
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual(
      [
        'Ticket.Received',
        'Ticket.Classified',
        'Case.Dispatched',
        'Case.Accepted',
        'Case.Returned',
        'Case.ExtensionRequested',
        'Case.ExtensionGranted',
        'Case.Replied',
        'Case.Closed',
        'Case.Reopened',
        // issue #11: a repeat request merged into an open case (重复诉求合并), added beside the contracts of §6
        'Case.Merged',
        'Case.DueSoon',
        'Case.Overdue',
        'Case.Escalated',
        'Clue.Referred',
        'Clue.Accepted',
        'Clue.Declined',
        'Recommendation.Issued',
        'Recommendation.Replied',
        'Recommendation.Overdue',
        'Case.Transferred',
        'Cluster.Detected',
      ].sort(),
    );
  });

  it('has committed JSON Schema files equal to the zod declarations (run `npm run events:export` after a change)', () => {
    const expected = eventJsonFiles();
    expect(readdirSync(dir).sort()).toEqual(expected.map(([f]) => f).sort());
    for (const [file, content] of expected) expect(readFileSync(join(dir, file), 'utf8'), file).toBe(content);
  });

  it('builds dispatch events that satisfy their schemas and carry the envelope fields', () => {
    for (const e of dispatchEvents(dispatchedCase().dispatched)) {
      expect(() => assertValidEvent(e)).not.toThrow();
      expect(e.detail).toMatchObject({ schemaVersion: 1, correlationId: 'corr-1' });
    }
  });

  it('rebuilds identical events from the same stored record (ids and times do not depend on the clock)', () => {
    const { dispatched } = dispatchedCase();
    expect(dispatchEvents(structuredClone(dispatched))).toEqual(dispatchEvents(dispatched));
  });
});

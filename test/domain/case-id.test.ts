import { describe, expect, it } from 'vitest';
import { caseIdFor } from '../../functions/domain/case/case-id.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';

describe('case and event ids', () => {
  it('derives the same case id for the same (source, ticket id) and different ids otherwise', () => {
    expect(caseIdFor('12345', 'WH-1')).toBe(caseIdFor('12345', 'WH-1'));
    expect(caseIdFor('12345', 'WH-1')).not.toBe(caseIdFor('12309', 'WH-1'));
    expect(caseIdFor('12345', 'WH-1')).not.toBe(caseIdFor('12345', 'WH-2'));
    expect(caseIdFor('12345', 'WH-1')).toMatch(/^12345-[A-Z0-9]{20}$/);
  });

  it('spreads 20,000 ticket ids over 20,000 distinct case ids', () => {
    const ids = new Set(Array.from({ length: 20_000 }, (_, i) => caseIdFor('12345', `T-${i}`)));
    expect(ids.size).toBe(20_000);
  });

  it('makes deterministic RFC-shaped event ids per (case, type, version)', () => {
    const a = eventIdFor('12345-X', 'Case.Dispatched', 2);
    expect(a).toBe(eventIdFor('12345-X', 'Case.Dispatched', 2));
    expect(a).not.toBe(eventIdFor('12345-X', 'Case.Dispatched', 3));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

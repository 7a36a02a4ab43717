/** Repeat-request merging in the domain: the caller key, the merge keys, the window, who takes repeats. */
import { describe, expect, it } from 'vitest';
import { deployedRules } from '../../../functions/config/deployed.js';
import { groupKeysOf } from '../../../functions/config/group-keys.js';
import type { AgencyId } from '../../../functions/domain/taxonomy.js';
import { callerKeyOf, keyLive, mergeInto, mergeKeysOf, normalisePhone, registerKey, takesRepeats } from '../../../functions/domain/merge/merge.js';
import { dispatchedCase, sourced12345 } from '../../support/fixtures.js';

const rules = deployedRules.merge;

describe('repeat-request merging', () => {
  it('compares callers by a keyed hash of the normalised phone, never the phone', () => {
    expect(normalisePhone('+86 139-1234-0001')).toBe('13912340001');
    expect(normalisePhone('0086 13912340001')).toBe('13912340001');
    expect(normalisePhone('0473-1234567')).toBe('04731234567');
    expect(normalisePhone('123')).toBeUndefined();
    const k = callerKeyOf('secret-a', '139 1234 0001')!;
    expect(k).toMatch(/^[0-9a-f]{32}$/);
    expect(callerKeyOf('secret-a', '+8613912340001')).toBe(k);
    expect(callerKeyOf('secret-b', '13912340001')).not.toBe(k); // keyed: without the secret, no phone can be tested
    expect(k).not.toContain('13912340001');
    expect(callerKeyOf('secret-a', undefined)).toBeUndefined();
  });

  it('keys a routed case by caller and domain, and by its address in region and domain; none for manual review', () => {
    const { dispatched } = dispatchedCase({}, sourced12345({ address: '海勃湾区幸福小区3号楼' }));
    const keys = mergeKeysOf({ ...dispatched, callerKey: 'a'.repeat(32) }, rules, groupKeysOf);
    expect(keys.map((k) => k.match)).toEqual(['caller', 'place']);
    expect(keys[0]!.groupId).toBe(`merge:caller:${'a'.repeat(32)}:ecology_environment`);
    expect(keys[1]!.groupId).toMatch(/^merge:place:150302:ecology_environment:address:/);
    expect(mergeKeysOf({ ...dispatched, decision: { ...dispatched.decision!, needsReview: true } }, rules, groupKeysOf)).toEqual([]);
  });

  it('takes repeats within the window only, and only while the case is open and its list has room', () => {
    const { dispatched } = dispatchedCase();
    const key = registerKey({ groupId: 'merge:caller:x', match: 'caller' }, dispatched, undefined, rules, deployedRules.calendar);
    expect(key).toMatchObject({ caseId: dispatched.caseId, version: 1 });
    expect(keyLive(key, '2026-10-29T23:59:59+08:00')).toBe(true); // 30 days from 2026-09-30 09:15
    expect(keyLive(key, '2026-10-31T00:00:00+08:00')).toBe(false);
    expect(takesRepeats(dispatched, rules)).toBe(true);
    expect(takesRepeats({ ...dispatched, status: 'replied' }, rules)).toBe(false);
    const request = { caseId: 'x', source: '12345' as const, sourceTicketId: 'x', at: dispatched.receivedAt, match: 'caller' as const };
    const full = { ...dispatched, merges: Array.from({ length: rules.maxMergedPerCase }, () => request) };
    expect(takesRepeats(full, rules)).toBe(false);
  });

  it('merges a routed ticket: merged with the dispatch center, no deadlines, listed on the case it joined', () => {
    const primary = dispatchedCase().dispatched;
    const repeat = dispatchedCase({}, sourced12345({ ticketId: 'WH-REPEAT' })).dispatched;
    const { merged, primary: joined } = mergeInto(repeat, primary, 'caller', '2026-09-30T02:00:00.000Z', '150300:dispatch-center' as AgencyId);
    expect(merged).toMatchObject({ status: 'merged', mergedInto: primary.caseId, agencyId: '150300:dispatch-center', version: repeat.version });
    expect(merged.deadlines).toBeUndefined();
    expect(merged.history.at(-1)).toMatchObject({ from: 'received', to: 'merged', by: 'system:merge' });
    expect(joined.version).toBe(primary.version + 1);
    expect(joined.merges).toEqual([{ caseId: repeat.caseId, source: '12345', sourceTicketId: 'WH-REPEAT', at: '2026-09-30T02:00:00.000Z', match: 'caller' }]);
  });
});

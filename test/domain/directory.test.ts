import { describe, expect, it } from 'vitest';
import { directoryFromJson } from '../../functions/domain/directory/directory.js';
import { ConfigError } from '../../functions/domain/errors.js';
import { directory } from '../../functions/config/directory.js';
import { agencyQueueName, caseDispatchedPattern, matchesPattern } from '../../functions/domain/directory/agency-queues.js';

const base = {
  defaultRegion: '150300',
  kinds: { 'market-regulation': '市场监督管理局', 'procuratorate.pil': '公益诉讼检察部门' },
  regions: [
    { code: '150300', name: '乌海市', parent: null, kinds: '*' },
    { code: '150302', name: '海勃湾区', parent: '150300', kinds: ['market-regulation'] },
  ],
};

describe('agency directory', () => {
  it('resolves a district agency, and falls back to the city for kinds the district lacks', () => {
    const d = directoryFromJson(base);
    expect(d.resolve('150302', 'market-regulation')).toMatchObject({ agency: { id: '150302:market-regulation' }, fallback: false });
    expect(d.resolve('150302', 'procuratorate.pil')).toMatchObject({ agency: { id: '150300:procuratorate.pil' }, fallback: true });
  });

  it('treats an unknown district code as its city, and an unknown city as the default region', () => {
    const d = directoryFromJson(base);
    expect(d.resolve('150399', 'market-regulation')?.agency.id).toBe('150300:market-regulation');
    expect(d.resolve('440305', 'market-regulation')).toMatchObject({ agency: { id: '150300:market-regulation' }, fallback: true });
  });

  it('reports every problem of a bad file with its path', () => {
    const bad = {
      ...base,
      regions: [
        { code: '150300', name: '乌海市', parent: '150399', kinds: '*' },
        { code: '150302', name: '海勃湾区', parent: '150300', kinds: ['market-regulaton'] },
      ],
    };
    const err = (() => {
      try {
        directoryFromJson(bad, 'agencies.json');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).toContain('agencies.json');
    expect(msg).toContain('regions.0.parent: region 150399 is not in the directory');
    expect(msg).toContain('regions.1.kinds: unknown agency kind "market-regulaton"');
  });

  it('rejects a malformed region code and a parent cycle', () => {
    expect(() => directoryFromJson({ ...base, defaultRegion: '15030' })).toThrow(/defaultRegion/);
    const cyclic = {
      ...base,
      regions: [
        { code: '150300', name: 'a', parent: '150302', kinds: '*' },
        { code: '150302', name: 'b', parent: '150300', kinds: '*' },
      ],
    };
    expect(() => directoryFromJson(cyclic)).toThrow(/loops/);
  });

  it('the shipped directory loads and every region reaches every agency kind', () => {
    expect(directory.list().length).toBeGreaterThan(100);
    for (const r of directory.listRegions()) for (const k of Object.keys(directory.kindNames)) expect(directory.resolve(r.code, k)).toBeDefined();
  });

  it('names queues and rule patterns from agency ids', () => {
    expect(agencyQueueName('150302:market-regulation')).toBe('hotline-agency-150302-market-regulation');
    expect(agencyQueueName('150300:procuratorate.pil')).toBe('hotline-agency-150300-procuratorate-pil');
    const p = caseDispatchedPattern({ id: '150302:market-regulation' });
    const ev = (agencyId: string, type = 'Case.Dispatched') => ({ source: 'hotline.integration', 'detail-type': type, detail: { agencyId } });
    expect(matchesPattern(p, ev('150302:market-regulation'))).toBe(true);
    expect(matchesPattern(p, ev('150303:market-regulation'))).toBe(false);
    expect(matchesPattern(p, ev('150302:market-regulation', 'Case.Accepted'))).toBe(false);
  });
});

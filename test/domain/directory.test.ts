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

  describe('jurisdiction (管辖范围)', () => {
    const tree = {
      defaultRegion: '150300',
      kinds: { 'market-regulation': '市场监督管理局', 'procuratorate.pil': '公益诉讼检察部门', 'dispatch-center': '12345分拨中心' },
      regions: [
        { code: '150300', name: '乌海市', parent: null, kinds: '*' },
        { code: '150302', name: '海勃湾区', parent: '150300', kinds: ['market-regulation'] },
        { code: '150303', name: '海南区', parent: '150300', kinds: ['market-regulation'] },
        { code: '620300', name: '金昌市', parent: null, kinds: '*' },
        { code: '620302', name: '金川区', parent: '620300', kinds: ['market-regulation'] },
      ],
    };

    it('covers an agency’s region and every region below it, not its siblings or another city', () => {
      const d = directoryFromJson(tree);
      expect(d.regionsOf('150300:procuratorate.pil').map((r) => r.code)).toEqual(['150300', '150302', '150303']);
      expect(d.regionsOf('150302:market-regulation').map((r) => r.code)).toEqual(['150302']);
      expect(d.covers('150300:procuratorate.pil', '150303')).toBe(true);
      expect(d.covers('150302:market-regulation', '150303')).toBe(false);
      expect(d.covers('150302:market-regulation', '150300')).toBe(false);
      expect(d.covers('620300:procuratorate.pil', '150302')).toBe(false);
      expect(d.coversAgency('150300:dispatch-center', '150303:market-regulation')).toBe(true);
      expect(d.coversAgency('620300:dispatch-center', '150303:market-regulation')).toBe(false);
    });

    it('places an unlisted code where routing does: its city, else the default region', () => {
      const d = directoryFromJson(tree);
      expect(d.covers('620300:procuratorate.pil', '620321')).toBe(true); // an unlisted 金昌 county
      expect(d.covers('150300:procuratorate.pil', '620321')).toBe(false);
      expect(d.covers('150300:procuratorate.pil', '440305')).toBe(true); // unknown city → the default region
    });

    it('covers nothing for an agency outside the directory, or none at all', () => {
      const d = directoryFromJson(tree);
      expect(d.covers('150300:no-such-kind', '150300')).toBe(false);
      expect(d.covers(null, '150300')).toBe(false);
      expect(d.regionsOf('999999:procuratorate.pil')).toEqual([]);
      expect(d.coversAgency('150300:procuratorate.pil', '150300:no-such-kind')).toBe(false);
    });

    it('takes the regions a `covers` entry names instead, each with its subtree', () => {
      const withCovers = structuredClone(tree) as typeof tree & { regions: Record<string, unknown>[] };
      withCovers.regions[0]!['covers'] = { 'procuratorate.pil': ['150300', '620302'] };
      withCovers.regions[1]!['covers'] = { 'market-regulation': ['150302', '150303'] };
      const d = directoryFromJson(withCovers);
      expect(d.regionsOf('150300:procuratorate.pil').map((r) => r.code)).toEqual(['150300', '150302', '150303', '620302']);
      expect(d.covers('150300:procuratorate.pil', '620300')).toBe(false);
      expect(d.covers('150302:market-regulation', '150303')).toBe(true);
      // Other kinds of the same region keep the default.
      expect(d.regionsOf('150300:market-regulation').map((r) => r.code)).toEqual(['150300', '150302', '150303']);
    });

    it('refuses a `covers` entry with an unknown region, a kind the region lacks, a repeat, or without the agency’s own region', () => {
      const bad = structuredClone(tree) as typeof tree & { regions: Record<string, unknown>[] };
      bad.regions[1]!['covers'] = { 'market-regulation': ['150399', '150303', '150303'], 'procuratorate.pil': ['150302'] };
      const problems = (() => {
        try {
          directoryFromJson(bad, 'agencies.json');
        } catch (e) {
          return (e as ConfigError).problems;
        }
        return [];
      })();
      expect(problems).toEqual([
        'regions.1.covers.market-regulation.0: region 150399 is not in the directory',
        'regions.1.covers.market-regulation.2: region 150303 is listed twice',
        'regions.1.covers.procuratorate.pil: the region does not list kind "procuratorate.pil", so no agency here has a jurisdiction to declare',
      ]);
      const away = structuredClone(tree) as typeof tree & { regions: Record<string, unknown>[] };
      away.regions[1]!['covers'] = { 'market-regulation': ['150303'] };
      expect(() => directoryFromJson(away)).toThrow(
        "regions.1.covers.market-regulation: the jurisdiction must include the agency's own region 150302 (or a region above it)",
      );
      const malformed = structuredClone(tree) as typeof tree & { regions: Record<string, unknown>[] };
      malformed.regions[0]!['covers'] = { 'procuratorate.pil': [] };
      expect(() => directoryFromJson(malformed)).toThrow(/regions\.0\.covers\.procuratorate\.pil/);
    });
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

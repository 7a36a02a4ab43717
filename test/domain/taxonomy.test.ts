import { describe, expect, it } from 'vitest';
import { AGENCY_ID_PATTERN, AgencyIdString, isAgencyId, parseAgencyId } from '../../functions/domain/taxonomy.js';
import { EVENT_SCHEMAS } from '../../events/schemas.js';

const GOOD = ['150302:market-regulation', '150300:dispatch-center', '150304:procuratorate.pil', '110000:a1'];
const BAD = [
  '150302',
  '15030:market-regulation',
  '1503021:market-regulation',
  '150302:Market',
  '150302:',
  '150302:market regulation',
  '150302:-x',
  '150302:a.b.c',
  'x150302:a',
];

describe('the agency id format, declared once', () => {
  it.each(GOOD)('accepts %s everywhere: the check, the parser and the zod field', (id) => {
    expect(isAgencyId(id)).toBe(true);
    expect(AgencyIdString.safeParse(id).success).toBe(true);
    const [regionCode, kind] = [id.slice(0, 6), id.slice(7)];
    expect(parseAgencyId(id)).toEqual({ regionCode, kind });
  });

  it.each(BAD)('refuses %s everywhere', (id) => {
    expect(isAgencyId(id)).toBe(false);
    expect(AgencyIdString.safeParse(id).success).toBe(false);
    expect(parseAgencyId(id)).toBeUndefined();
  });

  it('is the pattern the published event contracts carry', () => {
    const shape = EVENT_SCHEMAS['Case.Dispatched'].shape.agencyId;
    expect(shape.safeParse('150302:market-regulation').success).toBe(true);
    expect(shape.safeParse('150302:Market').success).toBe(false);
    expect(AGENCY_ID_PATTERN.source).toBe('^\\d{6}:[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)?$');
  });
});

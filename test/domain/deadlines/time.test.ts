import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addHours,
  addMonths,
  formatShanghai,
  instantOrUndefined,
  isLocalDate,
  normaliseInstant,
  parseInstant,
  plusDays,
  plusMonths,
  shanghaiDateOf,
  toShanghaiDate,
} from '../../../functions/domain/deadlines/index.js';

describe('Shanghai time helpers', () => {
  it('converts an instant to its Shanghai day, not its UTC day', () => {
    expect(shanghaiDateOf('2026-09-30T15:30:00Z')).toBe('2026-09-30'); // 23:30 in Shanghai
    expect(shanghaiDateOf('2026-09-30T16:00:00Z')).toBe('2026-10-01'); // 00:00 in Shanghai
    expect(shanghaiDateOf('2026-10-01T00:30:00+08:00')).toBe('2026-10-01');
    expect(shanghaiDateOf('2026-09-30T12:00:00-05:00')).toBe('2026-10-01'); // 17:00Z = 01:00 next day
  });

  it('takes a plain date as it is', () => {
    expect(toShanghaiDate('2026-02-28')).toBe('2026-02-28');
    expect(() => toShanghaiDate('2026-02-29')).toThrow(RangeError);
  });

  it('rejects instants without an offset and unreal dates', () => {
    expect(() => parseInstant('2026-09-30T23:30:00')).toThrow(RangeError);
    expect(() => parseInstant('2026-02-30T10:00:00+08:00')).toThrow(RangeError);
    expect(() => parseInstant('yesterday')).toThrow(RangeError);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
  });

  it('writes instants with +08:00', () => {
    expect(formatShanghai(Date.parse('2026-09-30T15:30:00Z'))).toBe('2026-09-30T23:30:00+08:00');
    expect(formatShanghai(Date.parse('2026-09-30T15:30:00.250Z'))).toBe('2026-09-30T23:30:00.250+08:00');
  });

  it('adds hours exactly, across midnight and from any offset', () => {
    expect(addHours('2026-09-30T23:30:00+08:00', 1)).toBe('2026-10-01T00:30:00+08:00');
    expect(addHours('2026-09-30T15:30:00Z', 24)).toBe('2026-10-01T23:30:00+08:00');
    expect(addHours('2026-09-30T10:00:00+08:00', 1.5)).toBe('2026-09-30T11:30:00+08:00');
  });

  it('adds calendar days to the Shanghai day and ends at 23:59:59', () => {
    expect(addCalendarDays('2026-09-30T15:30:00Z', 7)).toBe('2026-10-07T23:59:59+08:00');
    expect(addCalendarDays('2026-09-30T16:30:00Z', 7)).toBe('2026-10-08T23:59:59+08:00');
    expect(addCalendarDays('2026-12-28', 7)).toBe('2027-01-04T23:59:59+08:00');
  });

  it('clamps months to the end of a shorter month', () => {
    expect(plusMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(plusMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(plusMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(plusMonths('2026-08-31', 3)).toBe('2026-11-30');
    expect(plusMonths('2026-10-15', 3)).toBe('2027-01-15');
    expect(addMonths('2026-01-31T09:00:00+08:00', 1)).toBe('2026-02-28T23:59:59+08:00');
  });
});

describe('every instant the ticket schemas admit (issue 10, item 2)', () => {
  it('reads a fraction of any length, kept to the millisecond', () => {
    expect(parseInstant('2026-09-30T09:15:00.123456789+08:00')).toBe(Date.parse('2026-09-30T01:15:00.123Z'));
    expect(parseInstant('2026-09-30T01:15:00.9999999Z')).toBe(Date.parse('2026-09-30T01:15:00.999Z'));
    expect(parseInstant('2026-09-30T01:15:00.5Z')).toBe(Date.parse('2026-09-30T01:15:00.500Z'));
    expect(parseInstant(`2026-09-30T01:15:00.${'1'.repeat(500)}Z`)).toBe(Date.parse('2026-09-30T01:15:00.111Z'));
    expect(parseInstant('2026-09-29T20:45:00-04:30')).toBe(Date.parse('2026-09-30T01:15:00Z'));
  });

  it('normalises to one stored form: Shanghai time, milliseconds only when non-zero', () => {
    expect(normaliseInstant('2026-09-30T01:15:00.123456Z')).toBe('2026-09-30T09:15:00.123+08:00');
    expect(normaliseInstant('2026-09-30T09:15:00.000000+08:00')).toBe('2026-09-30T09:15:00+08:00');
    expect(normaliseInstant('2026-09-30T09:15:00+08:00')).toBe('2026-09-30T09:15:00+08:00');
  });

  it('counts days in the years 0000–0099 as those years, not as 1900–1999', () => {
    expect(plusDays('0001-01-01', 1)).toBe('0001-01-02');
    expect(plusDays('0050-12-31', 1)).toBe('0051-01-01');
    expect(addCalendarDays('0001-01-01T00:00:00Z', 7)).toBe('0001-01-08T23:59:59+08:00');
    expect(plusMonths('0001-01-31', 1)).toBe('0001-02-28');
  });

  it('never writes a year it cannot write: beyond 9999 is a RangeError, not a cut string', () => {
    expect(() => formatShanghai(Date.parse('9999-12-31T20:00:00Z'))).toThrow(RangeError);
    expect(() => addCalendarDays('9999-12-31T09:00:00+08:00', 1)).toThrow(RangeError);
    expect(() => plusMonths('9999-12-01', 1)).toThrow(RangeError);
    expect(formatShanghai(Date.parse('9999-12-31T15:59:59Z'))).toBe('9999-12-31T23:59:59+08:00');
  });

  it('instantOrUndefined reads what parseInstant reads and is undefined for the rest', () => {
    expect(instantOrUndefined('2026-09-30T09:15:00.1+08:00')).toBe(Date.parse('2026-09-30T01:15:00.100Z'));
    for (const bad of ['+010000-01-01T07:59:59+08:00', '2026-02-30T00:00:00Z', '2026-09-30 09:15', '', 42, null])
      expect(instantOrUndefined(bad)).toBeUndefined();
  });
});

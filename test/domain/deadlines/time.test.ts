import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addHours,
  addMonths,
  formatShanghai,
  isLocalDate,
  parseInstant,
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

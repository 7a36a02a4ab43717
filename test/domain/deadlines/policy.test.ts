import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../functions/domain/errors.js';
import { parseDeadlinePolicy } from '../../../functions/domain/deadlines/index.js';
import { deadlinePolicy } from '../../../functions/config/deadline-policy.js';

/** `config/deadline-policy.json` as written, loose enough for the tests to break it: a duration is any unit map (or null). */
type RawDuration = Record<string, number> | null;
type RawPolicy = {
  hotline12345: { acceptBy: Record<string, RawDuration>; replyBy: { byType: Record<string, RawDuration>; urgent?: RawDuration } };
  hotline12309: Record<string, RawDuration>;
  clue: Record<string, RawDuration>;
  recommendation: { replyBy: Record<string, RawDuration> };
  extension?: { maxCount: number; maxWorkingDays: number };
  dueSoonFraction: number;
  [key: string]: unknown;
};

const raw = () => JSON.parse(readFileSync(new URL('../../../config/deadline-policy.json', import.meta.url), 'utf8')) as RawPolicy;

function problems(edit: (p: RawPolicy) => void): string[] {
  const p = raw();
  edit(p);
  try {
    parseDeadlinePolicy(p, 'config/deadline-policy.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).file).toBe('config/deadline-policy.json');
    expect((e as ConfigError).message).toContain('config/deadline-policy.json');
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('deadline policy', () => {
  it('the deployed file holds the §7 defaults', () => {
    const p = deadlinePolicy;
    expect(p.hotline12345.acceptBy.normal).toEqual({ unit: 'workingDays', amount: 1 });
    expect(p.hotline12345.acceptBy.emergency).toEqual({ unit: 'hours', amount: 1 });
    expect(p.hotline12345.replyBy.byType.consultation).toEqual({ unit: 'workingDays', amount: 3 });
    expect(p.hotline12345.replyBy.byType.help).toEqual({ unit: 'workingDays', amount: 3 });
    for (const t of ['complaint', 'report', 'suggestion'] as const) {
      expect(p.hotline12345.replyBy.byType[t]).toEqual({ unit: 'workingDays', amount: 13 });
    }
    expect(p.hotline12345.replyBy.emergency).toEqual({ unit: 'hours', amount: 24 });
    expect(p.extension).toEqual({ maxCount: 1, maxWorkingDays: 10 });
    expect(p.hotline12309.proceduralReplyBy).toEqual({ unit: 'days', amount: 7 });
    expect(p.hotline12309.resultReplyBy).toEqual({ unit: 'months', amount: 3 });
    expect(p.clue.evaluateBy).toEqual({ unit: 'days', amount: 30 });
    expect(p.recommendation.replyBy.normal).toEqual({ unit: 'months', amount: 2 });
    expect(p.recommendation.replyBy.urgent).toEqual({ unit: 'days', amount: 15 });
    expect(p.dueSoonFraction).toBe(0.8);
    expect(p.escalation.afterDue).toEqual({ unit: 'workingDays', amount: 5 });
  });

  it('null urgency override falls back to the ticket type', () => {
    const p = raw();
    p.hotline12345.replyBy.urgent = null;
    expect(parseDeadlinePolicy(p).hotline12345.replyBy.urgent).toBeNull();
  });

  it('a duration must name exactly one unit', () => {
    expect(problems((p) => (p.hotline12345.acceptBy.normal = { workingDays: 1, hours: 2 }))).toEqual([
      'hotline12345.acceptBy.normal: give exactly one of workingDays, days, months, hours',
    ]);
    expect(problems((p) => (p.clue.evaluateBy = {}))).toEqual(['clue.evaluateBy: give exactly one of workingDays, days, months, hours']);
    expect(problems((p) => (p.clue.evaluateBy = { weeks: 4 }))[0]).toMatch(/^clue\.evaluateBy: .*weeks/);
  });

  it('rejects bad numbers, unknown or missing ticket types, and unknown keys, with their paths', () => {
    expect(problems((p) => (p.dueSoonFraction = 1.5))[0]).toMatch(/^dueSoonFraction: /);
    expect(problems((p) => (p.hotline12345.replyBy.byType.consultation = { workingDays: 2.5 }))[0]).toMatch(
      /^hotline12345\.replyBy\.byType\.consultation\.workingDays: /,
    );
    expect(problems((p) => (p.hotline12309.proceduralReplyBy = { days: 0 }))[0]).toMatch(/^hotline12309\.proceduralReplyBy\.days: /);
    expect(problems((p) => (p.hotline12345.replyBy.byType.complain = { workingDays: 13 }))[0]).toMatch(/^hotline12345\.replyBy\.byType(\.complain)?: /);
    expect(problems((p) => delete p.hotline12345.replyBy.byType.praise)).toEqual([
      'hotline12345.replyBy.byType: list every 12345 ticket type: consultation, complaint, report, suggestion, help, praise',
    ]);
    expect(problems((p) => delete p.extension)[0]).toMatch(/^extension: /);
    expect(problems((p) => (p.extra = true))[0]).toMatch(/extra/);
  });

  it('reports every problem at once', () => {
    const all = problems((p) => {
      p.dueSoonFraction = 0;
      p.extension!.maxWorkingDays = 0;
      p.recommendation.replyBy.urgent = { days: 15, months: 1 };
    });
    expect(all).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { routing } from '../../../functions/config/routing.js';
import { trainingLine } from '../../../functions/domain/classify/model/training-export.js';
import { caseIn } from '../../cases/support.js';

const all = { since: '2020-01-01T00:00:00Z', closed: false };

describe('training lines from cases', () => {
  it('a case nobody re-routed gives no line; with --closed, a closed one gives its closing agency', () => {
    expect(trainingLine(caseIn('dispatched'), routing, all)).toBeUndefined();
    expect(trainingLine(caseIn('closed'), routing, all)).toBeUndefined();
    const line = trainingLine(caseIn('closed'), routing, { ...all, closed: true });
    expect(line?.note).toMatch(/closed by/);
    expect(line?.label.agency).toBeTruthy();
  });

  it('cases still waiting for a person (needs review, returned) give no line: their final agency is not known yet', () => {
    expect(trainingLine(caseIn('needs_review'), routing, { ...all, closed: true })).toBeUndefined();
    expect(trainingLine(caseIn('returned'), routing, { ...all, closed: true })).toBeUndefined();
  });

  it('only settlements since --since count, compared as instants whatever the offset', () => {
    const c = caseIn('closed');
    const closedAt = Date.parse(c.history.at(-1)!.at);
    expect(trainingLine(c, routing, { since: new Date(closedAt + 1000).toISOString(), closed: true })).toBeUndefined();
    expect(trainingLine(c, routing, { since: new Date(closedAt - 1000).toISOString(), closed: true })).toBeDefined();
  });

  it('masks numbers in the free text and keeps no person’s name as respondent', () => {
    const c = caseIn('closed', { ticket: { content: '我的电话是13812345678，身份证110105199001011234', address: '滨河路 138 1234 5678 号' } });
    const line = trainingLine(c, routing, { ...all, closed: true })!;
    const text = JSON.stringify(line);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('110105199001011234');
    expect(text).not.toContain('138 1234 5678');
  });
});

/**
 * The monthly report's pure part: what a case contributes (attribution by month, agency and domain), and the
 * increments that keep stored counters equal to a recomputation.
 */
import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../functions/domain/case/case.js';
import { applyAction } from '../../../functions/domain/lifecycle/index.js';
import { deployedRules } from '../../../functions/config/deployed.js';
import { referClue } from '../../../functions/domain/linkage/referral.js';
import { deadlinesFor } from '../../../functions/config/decide.js';
import { monthlyReport, reportCsv } from '../../../functions/domain/report/format.js';
import { reportDelta, rowId, sumRows, tally, type ReportRow } from '../../../functions/domain/report/tally.js';
import { dispatchedCase } from '../../support/fixtures.js';

const OWNER = '150302:ecology-environment';
const act = (c: CaseRecord, action: Parameters<typeof applyAction>[1], at: string, input = {}, agencyId: string = OWNER) => {
  const o = applyAction(c, action, input, { role: 'supervisor', agencyId: agencyId as `${string}:${string}` }, at, deployedRules);
  if (!o.ok) throw new Error(`${action}: ${JSON.stringify(o)}`);
  return o.next;
};
const counts = (rows: ReportRow[]) => Object.fromEntries(rows.map((r) => [rowId(r.key), r.counts]));

describe('report tally', () => {
  it('counts a dispatch as received, a timely sign-for and a late reply, in the months they happened', () => {
    const { dispatched } = dispatchedCase(); // dispatched 2026-09-30, acceptBy 10-08, replyBy 10-23
    const accepted = act(dispatched, 'accept', '2026-10-08T10:00:00+08:00');
    const replied = act(accepted, 'reply', '2026-10-26T10:00:00+08:00', { result: '已处理' });
    expect(counts(tally(replied))).toEqual({
      [`2026-09|150302|${OWNER}|ecology_environment`]: { received: 1, dispatches: 1, firstDispatched: 1, firstDispatchKept: 1 },
      [`2026-10|150302|${OWNER}|ecology_environment`]: { signed: 1, signedOnTime: 1, replied: 1 },
    });
  });

  it('counts a return on the agency that returned it, not on the dispatch-center that gets the case', () => {
    const { dispatched } = dispatchedCase();
    const returned = act(dispatched, 'return', '2026-10-02T10:00:00+08:00', { reason: '不属于本单位' });
    expect(returned.agencyId).toBe('150300:dispatch-center');
    const rows = counts(tally(returned));
    expect(rows[`2026-10|150302|${OWNER}|ecology_environment`]).toEqual({ returned: 1 });
  });

  it('counts a clue on its department; the increments of a change add up to the recomputation', () => {
    const { dispatched } = dispatchedCase({ clue: 'public_interest', referralAgencyId: '150300:procuratorate.pil' });
    const clue = referClue(dispatched, '2026-09-30T10:00:00+08:00', deadlinesFor)!;
    const accepted = act(clue, 'accept', '2026-10-09T10:00:00+08:00', {}, '150300:procuratorate.pil');
    expect(counts(tally(accepted))).toEqual({
      '2026-09|150302|150300:procuratorate.pil|ecology_environment': { cluesReferred: 1 },
      '2026-10|150302|150300:procuratorate.pil|ecology_environment': { cluesAccepted: 1 },
    });
    // Incremental: creation, then the change from `clue` to `accepted`, equals the tally of the final record.
    const incremental = sumRows([reportDelta(undefined, clue), reportDelta(clue, accepted)]);
    expect(counts(incremental)).toEqual(counts(tally(accepted)));
    // A change that moves nothing moves no counter.
    expect(reportDelta(accepted, { ...accepted, version: accepted.version + 1 })).toEqual([]);
  });

  it('formats the report with rates, and as CSV with a BOM, CRLF and formula-safe cells', () => {
    const rows: ReportRow[] = [
      {
        key: { month: '2026-10', regionCode: '150302', agencyId: OWNER, domain: 'ecology_environment' },
        counts: { signed: 4, signedOnTime: 3, satisfied: 1, dissatisfied: 1 },
      },
      { key: { month: '2026-10', regionCode: '150303', agencyId: OWNER, domain: 'ecology_environment' }, counts: { signed: 1, signedOnTime: 1 } },
    ];
    const r = monthlyReport('2026-10', ['150302', '150303'], rows, () => '=HYPERLINK("x")', deployedRules.kpis);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.counts.signed).toBe(5);
    expect(r.rows[0]!.rates).toMatchObject({ signedOnTime: 0.8, satisfaction: 0.5, repliedOnTime: null });
    const csv = reportCsv(r);
    expect(csv.startsWith('\uFEFF月份 month,')).toBe(true);
    expect(csv.split('\r\n')[1]).toContain(`2026-10,${OWNER},"'=HYPERLINK(""x"")",ecology_environment,`);
  });
});

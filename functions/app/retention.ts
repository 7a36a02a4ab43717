/**
 * The retention job (PIPL): erases the contact of cases closed more than `contactErasedAfterDays` ago and anonymises
 * the text of cases closed more than `textAnonymisedAfterDays` ago (domain/privacy/retention.ts). Run daily by
 * EventBridge Scheduler in AWS (functions/retention/handler.ts) and by `npm run retention` locally.
 *
 * It never scans the cases: the store keeps closed cases with an erasure ahead in a sparse index by close time
 * (`RetentionIndex`), so a run reads only what is due. The index is eventually consistent, so each candidate is read
 * again (consistently) and decided from what is stored; the erasure is saved with the versioned case write, so it
 * never overwrites a concurrent action: a conflict leaves the case for the next run. Each erasure adds a history
 * entry and an audit record; the relay publishes nothing for it.
 */
import { applyRetention, dueCutoff, RETENTION_ACTOR, RETENTION_STAGES, type RetentionPolicy, type RetentionStage } from '../domain/privacy/retention.js';
import type { AuditRecord, CaseStore, RetentionIndex } from '../ports/case-store.js';
import { VersionConflictError } from '../ports/errors.js';
import { auditRecord } from './audit.js';
import { saveChange } from './save-change.js';

export interface RetentionDeps {
  store: Pick<CaseStore, 'getMany' | 'commit'> & RetentionIndex;
  policy: RetentionPolicy;
  now: () => Date;
}

export interface RetentionRun {
  dryRun: boolean;
  /** Case ids the index named (one may be named in both stages). */
  considered: number;
  /** Cases changed (or, in a dry run, that would be), by what was done to them. */
  erased: Record<RetentionStage, number>;
  /** Each case changed (or to be changed) and what was (or would be) done: ids only, no personal data. */
  cases: { caseId: string; stages: RetentionStage[] }[];
  /** Named by the index but with nothing due on the stored record (reopened, or the index lagging a write). */
  skipped: number;
  /** Changed concurrently between the read and the write: left for the next run. */
  conflicts: number;
  /** The run stopped at `maxCasesPerRun` with more due. */
  more: boolean;
}

const PAGE = 100;

export async function runRetention(deps: RetentionDeps, opts: { dryRun?: boolean; maxCases?: number } = {}): Promise<RetentionRun> {
  const now = deps.now();
  const max = opts.maxCases ?? deps.policy.maxCasesPerRun;
  const run: RetentionRun = { dryRun: !!opts.dryRun, considered: 0, erased: { contact: 0, text: 0 }, cases: [], skipped: 0, conflicts: 0, more: false };
  const seen = new Set<string>();
  const system = { role: 'system', agencyId: null, sub: RETENTION_ACTOR };

  for (const stage of RETENTION_STAGES) {
    const cutoff = dueCutoff(deps.policy, stage, now);
    let cursor: string | undefined;
    do {
      if (run.cases.length >= max) {
        run.more = true;
        return run;
      }
      const page = await deps.store.dueForRetention(stage, cutoff, { limit: Math.min(PAGE, max - run.cases.length), cursor });
      cursor = page.nextCursor;
      const ids = page.items.filter((id) => !seen.has(id));
      run.considered += page.items.length;
      for (const id of ids) seen.add(id);
      for (const c of await deps.store.getMany(ids)) {
        const r = applyRetention(c, deps.policy, now);
        if (!r) {
          run.skipped += 1;
          continue;
        }
        if (!opts.dryRun) {
          const at = now.toISOString();
          const audit: AuditRecord[] = r.stages.map((s) => auditRecord(system, c, `retention:${s}`, at, deps.policy, r.next.version));
          try {
            await saveChange(deps.store, c, r.next, { audit });
          } catch (e) {
            if (!(e instanceof VersionConflictError)) throw e;
            run.conflicts += 1;
            continue;
          }
        }
        for (const s of r.stages) run.erased[s] += 1;
        run.cases.push({ caseId: c.caseId, stages: r.stages });
      }
      // In a dry run nothing leaves the index, so paging on is what finds the rest; after writes it still is (the
      // cursor is past what this page held).
    } while (cursor);
  }
  return run;
}

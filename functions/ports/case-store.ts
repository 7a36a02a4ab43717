import type { CaseRecord, CaseStatus } from '../domain/case/case.js';

export interface CreateOutcome {
  caseId: string;
  /** False when a case with this id already existed: nothing was written for it. */
  created: boolean;
  /** Status of the stored case (the existing one when `created` is false). */
  status: CaseStatus;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Persistence of case records (DynamoDB in AWS and locally via DynamoDB Local). */
export interface CaseStore {
  /**
   * Creates every case whose id is new, all-or-nothing, and reports the ones that already existed. Safe under
   * races: of two concurrent creates of one id exactly one reports `created: true`.
   */
  createAll(cases: CaseRecord[]): Promise<CreateOutcome[]>;
  get(caseId: string): Promise<CaseRecord | undefined>;
  /** Replaces the case if the stored version is still `expectedVersion`; throws VersionConflictError otherwise. */
  save(next: CaseRecord, expectedVersion: number): Promise<void>;
  /** An agency's cases in one status, earliest due first (the agency's work queue). */
  listByAgency(agencyId: string, status: CaseStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseRecord>>;
}

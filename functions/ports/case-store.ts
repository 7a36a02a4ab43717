import type { CaseRecord, CaseStatus, RetentionStage } from '../domain/case/case.js';
import type { ClusterRecord } from '../domain/linkage/cluster-record.js';
import type { ReportRow } from '../domain/report/tally.js';

export interface CreateOutcome {
  caseId: string;
  /** False when a case with this id already existed: nothing was written for it. */
  created: boolean;
  /** Status of the stored case (the existing one when `created` is false). */
  status: CaseStatus;
}

/** The most writes one `Change` may hold (DynamoDB's limit for one transaction). */
export const MAX_CHANGE_WRITES = 100;

/** What a work-queue listing holds of a case (the `agencyQueue` index projects exactly this). */
export type CaseSummary = Pick<CaseRecord, 'caseId' | 'kind' | 'status' | 'agencyId' | 'decision' | 'urgency' | 'dueAt' | 'receivedAt' | 'regionCode'>;

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A similar-case group's counter item (类案): identified by `groupId`, versioned for optimistic concurrency. */
export interface GroupItem {
  groupId: string;
  version: number;
}

/**
 * Writes that succeed together or not at all (one DynamoDB transaction): a case change with what it causes —
 * linked cases it creates, the monthly-report counters it moves, the cluster items it updates. A failed condition
 * throws VersionConflictError naming the item (`caseId` is the case, group or cluster id; expected version 0 for
 * "must not exist yet").
 */
export interface Change {
  /** Case saves, each conditioned on the stored version (a batch of dispatches saves several cases at once). */
  saves?: { next: CaseRecord; expectedVersion: number }[];
  /** New records (linked clue and recommendation cases); each must not exist yet. */
  creates?: CaseRecord[];
  /** Increments of the monthly-report counters. */
  counters?: ReportRow[];
  /** Group items; `expectedVersion: null` = must not exist yet. */
  groups?: { group: GroupItem; expectedVersion: number | null }[];
  clusters?: { cluster: ClusterRecord; expectedVersion: number | null }[];
  /** Audit records of the change (who did it), written with it or not at all. Unconditional: they never conflict. */
  audit?: AuditRecord[];
}

/**
 * One line of the audit trail (PIPL): who (`sub`, with role and agency) did what to which case, when. `action` is a
 * lifecycle action (`accept`, `close` …), `open-contact` (the contact was decrypted for the caller), or `retention:
 * contact` / `retention:text` (the retention job). No personal data of the caller or petitioner.
 */
export interface AuditRecord {
  at: string;
  /** The case's region: the audit trail is kept and exported per region (an operator's jurisdiction). */
  regionCode: string;
  caseId: string;
  action: string;
  /** The case version an action produced (absent for a read). */
  version?: number;
  role: string;
  agencyId: string | null;
  sub: string;
  /** When the store may delete the record (epoch seconds; DynamoDB TTL). */
  expiresAt?: number;
}

/** The audit trail of one region, a day at a time. */
export interface AuditLog {
  /** Writes one record (a contact decryption: recorded before the contact is shown). */
  record(r: AuditRecord): Promise<void>;
  /** One region's records of one Shanghai day (`YYYY-MM-DD`), oldest first. */
  auditOfDay(regionCode: string, day: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<AuditRecord>>;
}

/** The retention job's work list (a sparse index, case-table.ts): closed cases whose erasure of `stage` is ahead. */
export interface RetentionIndex {
  /** Ids of cases in `stage` closed at or before `closedBefore` (ISO, UTC), earliest close first. Eventually consistent. */
  dueForRetention(stage: RetentionStage, closedBefore: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<string>>;
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
  listByAgency(agencyId: string, status: CaseStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseSummary>>;
  /** All writes of a change, atomically. */
  commit(change: Change): Promise<void>;
  /** Several cases by id (missing ones are left out), for linked-case views. */
  getMany(caseIds: string[]): Promise<CaseRecord[]>;
}

/**
 * Every case record, a page at a time: the training export (`npm run export:training`) reads the city's routing
 * history once, offline. Never on a request path (a full table scan).
 */
export interface CaseScan {
  scanCases(page: { limit: number; cursor?: string | undefined }): Promise<Page<CaseRecord>>;
}

/** The 府检联动 records kept beside the cases: cluster groups, clusters, monthly-report counters. */
export interface LinkageStore {
  /** Several group items in one read; missing ones are absent from the map. */
  getGroups<T extends GroupItem>(groupIds: readonly string[]): Promise<Map<string, T>>;
  getCluster(clusterId: string): Promise<ClusterRecord | undefined>;
  /** A region's clusters, newest first. */
  listClusters(regionCode: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ClusterRecord>>;
  /** The report counters of one month and region (every agency and domain that had something). */
  reportRows(month: string, regionCode: string): Promise<ReportRow[]>;
}

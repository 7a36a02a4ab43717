/** What the agency API answers (functions/cases/views.ts), as the console reads it. */
export interface ListItem {
  caseId: string;
  kind: string;
  status: string;
  domain: string | null;
  ticketType: string | null;
  urgency: string;
  dueAt: string | null;
  receivedAt: string;
  regionCode: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryEntry {
  version: number;
  at: string;
  by: string;
  from: string | null;
  to: string;
  note?: string;
  onTime?: boolean;
}

export interface CaseView {
  caseId: string;
  kind: string;
  status: string;
  source: string;
  sourceTicketId: string;
  agencyId: string | null;
  referralAgencyId: string | null;
  regionCode: string;
  domain: string | null;
  ticketType: string | null;
  clue: string | null;
  urgency: string;
  receivedAt: string;
  dispatchedAt: string | null;
  dueAt: string | null;
  deadlines: Record<string, string | null | boolean> | null;
  reply: { at: string; result: string } | null;
  history: HistoryEntry[];
  parentCaseId: string | null;
  clusterId: string | null;
  referrals: { caseId: string; agencyId: string; status: string }[];
  issuedBy: string | null;
  followUpAt: string | null;
  content: string;
  contact: { name?: string; phone?: string; idNumber?: string } | null;
  routing: { confidence: number; needsReview: boolean; bestGuess: string; evidence: string[] } | null;
  /** 重复诉求合并: the requests this case answers (itself and the tickets merged into it). */
  requests: { count: number; merged: MergedRequest[] };
  /** A merged ticket: the case it joined, and how it was matched. */
  mergedInto: string | null;
  merge: { match: string; agencyId: string } | null;
  /** Returns reviewed as disputes (派单异议); the last may still be open. */
  disputes: Dispute[];
  allowedActions: string[];
}

export interface MergedRequest {
  caseId: string;
  source: string;
  sourceTicketId: string;
  at: string;
  match: string;
}

export interface Dispute {
  version: number;
  reasonKind: string;
  suggestedAgencyId?: string;
  fromAgencyId: string;
  openedAt: string;
  decideBy: string;
  outcome?: 'upheld' | 'rejected';
  decidedAt?: string;
  toAgencyId?: string;
}

export interface Cluster {
  clusterId: string;
  regionCode: string;
  domain: string;
  keyKind: string;
  groupKey: string;
  caseIds: string[];
  memberCount?: number;
  detectedAt: string;
  windowEndsAt: string;
  clue: string;
  clueCaseId: string;
  agencyId: string;
  status: 'open' | 'closed';
}

/** A rate of docs/kpis.md: its share (null when hidden or empty) and its sample size (the denominator). */
export interface KpiValue {
  value: number | null;
  sample: number;
  hidden: boolean;
}

export interface ReportLine {
  agencyId: string;
  agencyName: string | null;
  domain: string;
  counts: Record<string, number>;
  rates: Record<string, number | null>;
  kpis?: Record<string, KpiValue>;
}

export interface MonthlyReport {
  month: string;
  regions: string[];
  rows: ReportLine[];
  totals: Record<string, number>;
  totalKpis?: Record<string, KpiValue>;
}

/** `GET /v1/reports/kpis`. */
export interface KpiReport {
  from: string;
  to: string;
  regions: string[];
  agencyId: string | null;
  minimumSample: number;
  counts: Record<string, number>;
  kpis: Record<string, KpiValue & { label: string }>;
}

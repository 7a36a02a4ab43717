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
  allowedActions: string[];
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

export interface ReportLine {
  agencyId: string;
  agencyName: string | null;
  domain: string;
  counts: Record<string, number>;
  rates: Record<string, number | null>;
}

export interface MonthlyReport {
  month: string;
  regions: string[];
  rows: ReportLine[];
  totals: Record<string, number>;
}

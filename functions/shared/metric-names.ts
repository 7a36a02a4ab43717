/**
 * The custom metrics the functions emit (Powertools Metrics, EMF, namespace `POWERTOOLS_METRICS_NAMESPACE`), and the
 * service each function reports as (Powertools adds it as the `service` dimension of every metric). Declared once: the
 * functions emit these names and the CDK app's dashboard and alarms read them (lib/ops-dashboard.ts), so a renamed
 * metric cannot leave an alarm watching nothing. No personal data ever goes into a name or a dimension value.
 */

/** Function → Powertools service name (`service` dimension, POWERTOOLS_SERVICE_NAME). */
export const SERVICE = {
  ingest: 'hotline-ingest',
  process: 'hotline-process',
  cases: 'hotline-cases',
  relay: 'hotline-relay',
  feedback: 'hotline-feedback',
  callbacks: 'hotline-callbacks',
  deadlines: 'hotline-deadlines',
  retention: 'hotline-retention',
} as const;

/** Metric names (unit Count). The comment says who emits it and with which extra dimension. */
export const METRIC = {
  /** ingest: one per request. */
  IngestRequests: 'IngestRequests',
  /** ingest, by `source`: tickets stored as new cases. */
  TicketsAccepted: 'TicketsAccepted',
  /** ingest, by `source`: tickets already stored. */
  TicketsDuplicate: 'TicketsDuplicate',
  /** ingest, by `source`: requests refused with a 4xx after the signature (validation, window, store limits). */
  TicketsRejected: 'TicketsRejected',
  /** ingest and feedback, by `source`: missing, wrong, other-hotline or stale signatures (401). */
  SignatureRejected: 'SignatureRejected',
  /** process: SQS messages received. */
  CaseMessagesProcessed: 'CaseMessagesProcessed',
  /** process: cases dispatched. */
  CasesDispatched: 'CasesDispatched',
  /** process: dispatched cases that went to the review (人工复核) queue. */
  CasesNeedingReview: 'CasesNeedingReview',
  /** process: cases that failed and go back to the queue. */
  CaseProcessingFailed: 'CaseProcessingFailed',
  /** relay: saved case versions whose events, enqueue and timer were done. */
  CaseChangesRelayed: 'CaseChangesRelayed',
  /** relay: saved case versions whose events (or enqueue, or timer) did not go out this time; the stream hands them over again. */
  CaseChangesFailed: 'CaseChangesFailed',
  /** cases, by `action`: lifecycle transitions. */
  CaseTransitions: 'CaseTransitions',
  /** cases: recommendations (检察建议) issued. */
  RecommendationsIssued: 'RecommendationsIssued',
  /** cases: one per request. */
  AgencyApiRequests: 'AgencyApiRequests',
  /** feedback: one per request. */
  FeedbackRequests: 'FeedbackRequests',
  /** feedback, by `source`: 回访 results recorded. */
  FeedbackRecorded: 'FeedbackRecorded',
  /** callbacks: SQS messages received. */
  StatusCallbackMessages: 'StatusCallbackMessages',
  /** callbacks, by `source`: callbacks the hotline accepted. */
  StatusCallbacksDelivered: 'StatusCallbacksDelivered',
  /** callbacks: callbacks that failed and go back to the queue. */
  StatusCallbacksFailed: 'StatusCallbacksFailed',
  /** callbacks: statuses with no callback URL for their hotline. */
  StatusCallbacksSkipped: 'StatusCallbacksSkipped',
  /** deadlines: schedule firings. */
  DeadlineTimersFired: 'DeadlineTimersFired',
  /** deadlines, by `timer`: Case.DueSoon / Case.Overdue / Case.Escalated published. */
  DeadlineEventsPublished: 'DeadlineEventsPublished',
  /** deadlines: firings with nothing due (a moved or closed case). */
  DeadlineTimersSkipped: 'DeadlineTimersSkipped',
  /** process, cases, feedback, deadlines: days until the first day config/calendar.json does not know (a gauge, one per invocation). */
  KnownCalendarDaysLeft: 'KnownCalendarDaysLeft',
  /** retention: contacts erased this run (PIPL). */
  ContactsErased: 'ContactsErased',
  /** retention: case texts anonymised this run. */
  TextsAnonymised: 'TextsAnonymised',
  /** retention: erasures that met a concurrent change of the case (tried again at the next run). */
  RetentionConflicts: 'RetentionConflicts',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/**
 * Day two: one CloudWatch dashboard for the whole pipeline, and the alarms on the custom metrics that need a person.
 * Every custom metric is read by the name and `service` dimension the functions emit it with
 * (functions/shared/metric-names.ts); the alarms notify the one alarm topic like every other alarm of the app.
 *
 * Rows: ingest (accepted, duplicates, rejects, signature rejects, API 4xx/5xx) · queues (process and callbacks depth
 * and age, process duration) · review rate and the outbox (events not published, relay iterator age) · dead-letter
 * queues (each named one, and every agency DLQ by search) and deadline timers fired.
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  type Alarm,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CALENDAR_WARNING_DAYS } from '../functions/domain/deadlines/calendar-horizon.js';
import { TIMER_KINDS } from '../functions/domain/deadlines/schedule-plan.js';
import { METRIC, SERVICE, type MetricName } from '../functions/shared/metric-names.js';
import { notifyingAlarm } from './alarms.js';
import { HOTLINE_SOURCES } from './config.js';
import { METRICS_NAMESPACE } from './node-function.js';

/** The alarms' thresholds: what counts as a spike, and how long a failure may last before someone is paged. */
export const OPS_ALARMS = {
  /** Case versions whose events did not go out, in every one of this many consecutive 5-minute periods. */
  eventsNotPublishedPeriods: 3,
  /** Signature rejects (401) across both hotlines and both signed routes in 5 minutes: a wrong secret, or someone probing. */
  signatureRejectsPer5Min: 20,
  /** Share of the hour's dispatched cases that went to review (人工复核) … */
  reviewRate: 0.3,
  /** … counted only when at least this many cases were dispatched in the hour (a quiet night proves nothing). */
  reviewRateMinDispatched: 20,
} as const;

export interface OpsDashboardProps {
  readonly stage: string;
  readonly alarmTopic: ITopic;
  readonly api: HttpApi;
  readonly functions: Readonly<Record<keyof typeof SERVICE, IFunction>>;
  readonly processQueue: IQueue;
  readonly callbacksQueue: IQueue;
  /** Every dead-letter queue by a short label (agency DLQs are found by name search, there are too many to list). */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
}

const FIVE_MINUTES = Duration.minutes(5);

/** A custom metric as a function emits it: namespace, name, its `service` dimension, and any other dimension. */
export function customMetric(
  metricName: MetricName,
  service: keyof typeof SERVICE,
  opts: { dimensions?: Record<string, string>; period?: Duration; statistic?: string; label?: string } = {},
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE[service], ...opts.dimensions },
    statistic: opts.statistic ?? 'Sum',
    period: opts.period ?? FIVE_MINUTES,
    ...(opts.label ? { label: opts.label } : {}),
  });
}

/** One metric per hotline source (the `source` dimension), summed. */
function bySource(metricName: MetricName, service: keyof typeof SERVICE, period = FIVE_MINUTES): Record<string, IMetric> {
  return Object.fromEntries(HOTLINE_SOURCES.map((source) => [`${service}_${source}`, customMetric(metricName, service, { dimensions: { source }, period })]));
}

export class OpsDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly eventsNotPublishedAlarm: Alarm;
  readonly signatureRejectsAlarm: Alarm;
  readonly reviewRateAlarm: Alarm;
  readonly calendarEndsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    const { stage, alarmTopic, functions: fn } = props;

    // --- Alarms on the custom metrics ------------------------------------------------------------------------------
    this.eventsNotPublishedAlarm = notifyingAlarm(this, 'EventsNotPublishedAlarm', {
      alarmName: `hotline-${stage}-events-not-published`,
      description: `Saved case changes have not been relayed (events, new tickets, timers) for ${OPS_ALARMS.eventsNotPublishedPeriods * 5} minutes: the bus, SQS or the scheduler keeps failing. Nothing is lost (the stream hands them over again for up to 6 hours, then the relay DLQ keeps their range); see the relay's logs.`,
      metric: customMetric(METRIC.CaseChangesFailed, 'relay'),
      threshold: 0,
      evaluationPeriods: OPS_ALARMS.eventsNotPublishedPeriods,
      topic: alarmTopic,
    });

    const signatureRejects = { ...bySource(METRIC.SignatureRejected, 'ingest'), ...bySource(METRIC.SignatureRejected, 'feedback') };
    this.signatureRejectsAlarm = notifyingAlarm(this, 'SignatureRejectsAlarm', {
      alarmName: `hotline-${stage}-signature-rejects-spike`,
      description: `More than ${OPS_ALARMS.signatureRejectsPer5Min} requests with a missing, wrong or stale hotline signature in 5 minutes: a hotline signing with an old secret (its tickets are being refused), a clock off by more than 300 s, or someone probing the API.`,
      metric: new MathExpression({
        expression: Object.keys(signatureRejects).join(' + '),
        usingMetrics: signatureRejects,
        period: FIVE_MINUTES,
        label: 'Signature rejects',
      }),
      threshold: OPS_ALARMS.signatureRejectsPer5Min,
      topic: alarmTopic,
    });

    const hour = Duration.hours(1);
    const reviewRate = new MathExpression({
      expression: `IF(dispatched >= ${OPS_ALARMS.reviewRateMinDispatched}, review / dispatched, 0)`,
      usingMetrics: {
        review: customMetric(METRIC.CasesNeedingReview, 'process', { period: hour }),
        dispatched: customMetric(METRIC.CasesDispatched, 'process', { period: hour }),
      },
      period: hour,
      label: 'Review rate (share of dispatched cases)',
    });
    this.reviewRateAlarm = notifyingAlarm(this, 'ReviewRateAlarm', {
      alarmName: `hotline-${stage}-review-rate-spike`,
      description: `More than ${OPS_ALARMS.reviewRate * 100} % of the last hour's dispatched cases (at least ${OPS_ALARMS.reviewRateMinDispatched}) went to review: a hotline sending a new ticket form, a vocabulary the classifier does not know, or a broken config (config/lexicon.json, config/routing.json). Dispatchers' review queue is growing.`,
      metric: reviewRate,
      threshold: OPS_ALARMS.reviewRate,
      topic: alarmTopic,
    });

    const day = Duration.days(1);
    this.calendarEndsAlarm = notifyingAlarm(this, 'CalendarEndsAlarm', {
      alarmName: `hotline-${stage}-calendar-ends`,
      description: `config/calendar.json (statutory holidays and 调休 make-up days) runs out within ${CALENDAR_WARNING_DAYS} days: deadlines past its last day are flagged beyondKnownCalendar instead of counted. Add the next year once the State Council publishes it (README, "When the calendar ends") and deploy.`,
      // Days left, the least any process invocation reported today; alarm while it is within the warning window.
      metric: new MathExpression({
        expression: `${CALENDAR_WARNING_DAYS + 1} - daysLeft`,
        usingMetrics: { daysLeft: customMetric(METRIC.KnownCalendarDaysLeft, 'process', { period: day, statistic: 'Minimum' }) },
        period: day,
        label: 'Days inside the calendar-end warning window',
      }),
      threshold: 0,
      topic: alarmTopic,
    });

    // --- The dashboard ---------------------------------------------------------------------------------------------
    const graph = (title: string, left: IMetric[], right: IMetric[] = [], width = 8): GraphWidget => new GraphWidget({ title, left, right, width, height: 6 });
    const queueDepth = (q: IQueue, label: string) => q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum', label });
    const queueAge = (q: IQueue, label: string) => q.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum', label });
    const perSource = (name: MetricName, service: keyof typeof SERVICE, what: string) =>
      HOTLINE_SOURCES.map((source) => customMetric(name, service, { dimensions: { source }, label: `${what} ${source}` }));

    const rows: IWidget[][] = [
      [
        new TextWidget({
          markdown: `## Hotline integration (${stage})\nAlarms go to the alarm topic. Redrive a DLQ with \`npm run ops -- redrive <queue>\`, replay the archive with \`npm run ops -- replay --from <t> --to <t>\` (README, "Day two").`,
          width: 24,
          height: 2,
        }),
      ],
      [
        graph('Ingest: tickets per 5 min', [
          customMetric(METRIC.IngestRequests, 'ingest', { label: 'requests' }),
          ...perSource(METRIC.TicketsAccepted, 'ingest', 'accepted'),
          ...perSource(METRIC.TicketsDuplicate, 'ingest', 'duplicate'),
        ]),
        graph('Ingest: rejects per 5 min', [
          ...perSource(METRIC.TicketsRejected, 'ingest', 'rejected'),
          ...perSource(METRIC.SignatureRejected, 'ingest', 'bad signature'),
          ...perSource(METRIC.SignatureRejected, 'feedback', 'bad signature (feedback)'),
        ]),
        graph(
          'API answers per 5 min',
          [props.api.metricClientError({ period: FIVE_MINUTES, label: '4xx' }), props.api.metricServerError({ period: FIVE_MINUTES, label: '5xx' })],
          [props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'latency p99 (ms)' })],
        ),
      ],
      [
        graph('Queues: depth', [queueDepth(props.processQueue, 'process'), queueDepth(props.callbacksQueue, 'callbacks')], []),
        graph('Queues: age of oldest message (s)', [queueAge(props.processQueue, 'process'), queueAge(props.callbacksQueue, 'callbacks')]),
        graph(
          'Process: duration (ms) and failures',
          [
            fn.process.metricDuration({ period: FIVE_MINUTES, statistic: 'p50', label: 'p50' }),
            fn.process.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: 'p99' }),
            fn.process.metricDuration({ period: FIVE_MINUTES, statistic: 'Maximum', label: 'max' }),
          ],
          [customMetric(METRIC.CaseProcessingFailed, 'process', { label: 'cases failed' })],
        ),
      ],
      [
        graph(
          'Review rate (share of dispatched cases, hourly)',
          [reviewRate],
          [
            customMetric(METRIC.CasesDispatched, 'process', { period: hour, label: 'dispatched' }),
            customMetric(METRIC.CasesNeedingReview, 'process', { period: hour, label: 'to review' }),
          ],
        ),
        graph(
          'Outbox: events not published',
          [
            customMetric(METRIC.CaseChangesFailed, 'relay', { label: 'case changes not relayed' }),
            customMetric(METRIC.CaseChangesRelayed, 'relay', { label: 'case changes relayed' }),
          ],
          [fn.relay.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum', label: 'relay iterator age (ms)' })],
        ),
        graph('Status callbacks', [
          customMetric(METRIC.StatusCallbacksFailed, 'callbacks', { label: 'failed' }),
          customMetric(METRIC.StatusCallbacksSkipped, 'callbacks', { label: 'no URL' }),
          ...perSource(METRIC.StatusCallbacksDelivered, 'callbacks', 'delivered'),
        ]),
      ],
      [
        graph(
          'Dead-letter queues: messages waiting',
          [
            ...Object.entries(props.deadLetterQueues).map(([label, q]) => queueDepth(q, label)),
            new MathExpression({
              // Every agency DLQ and delivery DLQ of this stage, found by name (one per agency: too many to list).
              expression: `SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" "hotline-${stage}-agency-"', 'Maximum', 60)`,
              label: 'agency',
            }),
          ],
          [],
          12,
        ),
        graph(
          'Deadline timers fired',
          [
            customMetric(METRIC.DeadlineTimersFired, 'deadlines', { label: 'fired' }),
            customMetric(METRIC.DeadlineTimersSkipped, 'deadlines', { label: 'nothing due' }),
            ...TIMER_KINDS.map((timer) => customMetric(METRIC.DeadlineEventsPublished, 'deadlines', { dimensions: { timer }, label: `published ${timer}` })),
          ],
          [],
          12,
        ),
      ],
      [
        new AlarmStatusWidget({
          title: 'Custom-metric alarms',
          alarms: [this.eventsNotPublishedAlarm, this.signatureRejectsAlarm, this.reviewRateAlarm, this.calendarEndsAlarm],
          width: 24,
          height: 3,
        }),
      ],
    ];
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `hotline-${stage}`, widgets: rows, defaultInterval: Duration.hours(24) });
  }
}

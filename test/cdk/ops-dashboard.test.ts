/**
 * Day two in the CDK app: the dashboard shows each thing an operator asks about first, and the alarms on the custom
 * metrics read exactly the names and `service` dimensions the functions emit (functions/shared/metric-names.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC, SERVICE } from '../../functions/shared/metric-names.js';
import { PROJECT_ROOT } from '../../lib/function-entries.js';
import { OPS_ALARMS } from '../../lib/ops-dashboard.js';
import { CALENDAR_WARNING_DAYS } from '../../functions/domain/deadlines/calendar-horizon.js';
import { resourcesOf, synth } from './synth.js';

let t: Template;
let body: string;
const TOPIC = { 'Fn::ImportValue': Match.stringLikeRegexp('AlarmTopic') };

beforeAll(() => {
  const s = synth();
  t = Template.fromStack(s.stateless);
  const dashboards = Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  body = JSON.stringify(dashboards[0]!.Properties!.DashboardBody);
}, 120_000);

/** Every `.ts` file under functions/, read once. */
const functionSources = (() => {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(PROJECT_ROOT, 'functions'));
  return out.join('\n');
})();

describe('the operations dashboard', () => {
  it('is named after the stage', () => {
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'hotline-dev' });
  });

  it.each([
    ['ingest rate', [METRIC.IngestRequests, METRIC.TicketsAccepted, METRIC.TicketsDuplicate]],
    ['rejects', [METRIC.TicketsRejected, METRIC.SignatureRejected, '4xx', '5xx']],
    ['queue depth and age', ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']],
    ['process duration', ['Process: duration', 'ProcessFunction', 'Duration', 'p99']],
    ['review rate', [METRIC.CasesNeedingReview, METRIC.CasesDispatched, 'review / dispatched']],
    ['events not published', [METRIC.CaseChangesFailed, 'IteratorAge']],
    [
      'DLQ depths, agency DLQs by search',
      [
        'ProcessDlq',
        'RelayDlq',
        'StatusCallbacksDlq',
        'StatusCallbacksDeliveryDlq',
        'DeadlineTimersDeliveryDlq',
        'FailedInvocationsDlq',
        'SEARCH(',
        'hotline-dev-agency-',
      ],
    ],
    ['deadline timers fired', [METRIC.DeadlineTimersFired, METRIC.DeadlineEventsPublished, 'escalation']],
  ])('shows %s', (_what, needles) => {
    for (const n of needles) expect(body, n).toContain(n);
  });

  it('reads custom metrics only from the functions that emit them: namespace, name, and their service dimension', () => {
    // Each ["HotlineIntegration","<name>","service","<service>", …] metric entry of the dashboard.
    const entries = [...body.matchAll(/\[\\"HotlineIntegration\\",\\"(\w+)\\",\\"service\\",\\"([\w-]+)\\"/g)].map((m) => [m[1]!, m[2]!]);
    expect(entries.length).toBeGreaterThan(20);
    for (const [name, service] of entries) {
      expect(Object.values(METRIC), name).toContain(name);
      expect(Object.values(SERVICE), service).toContain(service);
    }
  });
});

describe('metric names', () => {
  it('every declared metric is emitted by some function (a dashboard line or alarm never watches a name nobody writes)', () => {
    for (const name of Object.keys(METRIC)) expect(functionSources, name).toMatch(new RegExp(`METRIC\\.${name}\\b`));
    // ... and no function emits a literal name past the declaration.
    expect(functionSources).not.toMatch(/addMetric\('/);
  });

  it('every function reports the service its metrics are read with (POWERTOOLS_SERVICE_NAME)', () => {
    const services = Object.values(resourcesOf(t))
      // The app's own functions (Node.js); not the CDK's custom-resource handlers (the console's bucket deployment).
      .filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties!.Runtime).startsWith('nodejs'))
      .map((r) => (r.Properties!.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME);
    expect(services.sort()).toEqual(Object.values(SERVICE).sort());
  });
});

describe('alarms on the custom metrics, into the alarm topic', () => {
  it('events not published: case changes the relay could not relay, in every one of 3 consecutive 5-minute periods', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'hotline-dev-events-not-published',
      Namespace: 'HotlineIntegration',
      MetricName: METRIC.CaseChangesFailed,
      Dimensions: [{ Name: 'service', Value: SERVICE.relay }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: OPS_ALARMS.eventsNotPublishedPeriods,
      TreatMissingData: 'notBreaching',
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
    });
  });

  it('a spike of signature rejects: both hotlines, both signed routes, summed over 5 minutes', () => {
    const alarm = Object.values(resourcesOf(t)).find((r) => r.Properties?.AlarmName === 'hotline-dev-signature-rejects-spike')!;
    expect(alarm.Properties).toMatchObject({
      Threshold: OPS_ALARMS.signatureRejectsPer5Min,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [expect.anything()],
    });
    const metrics = alarm.Properties!.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] } };
    }[];
    const inputs = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
    expect(inputs.every((m) => m.MetricName === METRIC.SignatureRejected)).toBe(true);
    const dims = inputs.map((m) => Object.fromEntries(m.Dimensions.map((d) => [d.Name, d.Value])));
    expect(dims).toEqual(
      expect.arrayContaining([
        { service: SERVICE.ingest, source: '12345' },
        { service: SERVICE.ingest, source: '12309' },
        { service: SERVICE.feedback, source: '12345' },
        { service: SERVICE.feedback, source: '12309' },
      ]),
    );
    expect(dims).toHaveLength(4);
    const expr = metrics.find((m) => m.Expression)!.Expression!;
    for (const m of metrics.filter((x) => x.MetricStat)) expect(expr).toContain(m.Id);
  });

  it('a spike of the review rate: share of the hour’s dispatched cases sent to review, once enough were dispatched', () => {
    const alarm = Object.values(resourcesOf(t)).find((r) => r.Properties?.AlarmName === 'hotline-dev-review-rate-spike')!;
    expect(alarm.Properties).toMatchObject({ Threshold: OPS_ALARMS.reviewRate, AlarmActions: [expect.anything()] });
    const metrics = alarm.Properties!.Metrics as { Id: string; Expression?: string; MetricStat?: { Period: number; Metric: { MetricName: string } } }[];
    expect(metrics.find((m) => m.Expression)!.Expression).toBe(`IF(dispatched >= ${OPS_ALARMS.reviewRateMinDispatched}, review / dispatched, 0)`);
    expect(Object.fromEntries(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, [m.MetricStat!.Metric.MetricName, m.MetricStat!.Period]]))).toEqual({
      review: [METRIC.CasesNeedingReview, 3600],
      dispatched: [METRIC.CasesDispatched, 3600],
    });
  });

  it('the calendar running out: alarms while the least days-left the process function reported today is within the warning window', () => {
    const alarm = Object.values(resourcesOf(t)).find((r) => r.Properties?.AlarmName === 'hotline-dev-calendar-ends')!;
    expect(alarm.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [expect.anything()] });
    const metrics = alarm.Properties!.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Period: number; Stat: string; Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] } };
    }[];
    expect(metrics.find((m) => m.Expression)!.Expression).toBe(`${CALENDAR_WARNING_DAYS + 1} - daysLeft`);
    const stat = metrics.find((m) => m.MetricStat)!.MetricStat!;
    expect([stat.Metric.MetricName, stat.Period, stat.Stat]).toEqual([METRIC.KnownCalendarDaysLeft, 86400, 'Minimum']);
    expect(stat.Metric.Dimensions).toEqual([{ Name: 'service', Value: SERVICE.process }]);
  });
});

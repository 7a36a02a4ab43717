/**
 * Alarm helpers shared by the stacks. Every alarm notifies the one alarm topic, on ALARM and on OK, so an
 * operator sees both the page and the all-clear.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface NotifyingAlarmProps {
  alarmName: string;
  description: string;
  metric: IMetric;
  /** Alarm when the metric is strictly greater than this. */
  threshold: number;
  topic: ITopic;
  evaluationPeriods?: number;
}

export function notifyingAlarm(scope: Construct, id: string, p: NotifyingAlarmProps): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmName: p.alarmName,
    alarmDescription: p.description,
    metric: p.metric,
    threshold: p.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: p.evaluationPeriods ?? 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  const action = new SnsAction(p.topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** Any message in a dead-letter queue needs a person: alarm on depth > 0. */
export function dlqDepthAlarm(scope: Construct, id: string, queue: IQueue, alarmName: string, topic: ITopic, what: string): Alarm {
  return notifyingAlarm(scope, id, {
    alarmName,
    description: `${what}: messages are waiting in dead-letter queue ${queue.queueName}. Inspect them, fix the cause, then redrive.`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 0,
    topic,
  });
}

/** The oldest message has waited longer than `maxAge`: the consumer is down, stuck or too slow. */
export function queueAgeAlarm(scope: Construct, id: string, queue: IQueue, maxAge: Duration, alarmName: string, topic: ITopic, what: string): Alarm {
  return notifyingAlarm(scope, id, {
    alarmName,
    description: `${what}: the oldest message in ${queue.queueName} is older than ${maxAge.toHumanString()}. Is the consumer running?`,
    metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: maxAge.toSeconds(),
    topic,
  });
}

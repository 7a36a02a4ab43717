/**
 * Personal data over time in AWS (docs/privacy.md): the retention function and the daily EventBridge Scheduler
 * schedule that runs it (03:00 Asia/Shanghai), with its alarms. The function reads the case table's sparse
 * `retentionDue` index and saves erasures with the versioned case write; it needs no KMS key for contacts (it
 * deletes the sealed value, it never opens it).
 */
import { SERVICE } from '../functions/shared/metric-names.js';
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CASE_TABLE } from '../functions/adapters/aws/case-table.js';
import { RETENTION_ENTRY } from './function-entries.js';
import { acknowledgeStandardGrants, functionAlarms, hotlineNodeFunction } from './node-function.js';

/** When the job runs: daily, at night in China. */
export const RETENTION_SCHEDULE = { minute: '0', hour: '3', timeZone: TimeZone.ASIA_SHANGHAI } as const;

export interface RetentionProps {
  readonly stage: string;
  readonly logRetentionDays: RetentionDays;
  readonly key: IKey;
  readonly table: ITable;
  readonly alarmTopic: ITopic;
}

export class PersonalDataRetention extends Construct {
  readonly retentionFunction: NodejsFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: RetentionProps) {
    super(scope, id);
    const { stage } = props;
    this.retentionFunction = hotlineNodeFunction(this, {
      stage,
      name: 'retention',
      entry: RETENTION_ENTRY,
      description: 'PIPL retention: erases contacts and anonymises case text a set time after a case closes (config/retention-policy.json)',
      memorySize: 512,
      // A run is bounded by maxCasesPerRun; a batch of 100 cases is a Query, a BatchGetItem and 100 small transactions.
      timeout: Duration.minutes(10),
      environment: { TABLE_NAME: props.table.tableName, POWERTOOLS_SERVICE_NAME: SERVICE.retention },
      logRetentionDays: props.logRetentionDays,
      key: props.key,
    });
    // The work list (Query on the sparse index), the candidates (BatchGetItem), the erasure with its audit record
    // (TransactWriteItems: Put per item; Update for report counters, which an erasure never moves but the write path allows).
    this.retentionFunction.addToRolePolicy(
      new PolicyStatement({
        sid: 'QueryRetentionIndex',
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${CASE_TABLE.retentionIndex.name}`],
      }),
    );
    this.retentionFunction.addToRolePolicy(
      new PolicyStatement({
        sid: 'EraseCases',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
      }),
    );
    props.key.grantEncryptDecrypt(this.retentionFunction);
    acknowledgeStandardGrants(this.retentionFunction);

    // The Scheduler's role may invoke this function and nothing else. (aws-scheduler-targets' LambdaInvoke would also
    // grant every version, `<arn>:*`, which no schedule here calls.)
    const invoker = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: `EventBridge Scheduler invokes the hotline retention function (${stage})`,
    });
    invoker.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.retentionFunction.functionArn] }));
    const fn = this.retentionFunction;
    this.schedule = new Schedule(this, 'Daily', {
      scheduleName: `hotline-${stage}-retention`,
      description: 'Runs the PIPL retention job once a day',
      schedule: ScheduleExpression.cron(RETENTION_SCHEDULE),
      // A missed or failed run is repaired by the next one (it does what is due then): a few retries, no DLQ.
      target: { bind: () => ({ arn: fn.functionArn, role: invoker, retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 6 * 3600 } }) },
    });
    functionAlarms(this, this.retentionFunction, stage, 'retention', props.alarmTopic);
  }
}

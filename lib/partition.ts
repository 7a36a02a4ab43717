/**
 * Regional service hostnames, written with the partition's URL suffix (`amazonaws.com` in the commercial partition,
 * `amazonaws.com.cn` in AWS China, resolved at deploy time from `AWS::URLSuffix`). A hand-written
 * `<service>.<region>.amazonaws.com` would never match in China. Global service principals (`lambda.amazonaws.com`,
 * `events.amazonaws.com` …) are not hostnames of a region: they are the same in China (aws-cdk-lib region-info).
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `<service>.<region>.<URL suffix>` of the stack that holds `scope`. */
export function regionalServiceHost(scope: IConstruct, service: string): string {
  const stack = Stack.of(scope);
  return `${service}.${stack.region}.${stack.urlSuffix}`;
}

/** The `kms:ViaService` value of Secrets Manager. */
export const secretsManagerHost = (scope: IConstruct): string => regionalServiceHost(scope, 'secretsmanager');

/** The regional CloudWatch Logs service principal (the one principal that is regional, and partitional, in China). */
export const logsServiceHost = (scope: IConstruct): string => regionalServiceHost(scope, 'logs');

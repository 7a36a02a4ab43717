#!/usr/bin/env -S npx tsx
/**
 * CDK entry point (`cdk.json` runs it with tsx). Parameters come from CDK context: `stage` (default dev),
 * `alarmEmail`, `logRetentionDays` (default 365), `hotlineCallbackUrls`, `account` + `region` (default:
 * environment-agnostic). Example:
 *   npx cdk synth -c stage=prod -c alarmEmail=oncall@example.org
 */
import { App } from 'aws-cdk-lib';
import { buildHotlineApp } from '../lib/hotline-app.js';

const app = new App();
buildHotlineApp(app);
app.synth();

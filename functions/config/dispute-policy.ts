/** The deployed dispute policy (config/dispute-policy.json), built without zod; validate.ts checks the file first. */
import data from '../../config/dispute-policy.json' with { type: 'json' };
import { disputePolicyFromJson, type DisputePolicy } from '../domain/lifecycle/dispute-policy.js';

export const disputePolicy: DisputePolicy = disputePolicyFromJson(data);

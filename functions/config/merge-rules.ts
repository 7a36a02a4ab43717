/** The deployed repeat-request merging rules (config/merge-rules.json), built without zod; validate.ts checks the file first. */
import data from '../../config/merge-rules.json' with { type: 'json' };
import { mergeRulesFromJson, type MergeRules } from '../domain/merge/merge-rules.js';

export const mergeRules: MergeRules = mergeRulesFromJson(data);

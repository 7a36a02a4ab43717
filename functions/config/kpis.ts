/** The deployed rate definitions (config/kpis.json), built without zod; validate.ts checks the file first. */
import data from '../../config/kpis.json' with { type: 'json' };
import { kpiRulesFromJson, type KpiRules } from '../domain/report/kpis.js';

export const kpiRules: KpiRules = kpiRulesFromJson(data);

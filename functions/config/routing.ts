/**
 * The deployed routing table, built without zod at cold start. `cdk synth` and the tests validate the same file
 * first (functions/config/validate.ts: its schema, and every agency kind against the agency directory).
 */
import data from '../../config/routing.json' with { type: 'json' };
import { buildRoutingTable, type RoutingTable } from '../domain/route/routing-table.js';

export const routing: RoutingTable = buildRoutingTable(data, 'config/routing.json');

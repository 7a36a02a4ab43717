/**
 * The deployed routing table, validated at module load against the agency directory: every agency kind it names
 * must exist there, so a ticket can always be dispatched.
 */
import data from '../../config/routing.json' with { type: 'json' };
import { loadRoutingTable, type RoutingTable } from '../domain/route/routing-table.js';
import { directory } from './directory.js';

export const routing: RoutingTable = loadRoutingTable(data, 'config/routing.json', (kind) => directory.hasKind(kind));

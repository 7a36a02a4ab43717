/** The monthly-report counter rows (`REPORT#<month>#<region>` / `<agency>#<domain>`): one ADD update per row. */
import { METRICS, type Counts, type ReportRow } from '../../../domain/report/tally.js';
import { CASE_TABLE, reportPk, reportSk } from '../case-table.js';

const { partitionKey: PK, sortKey: SK } = CASE_TABLE;

/** The Update of one counter row: its key attributes set, each metric added. */
export function counterUpdate(tableName: string, row: ReportRow) {
  const names: Record<string, string> = { '#month': 'month', '#region': 'regionCode', '#agency': 'agencyId', '#domain': 'domain' };
  const values: Record<string, unknown> = { ':month': row.key.month, ':region': row.key.regionCode, ':agency': row.key.agencyId, ':domain': row.key.domain };
  const adds: string[] = [];
  for (const [i, [metric, n]] of Object.entries(row.counts).entries()) {
    names[`#m${i}`] = metric;
    values[`:m${i}`] = n;
    adds.push(`#m${i} :m${i}`);
  }
  return {
    TableName: tableName,
    Key: { [PK]: reportPk(row.key.month, row.key.regionCode), [SK]: reportSk(row.key.agencyId, row.key.domain) },
    UpdateExpression: `SET #month = :month, #region = :region, #agency = :agency, #domain = :domain ADD ${adds.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A stored counter row back as a report row (zero metrics left out). */
export function rowOf(i: Record<string, unknown>): ReportRow {
  const counts: Counts = {};
  for (const m of METRICS) if (typeof i[m] === 'number' && i[m] !== 0) counts[m] = i[m] as number;
  return { key: { month: String(i['month']), regionCode: String(i['regionCode']), agencyId: String(i['agencyId']), domain: String(i['domain']) }, counts };
}

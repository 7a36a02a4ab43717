/**
 * CSV for Excel, declared once (the joint report, the audit export): UTF-8 with a byte-order mark (Excel otherwise
 * reads Chinese as mojibake), CRLF line ends, RFC 4180 quoting, and cells that could be read as formulas (`=`, `+`,
 * `-`, `@`) prefixed with `'`.
 */
const BOM = '\uFEFF';

export type CsvCell = string | number | boolean | null | undefined;

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header and rows as CSV text (the BOM included: write it out as UTF-8 bytes as is). */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return `${BOM + lines.join('\r\n')}\r\n`;
}

/** Use case of `npm run export:training`: scan the case records once and keep the ones a person's routing labels. */
import { trainingLine, type ExportOptions, type TrainingLine } from '../domain/classify/model/training-export.js';
import type { RoutingTable } from '../domain/route/routing-table.js';
import type { CaseScan } from '../ports/case-store.js';

export async function exportTraining(store: CaseScan, routing: RoutingTable, o: ExportOptions): Promise<{ lines: TrainingLine[]; scanned: number }> {
  const lines: TrainingLine[] = [];
  let scanned = 0;
  let cursor: string | undefined;
  do {
    const page = await store.scanCases({ limit: 500, cursor });
    for (const c of page.items) {
      scanned++;
      const line = trainingLine(c, routing, o);
      if (line) lines.push(line);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { lines, scanned };
}

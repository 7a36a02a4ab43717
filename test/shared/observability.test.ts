import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dimensionedCount, withoutSdkLogging } from '../../functions/shared/observability.js';

/** The EMF lines Powertools printed, parsed. */
function captureEmf() {
  const lines: Record<string, unknown>[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) if (line.includes('"_aws"')) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

describe('dimensionedCount', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('emits each count at once with only its own dimension, and never dimensions the shared instance', () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_DEV;
    const out = captureEmf();
    try {
      const metrics = new Metrics({ namespace: 'Test', serviceName: 'svc' });
      const countBy = dimensionedCount(metrics);
      countBy('source', '12345', 'SignatureRejected');
      countBy('source', '12309', 'SignatureRejected', 2);
      countBy('action', 'accept', 'CaseTransitions');
      metrics.addMetric('IngestRequests', 'Count', 1);
      metrics.publishStoredMetrics();
    } finally {
      out.restore();
    }
    expect(out.lines).toHaveLength(4);
    const [a, b, c, shared] = out.lines as Record<string, unknown>[];
    expect(a).toMatchObject({ source: '12345', SignatureRejected: 1 });
    expect(b).toMatchObject({ source: '12309', SignatureRejected: 2 });
    // A reused instance must not carry the previous count's dimension.
    expect(c).toMatchObject({ action: 'accept', CaseTransitions: 1 });
    expect(c).not.toHaveProperty('source');
    expect(shared).toMatchObject({ IngestRequests: 1 });
    expect(shared).not.toHaveProperty('source');
    expect(shared).not.toHaveProperty('action');
  });
});

describe('withoutSdkLogging', () => {
  it("removes the SDK's logger middleware and keeps the rest of the stack", () => {
    const client = new DynamoDBClient({ region: 'local' });
    const before = client.middlewareStack.identify();
    expect(before.some((m) => m.startsWith('loggerMiddleware'))).toBe(true);
    withoutSdkLogging(client);
    const after = client.middlewareStack.identify();
    expect(after.some((m) => m.startsWith('loggerMiddleware'))).toBe(false);
    expect(after.length).toBe(before.length - 1);
    client.destroy();
  });
});

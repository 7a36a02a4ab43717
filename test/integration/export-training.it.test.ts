/**
 * `npm run export:training` against local mode: a flagged ticket a dispatcher routed and a return (退单) that ended
 * in a reroute both become training lines with the agency that finally got them, in the corpus format, with no raw
 * personal data.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_SECRETS } from '../../functions/adapters/local/env-secrets.js';
import { exportTraining } from '../../functions/app/export-training.js';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { routing } from '../../functions/config/routing.js';
import { caseIdFor } from '../../functions/domain/case/case-id.js';
import { ticketSchemaFor } from '../../functions/domain/ticket/schemas.js';
import { postTickets } from '../../local/hotline-client.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { ticket12345, uniqueId } from '../support/fixtures.js';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocal({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: uniqueId('export').toLowerCase(), env: {} });
});
afterAll(async () => {
  await rt?.stop();
});

const send = async (ticket: Record<string, unknown>) => {
  expect((await postTickets(rt.url, '12345', DEV_SECRETS['12345'], ticket)).status).toBe(202);
  await rt.drained();
  return caseIdFor('12345', ticket['ticketId'] as string);
};
async function act(caseId: string, agencyId: string, role: 'agent' | 'dispatcher', action: string, body: unknown = {}) {
  const token = await signDevToken({ agencyId, role });
  const res = await fetch(`${rt.url}/v1/cases/${caseId}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, `${action} by ${role} of ${agencyId}`).toBe(200);
  return (await res.json()) as { status: string; agencyId: string };
}

describe('export:training in local mode', () => {
  it('turns a dispatcher’s routing and a reroute after a return into training lines with the final agency, masked', async () => {
    const PHONE_A = '13812345678';
    const PHONE_B = '13900001111';
    // A ticket with no matter of its own: the router cannot place it, the dispatch center routes it by hand.
    const flagged = await send(ticket12345({ content: `你好，同上，电话${PHONE_A}`, regionCode: '150302' }));
    expect((await rt.store.get(flagged))?.status).toBe('needs_review');
    await act(flagged, '150300:dispatch-center', 'dispatcher', 'route', { agencyId: '150302:urban-management' });

    // A ticket the router places; the agency returns it and the dispatcher reroutes it.
    const returned = await send(
      ticket12345({ content: `小区门口的超市卖过期牛奶，买回家喝了拉肚子，要求查处。联系电话${PHONE_B}`, regionCode: '150302', hotlineCategory: '食品安全' }),
    );
    const first = (await rt.store.get(returned))!;
    expect(first.status).toBe('dispatched');
    await act(returned, first.agencyId!, 'agent', 'return', { reason: '不属于本单位职责' });
    await act(returned, '150300:dispatch-center', 'dispatcher', 'route', { agencyId: '150302:health' });

    // A ticket nobody corrected is not exported.
    const untouched = await send(ticket12345({ content: '滨河路的垃圾桶三天没人清了，臭得没法走路。', regionCode: '150302' }));

    await rt.drained();
    const { lines } = await exportTraining(rt.store, routing, { since: '2020-01-01T00:00:00Z', closed: false });
    const a = lines.find((l) => caseIdFor('12345', l.ticket['ticketId'] as string) === flagged);
    const b = lines.find((l) => caseIdFor('12345', l.ticket['ticketId'] as string) === returned);
    expect(a?.label.agency).toBe('urban-management');
    expect(a?.label.domain).toBe('urban_management');
    expect(b?.label.agency).toBe('health');
    expect(b?.label.domain).toBe('health_care');
    expect(b?.note).toMatch(/returned → 150302:health/);
    expect(lines.some((l) => caseIdFor('12345', l.ticket['ticketId'] as string) === untouched)).toBe(false);
    // No raw personal data anywhere in what is written, and every line is a ticket ingest would accept.
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(PHONE_A);
    expect(text).not.toContain(PHONE_B);
    expect(text).not.toMatch(/caller|petitioner/);
    for (const l of [a!, b!]) expect(ticketSchemaFor[l.source].safeParse(l.ticket).success).toBe(true);
  });
});

/** Route matching against the route table: shapes, decoding, and what a bad path parameter answers. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../functions/http/http-error.js';
import { decodeParams, findRoute } from '../../functions/http/match-route.js';
import { PATH_PARAMS, ROUTES } from '../../functions/http/routes.js';
import { STORE_LIMITS } from '../../functions/domain/store-limits.js';
import { decodeCursor } from '../../functions/adapters/aws/dynamo/cursor.js';
import { CASE_TABLE } from '../../functions/adapters/aws/case-table.js';
import { InvalidCursorError } from '../../functions/ports/errors.js';

const statusOf = (f: () => unknown): number | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof HttpError ? e.statusCode : -1;
  }
};

describe('findRoute + decodeParams', () => {
  it('finds each route by method and shape, with an optional trailing slash', () => {
    expect(findRoute(ROUTES, 'POST', '/v1/hotlines/12345/tickets')?.route.name).toBe('tickets');
    expect(findRoute(ROUTES, 'post', '/v1/hotlines/12309/feedback/')?.route.name).toBe('feedback');
    expect(findRoute(ROUTES, 'GET', '/v1/cases/abc')?.route.name).toBe('case');
    expect(findRoute(ROUTES, 'POST', '/v1/cases/abc/accept')?.route.name).toBe('action');
    expect(findRoute(ROUTES, 'GET', '/v1/cases/abc/accept')).toBeUndefined();
    expect(findRoute(ROUTES, 'GET', '/v1/cases//')).toBeUndefined();
    expect(findRoute(ROUTES, 'DELETE', '/v1/cases/abc')).toBeUndefined();
  });

  it('decodes parameters and types the constrained ones', () => {
    expect(decodeParams(findRoute(ROUTES, 'GET', '/v1/agencies/150302%3Amarket-regulation/cases')!)).toEqual({ agencyId: '150302:market-regulation' });
    expect(decodeParams(findRoute(ROUTES, 'POST', '/v1/cases/12345-AB/grant-extension')!)).toEqual({ caseId: '12345-AB', action: 'grant-extension' });
  });

  it('answers 400 for malformed percent-encoding and over-long values, 404 for an unknown hotline or action', () => {
    expect(statusOf(() => decodeParams(findRoute(ROUTES, 'GET', '/v1/cases/%E0%A4%A')!))).toBe(400);
    expect(statusOf(() => decodeParams(findRoute(ROUTES, 'GET', `/v1/cases/${'x'.repeat(129)}`)!))).toBe(400);
    expect(statusOf(() => decodeParams(findRoute(ROUTES, 'GET', `/v1/cases/${'x'.repeat(128)}`)!))).toBeUndefined();
    expect(statusOf(() => decodeParams(findRoute(ROUTES, 'POST', '/v1/hotlines/99999/tickets')!))).toBe(404);
    expect(statusOf(() => decodeParams(findRoute(ROUTES, 'POST', '/v1/cases/x/explode')!))).toBe(404);
  });
});

describe('bounds of what reaches the store (issue 10, item 3)', () => {
  it('every path parameter at its longest fits a key of the store, with its prefix (UTF-8: ≤ 3 bytes per UTF-16 unit)', () => {
    for (const [name, spec] of Object.entries(PATH_PARAMS)) expect(spec.maxLength * 3 + 64, name).toBeLessThanOrEqual(STORE_LIMITS.sortKeyBytes);
  });

  it('a cursor with the right key names but values the store cannot take is refused, not sent to DynamoDB', () => {
    const index = CASE_TABLE.workIndex;
    const cursor = (k: Record<string, unknown>) => Buffer.from(JSON.stringify(k)).toString('base64url');
    const good = { pk: 'CASE#12345-X', sk: 'CASE', queuePk: 'a#dispatched', queueSk: '2026-10-08T23:59:59+08:00#12345-X' };
    expect(decodeCursor(cursor(good), index, 'a#dispatched')).toEqual(good);
    for (const bad of [{ pk: 1e-200 }, { sk: 0 }, { queueSk: 'x'.repeat(1025) }, { pk: { S: 'x' } }, { sk: '' }])
      expect(() => decodeCursor(cursor({ ...good, ...bad }), index, 'a#dispatched')).toThrow(InvalidCursorError);
  });
});

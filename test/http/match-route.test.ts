/** Route matching against the route table: shapes, decoding, and what a bad path parameter answers. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../functions/http/http-error.js';
import { decodeParams, findRoute } from '../../functions/http/match-route.js';
import { ROUTES } from '../../functions/http/routes.js';

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

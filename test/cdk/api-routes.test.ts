/**
 * The HTTP API in the synthesized stateless stack is exactly the route table (functions/http/routes.ts): the same
 * route keys, each to the function the table names, with the JWT authorizer on agency routes and none on the
 * hotline routes (their HMAC signature is checked in the function).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, ROUTES } from '../../functions/http/routes.js';
import { resourcesOf, synth } from './synth.js';

type Resources = ReturnType<typeof resourcesOf>;
let res: Resources;

beforeAll(() => {
  res = resourcesOf(Template.fromStack(synth().stateless));
});

/** Route key → { function name, authorization type } as the template declares it. */
function declaredRoutes(): Map<string, { fn: string; auth: string }> {
  const byLogicalId = (id: string) => res[id]!;
  const out = new Map<string, { fn: string; auth: string }>();
  for (const r of Object.values(res).filter((x) => x.Type === 'AWS::ApiGatewayV2::Route')) {
    const p = r.Properties as { RouteKey: string; AuthorizationType: string; Target: { 'Fn::Join': [string, [string, { Ref: string }]] } };
    const integration = byLogicalId(p.Target['Fn::Join'][1][1].Ref).Properties as { IntegrationUri: { 'Fn::GetAtt': [string, string] } };
    const fn = byLogicalId(integration.IntegrationUri['Fn::GetAtt'][0]).Properties as { FunctionName: string };
    out.set(p.RouteKey, { fn: fn.FunctionName, auth: p.AuthorizationType });
  }
  return out;
}

describe('the HTTP API and the route table', () => {
  it('declare the same routes, to the same functions, with the same auth', () => {
    const want = new Map(apiRoutes().map((r) => [r.key, { fn: `hotline-dev-${r.route.fn}`, auth: r.route.auth === 'agency-jwt' ? 'JWT' : 'NONE' }]));
    expect(Object.fromEntries(declaredRoutes())).toEqual(Object.fromEntries(want));
  });

  it('expand one API route per hotline, and keep every other template as it is', () => {
    const keys = apiRoutes().map((r) => r.key);
    expect(keys).toContain('POST /v1/hotlines/12345/tickets');
    expect(keys).toContain('POST /v1/hotlines/12309/feedback');
    expect(keys).toContain('POST /v1/cases/{caseId}/{action}');
    expect(keys.some((k) => k.includes('{source}'))).toBe(false);
    // Names are what the functions dispatch on: unique.
    expect(new Set(ROUTES.map((r) => r.name)).size).toBe(ROUTES.length);
  });
});

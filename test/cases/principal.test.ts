import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../functions/auth/principal.js';

describe('principal from verified claims', () => {
  it('reads role, agencyId and sub claims', () => {
    expect(principalFromClaims({ role: 'agent', agencyId: '150302:market-regulation', sub: 'u-1' })).toEqual({
      role: 'agent',
      agencyId: '150302:market-regulation',
      sub: 'u-1',
    });
    expect(principalFromClaims({ role: 'operator', agencyId: '150300:dispatch-center', sub: 'u-2' })).toEqual({
      role: 'operator',
      agencyId: '150300:dispatch-center',
      sub: 'u-2',
    });
    expect(principalFromClaims({ role: 'agent', sub: 'u-1' })).toBeUndefined();
    // An operator too belongs to an agency: without one it would have no jurisdiction to read in.
    expect(principalFromClaims({ role: 'operator', sub: 'u-2' })).toBeUndefined();
  });

  it('refuses claims that name no person: the audit trail names the sub behind every action', () => {
    expect(principalFromClaims({ role: 'agent', agencyId: '150302:market-regulation' })).toBeUndefined();
    expect(principalFromClaims({ role: 'agent', agencyId: '150302:market-regulation', sub: '' })).toBeUndefined();
    expect(principalFromClaims({ role: 'agent', agencyId: '150302:market-regulation', sub: 7 })).toBeUndefined();
    expect(principalFromClaims({ role: 'agent', agencyId: '150302:market-regulation', sub: 'x'.repeat(256) })).toBeUndefined();
  });

  it('reads Cognito groups as the HTTP API authorizer passes them, or as an array', () => {
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation role:supervisor]', sub: 'c-1' })).toEqual({
      role: 'supervisor',
      agencyId: '150302:market-regulation',
      sub: 'c-1',
    });
    expect(principalFromClaims({ 'cognito:groups': ['role:operator', '150300:dispatch-center'], sub: 'c-2' })).toEqual({
      role: 'operator',
      agencyId: '150300:dispatch-center',
      sub: 'c-2',
    });
    expect(principalFromClaims({ 'cognito:groups': ['role:operator'], sub: 'c-2' })).toBeUndefined();
  });

  it('refuses group sets that name two roles or two agencies, or no role', () => {
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation role:agent role:supervisor]', sub: 'c-1' })).toBeUndefined();
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation 150303:market-regulation role:agent]', sub: 'c-1' })).toBeUndefined();
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation]', sub: 'c-1' })).toBeUndefined();
  });
});

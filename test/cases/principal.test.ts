import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../functions/auth/principal.js';

describe('principal from verified claims', () => {
  it('reads role and agencyId claims', () => {
    expect(principalFromClaims({ role: 'agent', agencyId: '150302:market-regulation' })).toEqual({ role: 'agent', agencyId: '150302:market-regulation' });
    expect(principalFromClaims({ role: 'operator', agencyId: '150300:dispatch-center' })).toEqual({ role: 'operator', agencyId: '150300:dispatch-center' });
    expect(principalFromClaims({ role: 'agent' })).toBeUndefined();
    // An operator too belongs to an agency: without one it would have no jurisdiction to read in.
    expect(principalFromClaims({ role: 'operator' })).toBeUndefined();
  });

  it('reads Cognito groups as the HTTP API authorizer passes them, or as an array', () => {
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation role:supervisor]' })).toEqual({
      role: 'supervisor',
      agencyId: '150302:market-regulation',
    });
    expect(principalFromClaims({ 'cognito:groups': ['role:operator', '150300:dispatch-center'] })).toEqual({
      role: 'operator',
      agencyId: '150300:dispatch-center',
    });
    expect(principalFromClaims({ 'cognito:groups': ['role:operator'] })).toBeUndefined();
  });

  it('refuses group sets that name two roles or two agencies, or no role', () => {
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation role:agent role:supervisor]' })).toBeUndefined();
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation 150303:market-regulation role:agent]' })).toBeUndefined();
    expect(principalFromClaims({ 'cognito:groups': '[150302:market-regulation]' })).toBeUndefined();
  });
});

/**
 * The default issuer of agency API tokens: a Cognito user pool with one group per agency in the directory (the
 * same source of truth as the queues and rules) and one group per role. An administrator adds a staff member to
 * their agency's group and to one role group; the ID token's `cognito:groups` claim then names both, and the
 * cases function reads them (functions/auth/principal.ts). A deployer with another identity provider sets the
 * context `jwtIssuer` and `jwtAudience` instead, and its tokens carry `agencyId` and `role` claims.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, FeaturePlan, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_GROUP_PREFIX } from '../functions/auth/principal.js';
import { ROLES } from '../functions/domain/lifecycle/transitions.js';
import type { AgencyDirectory } from '../functions/domain/directory/directory.js';

export interface AgencyIdentityProps {
  readonly stage: string;
  readonly directory: AgencyDirectory;
}

export class AgencyIdentity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: AgencyIdentityProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `hotline-${props.stage}-agencies`,
      selfSignUpEnabled: false, // staff accounts are created by an administrator
      signInAliases: { username: true, email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.client = this.userPool.addClient('AgencyApiClient', {
      userPoolClientName: `hotline-${props.stage}-agency-api`,
      authFlows: { userSrp: true },
      generateSecret: false,
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
      preventUserExistenceErrors: true,
    });
    // L1 groups: the L2 has no group construct with a free-form name in this version.
    for (const agency of props.directory.list()) {
      new CfnUserPoolGroup(this, `Agency-${agency.id}`, { userPoolId: this.userPool.userPoolId, groupName: agency.id, description: agency.name });
    }
    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `Role-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: `${ROLE_GROUP_PREFIX}${role}`,
        description: `Agency API role ${role}`,
      });
    }
  }
}

import { describe, expect, it } from 'vitest';
import { directory } from '../../functions/config/directory.js';
import { readConfig } from '../../lib/config.js';
import { agencyResourceNames, agencySlug, assertUniqueAgencyNames } from '../../lib/naming.js';
import { App } from 'aws-cdk-lib';

describe('agency resource names', () => {
  it('maps agency ids to valid, stage-scoped SQS and rule names', () => {
    expect(agencySlug('150302:market-regulation')).toBe('150302-market-regulation');
    expect(agencyResourceNames('dev', '150302:market-regulation')).toEqual({
      queue: 'hotline-dev-agency-150302-market-regulation',
      dlq: 'hotline-dev-agency-150302-market-regulation-dlq',
      deliveryDlq: 'hotline-dev-agency-150302-market-regulation-delivery-dlq',
      rule: 'hotline-dev-agency-150302-market-regulation',
      constructId: 'Agency-150302-market-regulation',
    });
    expect(agencyResourceNames('prod', '150300:procuratorate.pil').queue).toBe('hotline-prod-agency-150300-procuratorate-pil');
  });

  it('gives every agency of the directory distinct names that fit SQS and EventBridge limits', () => {
    expect(() => assertUniqueAgencyNames('prod', directory.list())).not.toThrow();
    for (const a of directory.list()) {
      const n = agencyResourceNames('longstage123', a.id);
      for (const q of [n.queue, n.dlq, n.deliveryDlq]) expect(q).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
      expect(n.rule).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    }
  });

  it('rejects two agencies that would collide on a name', () => {
    const a = { kind: 'x', regionCode: '150300', name: 'x', consumesByQueue: false };
    expect(() =>
      assertUniqueAgencyNames('dev', [
        { ...a, id: '150300:a.b' },
        { ...a, id: '150300:a-b' },
      ]),
    ).toThrow(/both map to queue name/);
  });
});

describe('context parameters', () => {
  const cfg = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

  it('defaults to stage dev, 365 days of logs, no email, no callbacks', () => {
    expect(cfg({})).toEqual({ stage: 'dev', alarmEmail: undefined, logRetentionDays: 365, hotlineCallbackUrls: {}, tracing: false });
  });

  it('accepts CLI strings (-c key=value) and JSON callback URLs', () => {
    expect(
      cfg({
        stage: 'prod',
        logRetentionDays: '731',
        alarmEmail: 'oncall@example.org',
        hotlineCallbackUrls: '{"12345":"https://12345.example.org/cb"}',
        tracing: 'true',
      }),
    ).toEqual({
      stage: 'prod',
      alarmEmail: 'oncall@example.org',
      logRetentionDays: 731,
      hotlineCallbackUrls: { '12345': 'https://12345.example.org/cb' },
      tracing: true,
    });
  });

  it('pins a region alone or with an account; an account needs a region; a China region needs an OIDC issuer', () => {
    const issuer = { jwtIssuer: 'https://sso.example.gov.cn', jwtAudience: 'hotline-agency-api' };
    expect(cfg({ account: '123456789012', region: 'cn-north-1', ...issuer }).env).toEqual({ account: '123456789012', region: 'cn-north-1' });
    expect(cfg({ region: 'ap-southeast-1' }).env).toEqual({ region: 'ap-southeast-1' });
    expect(() => cfg({ account: '123456789012' })).toThrow(/region: required when account is set/);
    expect(() => cfg({ region: 'cn-north-1' })).toThrow(/Cognito user pools are not offered in cn-north-1/);
  });

  it('lists every bad parameter at once', () => {
    expect(() => cfg({ stage: 'Prod_1', logRetentionDays: 100, alarmEmail: 'nope', hotlineCallbackUrls: { '99999': 'http://x' }, tracing: 'yes' })).toThrow(
      /stage:[\s\S]*alarmEmail:[\s\S]*logRetentionDays:[\s\S]*hotlineCallbackUrls\.99999[\s\S]*tracing: "yes"/,
    );
  });
});

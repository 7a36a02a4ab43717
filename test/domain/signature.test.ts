import { describe, expect, it } from 'vitest';
import { sign, verifySignature } from '../../functions/domain/ingest/signature.js';

const secret = 'a-shared-secret-of-some-length';
const body = '{"ticketId":"A-1","content":"河水发黑"}';
const now = 1_800_000_000;

describe('hotline signatures', () => {
  it('accepts a signature made with the same secret over the raw body', () => {
    expect(verifySignature(sign(secret, body, now), body, secret, now)).toEqual({ ok: true });
  });

  it('rejects another secret, a changed body, and a missing or malformed header', () => {
    expect(verifySignature(sign('other-secret', body, now), body, secret, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(sign(secret, body, now), body.replace('A-1', 'A-2'), secret, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(undefined, body, secret, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature('v1=abc', body, secret, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature('garbage', body, secret, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('enforces the 300 s replay window in both directions', () => {
    expect(verifySignature(sign(secret, body, now - 300), body, secret, now).ok).toBe(true);
    expect(verifySignature(sign(secret, body, now - 301), body, secret, now)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(sign(secret, body, now + 301), body, secret, now)).toEqual({ ok: false, reason: 'stale' });
  });

  it('accepts any of several v1 values, so a hotline can rotate its secret', () => {
    const good = sign(secret, body, now).split(',')[1];
    expect(verifySignature(`t=${now},v1=${'0'.repeat(64)},${good}`, body, secret, now).ok).toBe(true);
  });

  it('signs the UTF-8 bytes, so Chinese text in a Buffer verifies the same as the string', () => {
    expect(verifySignature(sign(secret, body, now), Buffer.from(body, 'utf8'), secret, now).ok).toBe(true);
  });
});

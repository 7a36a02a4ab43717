import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, InvalidCiphertextException, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { kmsContactCipher } from '../../functions/adapters/aws/kms-data-keys.js';
import {
  CONTACT_PURPOSE,
  ContactBindingError,
  devContactCipher,
  EnvelopeContactCipher,
  RawAesDataKeys,
  SealedContactError,
} from '../../functions/adapters/envelope-contact-cipher.js';

const contact = { name: '李四', phone: '13900002222', idNumber: '150302199001011234' };
const KEY_ARN = 'arn:aws-cn:kms:cn-north-1:123456789012:key/contact';

/** A KMS stand-in: each generated key's blob is an opaque random id, and Decrypt answers only for blobs it made. */
const kms = mockClient(KMSClient);
let made: Map<string, Buffer>;
beforeEach(() => {
  kms.reset();
  made = new Map();
  kms.on(GenerateDataKeyCommand).callsFake(async () => {
    const plaintext = randomBytes(32);
    const blob = randomBytes(48);
    made.set(blob.toString('hex'), plaintext);
    return { Plaintext: new Uint8Array(plaintext), CiphertextBlob: new Uint8Array(blob), KeyId: KEY_ARN };
  });
  kms.on(DecryptCommand).callsFake(async (input: { CiphertextBlob: Uint8Array }) => {
    const plaintext = made.get(Buffer.from(input.CiphertextBlob).toString('hex'));
    if (!plaintext) throw new InvalidCiphertextException({ message: 'bad blob', $metadata: {} });
    return { Plaintext: new Uint8Array(plaintext), KeyId: KEY_ARN };
  });
});

/** Flips one bit of the decoded sealed value at `at` (negative: from the end). */
function flip(sealed: string, at: number): string {
  const b = Buffer.from(sealed, 'base64');
  const i = at < 0 ? b.length + at : at;
  b[i] = b[i]! ^ 0x01;
  return b.toString('base64');
}

describe.each([
  ['local raw key', () => devContactCipher('test-contact-key')],
  ['KMS', () => kmsContactCipher(KEY_ARN, new KMSClient({ region: 'cn-north-1' }))],
])('envelope contact cipher (%s)', (_, make) => {
  it('opens what it sealed, for the same case, and never holds the contact in the clear', async () => {
    const c = make();
    const sealed = await c.seal(contact, 'case-1');
    expect(Buffer.from(sealed, 'base64').toString('utf8')).not.toContain('13900002222');
    expect(Buffer.from(sealed, 'base64')[0]).toBe(1); // format version
    expect(await c.open(sealed, 'case-1')).toEqual(contact);
    // A fresh instance (another Lambda) opens it too: the data key travels in the sealed value.
    expect(await make().open(sealed, 'case-1')).toEqual(contact);
  });

  it('rejects a value sealed for another case', async () => {
    const c = make();
    const sealed = await c.seal(contact, 'case-1');
    await expect(c.open(sealed, 'case-2')).rejects.toBeInstanceOf(ContactBindingError);
    await expect(c.open(sealed, 'case-2')).rejects.toThrow(/does not belong/);
  });

  it('detects a change to any part: case binding, wrapped key, IV, ciphertext, tag', async () => {
    const c = make();
    const sealed = await c.seal(contact, 'case-1');
    const n = Buffer.from(sealed, 'base64').readUInt16BE(17);
    for (const at of [1, 19, 19 + n, 19 + n + 12, -1]) {
      const err = await c.open(flip(sealed, at), 'case-1').catch((e: unknown) => e);
      expect(err, `byte ${at}`).toBeInstanceOf(Error);
      // The case hash bytes fail as a binding error (forged to look like another case); everything else as altered.
      expect(err, `byte ${at}`).toBeInstanceOf(at === 1 ? ContactBindingError : SealedContactError);
    }
    await expect(c.open('bm90IHNlYWxlZA==', 'case-1')).rejects.toBeInstanceOf(SealedContactError);
  });
});

describe('data key reuse', () => {
  it('calls KMS GenerateDataKey once for many seals, with the AES_256 spec and the purpose as encryption context', async () => {
    const c = kmsContactCipher(KEY_ARN, new KMSClient({ region: 'cn-north-1' }));
    const sealed = await Promise.all(Array.from({ length: 50 }, (_, i) => c.seal(contact, `case-${i}`)));
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY_ARN,
      KeySpec: 'AES_256',
      EncryptionContext: { purpose: CONTACT_PURPOSE },
    });
    // Opening all of them unwraps that one key once.
    const reader = kmsContactCipher(KEY_ARN, new KMSClient({ region: 'cn-north-1' }));
    for (const [i, s] of sealed.entries()) expect(await reader.open(s, `case-${i}`)).toEqual(contact);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input).toMatchObject({ KeyId: KEY_ARN, EncryptionContext: { purpose: CONTACT_PURPOSE } });
  });

  it('takes a new data key after the message limit and after the age limit', async () => {
    let now = 0;
    const c = new EnvelopeContactCipher(new RawAesDataKeys('k'), { maxAgeMs: 1000, maxMessages: 3, openCacheSize: 8 }, () => now);
    const keyOf = (s: string) =>
      Buffer.from(s, 'base64')
        .subarray(19, 19 + Buffer.from(s, 'base64').readUInt16BE(17))
        .toString('hex');
    const first = await Promise.all([1, 2, 3, 4].map((i) => c.seal(contact, `c${i}`)));
    expect(new Set(first.slice(0, 3).map(keyOf)).size).toBe(1);
    expect(keyOf(first[3]!)).not.toBe(keyOf(first[0]!));
    now = 999;
    expect(keyOf(await c.seal(contact, 'c5'))).toBe(keyOf(first[3]!));
    now = 2000;
    expect(keyOf(await c.seal(contact, 'c6'))).not.toBe(keyOf(first[3]!));
  });

  it('asks KMS again after a failed GenerateDataKey instead of caching the failure', async () => {
    kms.on(GenerateDataKeyCommand).rejectsOnce(new Error('throttled'));
    const c = kmsContactCipher(KEY_ARN, new KMSClient({ region: 'cn-north-1' }));
    await expect(c.seal(contact, 'case-1')).rejects.toThrow(/throttled/);
    kms.on(GenerateDataKeyCommand).callsFake(async () => ({ Plaintext: new Uint8Array(randomBytes(32)), CiphertextBlob: new Uint8Array(randomBytes(48)) }));
    await expect(c.seal(contact, 'case-1')).resolves.toEqual(expect.any(String));
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(2);
  });

  it('keeps at most openCacheSize unwrapped keys, dropping the least recently used', async () => {
    let now = 0;
    const writer = new EnvelopeContactCipher(new RawAesDataKeys('k'), { maxAgeMs: 1, maxMessages: 1, openCacheSize: 8 }, () => now++);
    const sealed = [];
    for (let i = 0; i < 5; i++) sealed.push(await writer.seal(contact, `c${i}`)); // five data keys
    let unwraps = 0;
    const keys = new RawAesDataKeys('k');
    const counting = {
      generate: () => keys.generate(),
      unwrap: (w: Buffer) => {
        unwraps++;
        return keys.unwrap(w);
      },
    };
    const reader = new EnvelopeContactCipher(counting, { maxAgeMs: 1000, maxMessages: 10, openCacheSize: 2 });
    for (let i = 0; i < 5; i++) await reader.open(sealed[i]!, `c${i}`);
    expect(reader.openCacheEntries).toBe(2);
    expect(unwraps).toBe(5);
    await reader.open(sealed[4]!, 'c4'); // still cached
    expect(unwraps).toBe(5);
    await reader.open(sealed[0]!, 'c0'); // dropped long ago
    expect(unwraps).toBe(6);
    expect(reader.openCacheEntries).toBe(2);
  });

  it('does not open a value sealed under another local key', async () => {
    const sealed = await devContactCipher('one').seal(contact, 'case-1');
    await expect(devContactCipher('two').open(sealed, 'case-1')).rejects.toBeInstanceOf(SealedContactError);
  });
});

/**
 * ContactCipher by envelope encryption with a cached data key: AES-256-GCM (node:crypto) under a data key that a
 * DataKeySource makes and wraps (KMS in AWS, a raw AES key locally), reused for a bounded time and number of
 * contacts, so sealing costs one KMS call per few minutes instead of one per ticket.
 *
 * Sealed format, version 1 (base64 of the bytes):
 *
 *   0      1 B    version (1)
 *   1      16 B   SHA-256(caseId), first 16 bytes: which case the value belongs to (tells a copy from a forgery)
 *   17     2 B    n, length of the wrapped data key (uint16, big-endian)
 *   19     n B    the wrapped data key (a KMS ciphertext blob, or IV ‖ key ‖ tag under the local key)
 *   19+n   12 B   IV, random per contact
 *   31+n   …      ciphertext of the contact as JSON, UTF-8
 *   end−16 16 B   GCM tag
 *
 * The additional authenticated data is the header (bytes 0 to 19+n) followed by the purpose and the case id, so a
 * value opens only for its own case, and any change to any byte is detected.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Contact } from '../domain/privacy/mask.js';
import { ContactBindingError, SealedContactError, type ContactCipher } from '../ports/contact-cipher.js';

export { ContactBindingError, SealedContactError } from '../ports/contact-cipher.js';

/** Also the encryption context `purpose` of every KMS data key. */
export const CONTACT_PURPOSE = 'hotline-contact';
const VERSION = 1;
const CASE_HASH = 16;
const IV = 12;
const TAG = 16;

/** Makes AES-256 data keys and unwraps them again (KMS GenerateDataKey/Decrypt, or a local raw key). */
export interface DataKeySource {
  generate(): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  unwrap(wrapped: Buffer): Promise<Buffer>;
}

export interface DataKeyLimits {
  /** How long a sealing key is used (ms). */
  readonly maxAgeMs: number;
  /** How many contacts one sealing key seals at most (random 96-bit IVs stay far below the 2^32 GCM bound). */
  readonly maxMessages: number;
  /** How many unwrapped keys `open` keeps (least recently used dropped first). */
  readonly openCacheSize: number;
}

export const DEFAULT_DATA_KEY_LIMITS: DataKeyLimits = { maxAgeMs: 5 * 60_000, maxMessages: 10_000, openCacheSize: 64 };

interface SealingKey {
  readonly key: Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  readonly created: number;
  uses: number;
}

const caseHash = (caseId: string) => createHash('sha256').update(caseId, 'utf8').digest().subarray(0, CASE_HASH);
const aad = (header: Buffer, caseId: string) => Buffer.concat([header, Buffer.from(`${CONTACT_PURPOSE}\0${caseId}`, 'utf8')]);

export class EnvelopeContactCipher implements ContactCipher {
  private sealing: SealingKey | undefined;
  /** Unwrapped data keys by wrapped key (base64); Map keeps insertion order, re-inserted on use: an LRU. */
  private readonly opened = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly keys: DataKeySource,
    private readonly limits: DataKeyLimits = DEFAULT_DATA_KEY_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  async seal(contact: Contact, caseId: string): Promise<string> {
    const { plaintext: key, wrapped } = await this.sealingKey();
    const header = Buffer.alloc(1 + CASE_HASH + 2);
    header.writeUInt8(VERSION, 0);
    caseHash(caseId).copy(header, 1);
    header.writeUInt16BE(wrapped.length, 1 + CASE_HASH);
    const head = Buffer.concat([header, wrapped]);
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(head, caseId));
    const body = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
    return Buffer.concat([head, iv, body, cipher.getAuthTag()]).toString('base64');
  }

  async open(sealed: string, caseId: string): Promise<Contact> {
    const bytes = Buffer.from(sealed, 'base64');
    if (bytes.length < 1 + CASE_HASH + 2 || bytes.readUInt8(0) !== VERSION) throw new SealedContactError('not a sealed contact (unknown format or version)');
    const n = bytes.readUInt16BE(1 + CASE_HASH);
    const headEnd = 1 + CASE_HASH + 2 + n;
    if (bytes.length < headEnd + IV + TAG) throw new SealedContactError('sealed contact is truncated');
    if (!bytes.subarray(1, 1 + CASE_HASH).equals(caseHash(caseId))) throw new ContactBindingError(`sealed contact does not belong to case ${caseId}`);
    const head = bytes.subarray(0, headEnd);
    const key = await this.openingKey(bytes.subarray(1 + CASE_HASH + 2, headEnd));
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(headEnd, headEnd + IV)).setAAD(aad(head, caseId));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
      const json = Buffer.concat([decipher.update(bytes.subarray(headEnd + IV, bytes.length - TAG)), decipher.final()]).toString('utf8');
      return JSON.parse(json) as Contact;
    } catch {
      throw new SealedContactError(`sealed contact of case ${caseId} was altered (authentication failed)`);
    }
  }

  /** The current sealing key, or a new one once it is too old or has sealed enough; concurrent seals share one request. */
  private sealingKey(): Promise<{ plaintext: Buffer; wrapped: Buffer }> {
    const now = this.clock();
    const k = this.sealing;
    if (k && now - k.created < this.limits.maxAgeMs && k.uses < this.limits.maxMessages) {
      k.uses++;
      return k.key;
    }
    const key = this.keys.generate();
    const next: SealingKey = { key, created: now, uses: 1 };
    this.sealing = next;
    // A failed request is not cached: the next seal asks again.
    key.catch(() => {
      if (this.sealing === next) this.sealing = undefined;
    });
    return key;
  }

  private openingKey(wrapped: Buffer): Promise<Buffer> {
    const id = wrapped.toString('base64');
    const hit = this.opened.get(id);
    if (hit) {
      this.opened.delete(id);
      this.opened.set(id, hit);
      return hit;
    }
    const key = this.keys.unwrap(Buffer.from(wrapped));
    this.opened.set(id, key);
    key.catch(() => this.opened.delete(id));
    while (this.opened.size > this.limits.openCacheSize) this.opened.delete(this.opened.keys().next().value!);
    return key;
  }

  /** How many unwrapped keys are cached (for tests of the bound). */
  get openCacheEntries(): number {
    return this.opened.size;
  }
}

/**
 * Local mode and tests: data keys wrapped with AES-256-GCM under a raw key derived from a development secret
 * (`DEV_CONTACT_KEY`), the stand-in for the contact KMS key. Same sealed format as in AWS.
 */
export class RawAesDataKeys implements DataKeySource {
  private readonly master: Buffer;
  constructor(secret: string) {
    this.master = createHash('sha256').update(secret).digest();
  }

  async generate(): Promise<{ plaintext: Buffer; wrapped: Buffer }> {
    const plaintext = randomBytes(32);
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.master, iv).setAAD(Buffer.from(CONTACT_PURPOSE));
    const wrapped = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { plaintext, wrapped };
  }

  async unwrap(wrapped: Buffer): Promise<Buffer> {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.master, wrapped.subarray(0, IV)).setAAD(Buffer.from(CONTACT_PURPOSE));
      decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG));
      return Buffer.concat([decipher.update(wrapped.subarray(IV, wrapped.length - TAG)), decipher.final()]);
    } catch {
      throw new SealedContactError('the data key does not unwrap with this key (another key, or altered)');
    }
  }
}

export const DEFAULT_DEV_CONTACT_KEY = 'hotline-local-contact-key-not-a-secret';
export function devContactCipher(secret: string = process.env['DEV_CONTACT_KEY'] || DEFAULT_DEV_CONTACT_KEY): EnvelopeContactCipher {
  return new EnvelopeContactCipher(new RawAesDataKeys(secret));
}

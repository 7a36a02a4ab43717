/**
 * ContactCipher on the AWS Encryption SDK (envelope encryption, key commitment, encryption context bound to the
 * case). In AWS the keyring is the contact KMS key; locally a raw AES key from the environment stands in for it.
 * Same library, same message format: only the keyring differs.
 */
import { createHash } from 'node:crypto';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
  type KeyringNode,
} from '@aws-crypto/client-node';
import type { Contact } from '../domain/privacy/mask.js';
import type { ContactCipher } from '../ports/contact-cipher.js';
import { ContactBindingError } from '../ports/errors.js';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
// Committing AES-256-GCM without the ECDSA signature: the reader and the writer are the same trusted service,
// and a signature per ticket would cost milliseconds.
const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
const PURPOSE = 'hotline-contact';

export class EncryptionSdkContactCipher implements ContactCipher {
  constructor(private readonly keyring: KeyringNode) {}

  async seal(contact: Contact, caseId: string): Promise<string> {
    const { result } = await encrypt(this.keyring, JSON.stringify(contact), { suiteId: SUITE, encryptionContext: { purpose: PURPOSE, caseId } });
    return result.toString('base64');
  }

  async open(sealed: string, caseId: string): Promise<Contact> {
    const { plaintext, messageHeader } = await decrypt(this.keyring, Buffer.from(sealed, 'base64'));
    const ctx = messageHeader.encryptionContext;
    if (ctx['purpose'] !== PURPOSE || ctx['caseId'] !== caseId) throw new ContactBindingError(`sealed contact does not belong to case ${caseId}`);
    return JSON.parse(plaintext.toString('utf8')) as Contact;
  }
}

/** AWS: envelope encryption under the contact KMS key. */
export const kmsContactCipher = (keyArn: string) => new EncryptionSdkContactCipher(new KmsKeyringNode({ generatorKeyId: keyArn }));

/** Local mode and tests: a raw AES-256 key derived from a development secret (`DEV_CONTACT_KEY`). */
export const DEFAULT_DEV_CONTACT_KEY = 'hotline-local-contact-key-not-a-secret';
export function devContactCipher(secret: string = process.env['DEV_CONTACT_KEY'] || DEFAULT_DEV_CONTACT_KEY): ContactCipher {
  const key = new Uint8Array(createHash('sha256').update(secret).digest());
  return new EncryptionSdkContactCipher(
    new RawAesKeyringNode({ keyName: 'dev-contact-key', keyNamespace: 'hotline-local', unencryptedMasterKey: key, wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING }),
  );
}

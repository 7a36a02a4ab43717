/**
 * Data keys of the contact cipher from the contact KMS key: GenerateDataKey (AES_256) to seal, Decrypt to open, both
 * with the encryption context `purpose=hotline-contact` (logged by CloudTrail, and required by the key grants).
 * Ingest may only generate, the agency API only decrypt (lib/stateless-stack.ts).
 */
import { DecryptCommand, GenerateDataKeyCommand, InvalidCiphertextException, KMSClient } from '@aws-sdk/client-kms';
import { CONTACT_PURPOSE, EnvelopeContactCipher, SealedContactError, type DataKeySource } from '../envelope-contact-cipher.js';

const CONTEXT = { purpose: CONTACT_PURPOSE };

export class KmsDataKeys implements DataKeySource {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyArn: string,
  ) {}

  async generate(): Promise<{ plaintext: Buffer; wrapped: Buffer }> {
    const out = await this.kms.send(new GenerateDataKeyCommand({ KeyId: this.keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT }));
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
    return { plaintext: Buffer.from(out.Plaintext), wrapped: Buffer.from(out.CiphertextBlob) };
  }

  async unwrap(wrapped: Buffer): Promise<Buffer> {
    try {
      // KeyId pins the contact key: a blob wrapped under any other key is refused.
      const out = await this.kms.send(new DecryptCommand({ KeyId: this.keyArn, CiphertextBlob: wrapped, EncryptionContext: CONTEXT }));
      if (!out.Plaintext) throw new Error('KMS Decrypt returned no key');
      return Buffer.from(out.Plaintext);
    } catch (e) {
      if (e instanceof InvalidCiphertextException)
        throw new SealedContactError('the data key does not decrypt under the contact key (altered, or another context)');
      throw e;
    }
  }
}

/** AWS: contacts sealed under data keys of the contact KMS key. */
export const kmsContactCipher = (keyArn: string, kms: KMSClient = new KMSClient({})) => new EnvelopeContactCipher(new KmsDataKeys(kms, keyArn));

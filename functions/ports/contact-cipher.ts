import type { Contact } from '../domain/privacy/mask.js';

/**
 * Field-level encryption of a caller's contact details (product.md §8, PIPL): sealed when the ticket is accepted,
 * opened only to show the owning agency. Bound to the case id, so a sealed value copied onto another case does
 * not open.
 */
export interface ContactCipher {
  seal(contact: Contact, caseId: string): Promise<string>;
  /** Throws ContactBindingError for a value sealed for another case, SealedContactError for an altered or unreadable one. */
  open(sealed: string, caseId: string): Promise<Contact>;
}

/** The sealed contact belongs to another case. */
export class ContactBindingError extends Error {
  override readonly name = 'ContactBindingError';
}

/** The sealed contact is not in a known format, or was altered (authentication failed). */
export class SealedContactError extends Error {
  override readonly name = 'SealedContactError';
}

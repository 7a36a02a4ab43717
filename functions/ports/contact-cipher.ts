import type { Contact } from '../domain/privacy/mask.js';

/**
 * Field-level encryption of a caller's contact details (product.md §8, PIPL): sealed when the ticket is accepted,
 * opened only to show the owning agency. Bound to the case id, so a sealed value copied onto another case does
 * not open.
 */
export interface ContactCipher {
  seal(contact: Contact, caseId: string): Promise<string>;
  open(sealed: string, caseId: string): Promise<Contact>;
}

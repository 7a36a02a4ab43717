/** Typed failures at the I/O edge; handlers map them to HTTP statuses or batch retries. */

/** Another writer changed the case first (optimistic concurrency on `version`). */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly caseId: string,
    readonly expectedVersion: number,
  ) {
    super(`case ${caseId} is no longer at version ${expectedVersion}`);
  }
}

/** Some events could not be published after every retry; the caller must fail so the work is redone. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(readonly failed: { type: string; eventId: string; code: string }[]) {
    super(`${failed.length} event(s) not published: ${[...new Set(failed.map((f) => f.code))].join(', ')}`);
  }
}

/** Some messages could not be enqueued after every retry. */
export class EnqueueError extends Error {
  override readonly name = 'EnqueueError';
  constructor(
    readonly failedIds: string[],
    readonly code: string,
  ) {
    super(`${failedIds.length} message(s) not enqueued: ${code}`);
  }
}

/** A backing service is down or throttling beyond our retries: the request may be repeated later. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
}

/**
 * Transactions kept colliding with other writers' transactions on the same items (DynamoDB's `TransactionConflict`)
 * beyond the store's own retries. Nothing of the change was written, so a caller that decides from stored state may
 * read and decide again (the other writers may have changed what it read); anyone else treats it as a 503.
 */
export class ContentionError extends ServiceUnavailableError {}

/** The case store was given a plaintext contact: personal data is stored only sealed (ContactCipher). A wiring bug. */
export class UnsealedContactError extends Error {
  override readonly name = 'UnsealedContactError';
}

/** A list cursor that did not come from this list (another agency's queue, another status) or is malformed. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** A sealed contact opened under another case's id: the encryption context binds each value to its case. */
export class ContactBindingError extends Error {
  override readonly name = 'ContactBindingError';
}

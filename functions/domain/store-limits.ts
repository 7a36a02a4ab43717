/**
 * What a stored record can hold, declared once. The records live in DynamoDB (DynamoDB Local in local mode), so its
 * limits are the product's: a value the schemas admit must fit them, or a request the API accepted would fail in the
 * store with a 500. Plain data, no AWS import: the schemas (domain, HTTP edge) bound their input with it.
 */
export const STORE_LIMITS = {
  /** The smallest non-zero magnitude of a number (1E-130); smaller ones underflow. */
  minMagnitude: 1e-130,
  /** Numbers are below this magnitude (9.99…E+125 is the largest). */
  maxMagnitude: 1e126,
  /** Significant digits of a number; a JavaScript number written out has at most 17, so this never binds. */
  maxDigits: 38,
  /** UTF-8 bytes of a partition key value. */
  partitionKeyBytes: 2048,
  /** UTF-8 bytes of a sort key value. */
  sortKeyBytes: 1024,
  /** Bytes of one item (names and values). */
  itemBytes: 400 * 1024,
  /**
   * The most a case record may weigh as JSON before an action is refused: its history only grows (endless 退单 and
   * 分拨 cycles), and a record past `itemBytes` could never be saved again. A quarter is left for the sealed contact,
   * index keys and attribute overhead.
   */
  caseRecordBytes: 300 * 1024,
} as const;

/** True for a finite number the store can hold: 0, or a magnitude in [1E-130, 1E126). */
export const isStorableNumber = (n: number): boolean =>
  n === 0 || (Number.isFinite(n) && Math.abs(n) >= STORE_LIMITS.minMagnitude && Math.abs(n) < STORE_LIMITS.maxMagnitude);

export const STORABLE_NUMBER_MESSAGE = `must be 0 or between ${STORE_LIMITS.minMagnitude} and ${STORE_LIMITS.maxMagnitude} in magnitude`;

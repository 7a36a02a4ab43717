/** A failure that has a definite HTTP answer; the body is the contract's `{"error", ...}` object. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly body: { error: string } & Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${statusCode} ${body.error}`);
  }
}

export interface ValidationDetail {
  index: number | null;
  path: string;
  message: string;
}

export const validationFailed = (details: ValidationDetail[]) => new HttpError(400, { error: 'validation_failed', details });

/**
 * A small typed error hierarchy. Codes mirror the ones Amazon Rekognition users already know
 * (`InvalidImageFormat`, `ImageTooLarge`, `InvalidParameter`, `VideoTooLarge`, ...).
 * Only errors with a status below 500 have messages safe to show to a caller.
 */
export type FerErrorCode =
  | 'EmptyInput'
  | 'InvalidImageFormat'
  | 'InvalidVideoFormat'
  | 'UnsupportedMediaType'
  | 'ImageTooLarge'
  | 'VideoTooLarge'
  | 'PayloadTooLarge'
  | 'InvalidParameter'
  | 'NotFound'
  | 'Conflict'
  | 'InternalError';

export class FerError extends Error {
  override readonly name: string = 'FerError';
  readonly code: FerErrorCode;
  readonly statusCode: number;

  constructor(code: FerErrorCode, message: string, statusCode: number, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.statusCode = statusCode;
  }

  /** True when the message may be shown to an API caller. */
  get expose(): boolean {
    return this.statusCode < 500;
  }

}

/** The input itself is unusable: empty, corrupt, of a format we do not read. */
export class InvalidMediaError extends FerError {
  override readonly name = 'InvalidMediaError';
  constructor(
    code: 'EmptyInput' | 'InvalidImageFormat' | 'InvalidVideoFormat' | 'UnsupportedMediaType',
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, code === 'UnsupportedMediaType' ? 415 : 422, options);
  }
}

/** The input is past one of the configured caps (pixels, bytes, duration, frames). */
export class MediaTooLargeError extends FerError {
  override readonly name = 'MediaTooLargeError';
  constructor(code: 'ImageTooLarge' | 'VideoTooLarge' | 'PayloadTooLarge', message: string, options?: ErrorOptions) {
    super(code, message, 413, options);
  }
}

export class InvalidParameterError extends FerError {
  override readonly name = 'InvalidParameterError';
  constructor(message: string, options?: ErrorOptions) {
    super('InvalidParameter', message, 400, options);
  }
}

export class NotFoundError extends FerError {
  override readonly name = 'NotFoundError';
  constructor(message: string, options?: ErrorOptions) {
    super('NotFound', message, 404, options);
  }
}

/** Wraps anything that is not a FerError so callers always see a code; the message stays internal. */
export function toFerError(error: unknown): FerError {
  if (error instanceof FerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FerError('InternalError', message, 500, { cause: error });
}

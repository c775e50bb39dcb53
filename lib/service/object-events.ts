/**
 * The ways an object reaches analysis, all turned into one list of `{bucket, key, etag}`:
 *  - S3 event notifications (`Records[].s3`, keys URL-encoded with `+` for spaces, many records per event);
 *  - EventBridge "Object Created" events from S3 (`detail.bucket.name`, `detail.object.key`, not encoded);
 *  - a direct invoke `{ "bucket": "...", "key": "..." }` from another service.
 */
import { InvalidParameterError } from '../engine/errors.js';

export interface ObjectRef {
  bucket: string;
  key: string;
  /** The object version's ETag when the event carries it; identifies one upload for idempotency. */
  etag?: string;
  size?: number;
}

/** S3 event keys are URL-encoded form style: `+` is a space, `%2B` a plus. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The inverse: a key as an S3 notification carries it (for events built locally, e.g. from s3rver's). */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function parseObjectEvent(event: unknown): ObjectRef[] {
  if (!isRecord(event)) throw new InvalidParameterError('the event must be an object');
  if (Array.isArray(event.Records)) {
    return event.Records.map((record, i) => {
      const s3 = isRecord(record) && isRecord(record.s3) ? record.s3 : undefined;
      const bucket = s3 && isRecord(s3.bucket) ? s3.bucket.name : undefined;
      const object = s3 && isRecord(s3.object) ? s3.object : undefined;
      if (typeof bucket !== 'string' || !object || typeof object.key !== 'string') {
        throw new InvalidParameterError(`Records[${i}] is not an S3 event record`);
      }
      return {
        bucket,
        key: decodeS3Key(object.key),
        etag: typeof object.eTag === 'string' ? object.eTag : undefined,
        size: typeof object.size === 'number' ? object.size : undefined,
      };
    });
  }
  if (event.source === 'aws.s3' && isRecord(event.detail)) {
    const { bucket, object } = event.detail;
    if (!isRecord(bucket) || typeof bucket.name !== 'string' || !isRecord(object) || typeof object.key !== 'string') {
      throw new InvalidParameterError('the EventBridge event has no detail.bucket.name / detail.object.key');
    }
    return [{ bucket: bucket.name, key: object.key, etag: typeof object.etag === 'string' ? object.etag : undefined, size: typeof object.size === 'number' ? object.size : undefined }];
  }
  if (typeof event.bucket === 'string' && typeof event.key === 'string' && event.bucket && event.key) {
    return [{ bucket: event.bucket, key: event.key }];
  }
  throw new InvalidParameterError('expected an S3 notification, an EventBridge S3 "Object Created" event, or {"bucket", "key"}');
}

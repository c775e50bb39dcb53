import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FerError } from '../../lib/engine/errors.js';
import { decodeS3Key, encodeS3Key, parseObjectEvent } from '../../lib/service/object-events.js';
import { kindOfKey, mediaIdForObject, uploadKey } from '../../lib/service/routing.js';
import { s3Event } from '../helpers/cloud.js';

describe('S3 event keys', () => {
  it('decode back to the key that was uploaded, whatever its characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), (key) => {
        const [ref] = parseObjectEvent(s3Event('bucket', [{ key, etag: 'e', size: 1 }]));
        expect(ref.key).toBe(key);
      }),
      { numRuns: 500 },
    );
  });

  it('read "+" as a space and "%2B" as a plus, as S3 encodes them', () => {
    expect(decodeS3Key('uploads/my+photo%2B1.jpg')).toBe('uploads/my photo+1.jpg');
    expect(encodeS3Key('uploads/my photo+1.jpg')).toBe('uploads/my+photo%2B1.jpg');
  });
});

describe('parseObjectEvent on untrusted input', () => {
  it('returns object references or throws an InvalidParameter error, nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          for (const ref of parseObjectEvent(value)) expect(typeof ref.key).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(FerError);
          expect((error as FerError).code).toBe('InvalidParameter');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the three shapes other services use', () => {
    expect(parseObjectEvent({ bucket: 'b', key: 'uploads/a b.jpg' })).toEqual([{ bucket: 'b', key: 'uploads/a b.jpg' }]);
    expect(parseObjectEvent({ source: 'aws.s3', detail: { bucket: { name: 'b' }, object: { key: 'uploads/a b.jpg', etag: 'x', size: 3 } } })).toEqual([
      { bucket: 'b', key: 'uploads/a b.jpg', etag: 'x', size: 3 },
    ]);
    expect(parseObjectEvent(s3Event('b', [{ key: 'uploads/a b.jpg', etag: 'x', size: 3 }]))).toEqual([{ bucket: 'b', key: 'uploads/a b.jpg', etag: 'x', size: 3 }]);
  });
});

describe('routing', () => {
  it('keeps an upload key to the media id and harmless characters', () => {
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), fc.string({ maxLength: 300 }), (mediaId, filename) => {
        const key = uploadKey(mediaId, filename, '.jpg');
        expect(key).toMatch(new RegExp(`^uploads/${mediaId}/[A-Za-z0-9._ -]+\\.jpg$`));
        expect(key).not.toContain('..' + '/');
        expect(mediaIdForObject('any', key)).toBe(mediaId);
        expect(kindOfKey(key)).toBe('image');
      }),
    );
  });

  it('derives the same id for the same object, and different ids for different ones', () => {
    expect(mediaIdForObject('b', 'uploads/x/photo.jpg')).toBe(mediaIdForObject('b', 'uploads/x/photo.jpg'));
    expect(mediaIdForObject('b', 'uploads/x/photo.jpg')).not.toBe(mediaIdForObject('b', 'uploads/y/photo.jpg'));
  });
});

/**
 * Where objects go: uploads live under `uploads/<mediaId>/<filename>`; the sampled frames of a video under
 * `frames/<mediaId>/<index>.jpg` (expired by a lifecycle rule). The suffix lists decide which function an
 * upload notification reaches, in AWS (CDK) and in `fer serve` alike.
 */
import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { InvalidMediaError, InvalidParameterError } from '../engine/errors.js';

export const UPLOAD_PREFIX = 'uploads/';
export const FRAME_PREFIX = 'frames/';

export const IMAGE_TYPES = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.bmp': 'image/bmp' } as const;
export const VIDEO_TYPES = { '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.avi': 'video/x-msvideo', '.mkv': 'video/x-matroska' } as const;
export const IMAGE_SUFFIXES = Object.keys(IMAGE_TYPES);
export const VIDEO_SUFFIXES = Object.keys(VIDEO_TYPES);

export type MediaKind = 'image' | 'video';

/** image or video by the key's suffix (lower-cased), as the S3 notification filters route them. */
export function kindOfKey(key: string): MediaKind | undefined {
  const suffix = extname(key).toLowerCase();
  if (suffix in IMAGE_TYPES) return 'image';
  if (suffix in VIDEO_TYPES) return 'video';
  return undefined;
}

/** The extension to store an upload of this content type under. */
export function extensionFor(contentType: string): { extension: string; kind: MediaKind } {
  const type = contentType.split(';')[0].trim().toLowerCase();
  for (const [extension, mime] of Object.entries(IMAGE_TYPES)) if (mime === type) return { extension, kind: 'image' };
  for (const [extension, mime] of Object.entries(VIDEO_TYPES)) if (mime === type) return { extension, kind: 'video' };
  throw new InvalidMediaError('UnsupportedMediaType', `content type ${JSON.stringify(contentType)} is not supported; use one of ${[...new Set([...Object.values(IMAGE_TYPES), ...Object.values(VIDEO_TYPES)])].join(', ')}`);
}

const MEDIA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isMediaId(value: string): boolean {
  return MEDIA_ID.test(value);
}

export function newMediaId(): string {
  return randomUUID();
}

/**
 * The media id of an object: the `<mediaId>` segment of `uploads/<mediaId>/...` keys made by POST /v1/media,
 * otherwise a stable id derived from bucket and key, so the same object always maps to the same record.
 */
export function mediaIdForObject(bucket: string, key: string): string {
  const segment = key.startsWith(UPLOAD_PREFIX) ? key.slice(UPLOAD_PREFIX.length).split('/')[0] : '';
  if (isMediaId(segment)) return segment;
  const hex = createHash('sha256').update(`${bucket}/${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A safe object key for an upload: the id, then the file's name reduced to harmless characters. */
export function uploadKey(mediaId: string, filename: string, extension: string): string {
  const stem = filename
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9._ -]+/g, '_')
    .trim()
    .slice(0, 100);
  if (!isMediaId(mediaId)) throw new InvalidParameterError('bad media id');
  return `${UPLOAD_PREFIX}${mediaId}/${stem || 'upload'}${extension}`;
}

export function frameKey(mediaId: string, index: number): string {
  return `${FRAME_PREFIX}${mediaId}/${String(index).padStart(6, '0')}.jpg`;
}

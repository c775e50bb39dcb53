/**
 * The HTTP API (API Gateway HTTP API, payload v2):
 *
 *   POST /v1/analyze                    image bytes → the result schema, synchronously
 *   POST /v1/media                      {filename, contentType, size?} → {mediaId, uploadUrl, expiresAt, ...}
 *   GET  /v1/media?status=&limit=       recent media, newest first
 *   GET  /v1/media/{mediaId}            {mediaId, status, result?, error?}
 *   GET  /v1/media/{mediaId}/frames     ?limit&cursor → a page of a video's frame results
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { InvalidMediaError, InvalidParameterError, MediaTooLargeError, NotFoundError } from '../engine/errors.js';
import { sniffMedia } from '../engine/media.js';
import { jsonResponse } from './middleware.js';
import { MEDIA_STATUSES, type MediaRecord, type MediaStatus } from './media-store.js';
import { extensionFor, isMediaId, newMediaId, uploadKey } from './routing.js';
import type { Services } from './services.js';

/**
 * Lambda refuses synchronous payloads over 6 MB, and API Gateway sends binary bodies base64-encoded (4/3 larger):
 * images up to 4 MiB fit; larger ones go through POST /v1/media.
 */
export const MAX_SYNC_IMAGE_BYTES = 4 * 1024 * 1024;
export const UPLOAD_URL_TTL_SECONDS = 900;

type Route = (event: APIGatewayProxyEventV2, services: Services, params: Record<string, string>) => Promise<APIGatewayProxyStructuredResultV2>;

const ROUTES: { method: string; pattern: RegExp; route: Route }[] = [
  { method: 'POST', pattern: /^\/v1\/analyze$/, route: analyze },
  { method: 'POST', pattern: /^\/v1\/media$/, route: createMedia },
  { method: 'GET', pattern: /^\/v1\/media$/, route: listMedia },
  { method: 'GET', pattern: /^\/v1\/media\/(?<mediaId>[^/]+)$/, route: getMedia },
  { method: 'GET', pattern: /^\/v1\/media\/(?<mediaId>[^/]+)\/frames$/, route: getFrames },
];

export async function routeApi(event: APIGatewayProxyEventV2, services: Services): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  for (const { method: wanted, pattern, route } of ROUTES) {
    const match = pattern.exec(path);
    if (match && method === wanted) return route(event, services, match.groups ?? {});
  }
  throw new NotFoundError(`no route for ${method} ${path}`);
}

function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

function jsonBody(event: APIGatewayProxyEventV2): Record<string, unknown> {
  try {
    const value = JSON.parse(bodyBytes(event).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch (error) {
    throw new InvalidParameterError('the body must be a JSON object', { cause: error });
  }
}

async function analyze(event: APIGatewayProxyEventV2, { pipeline }: Services) {
  const declared = Number(event.headers?.['content-length'] ?? 0);
  const encodedLength = event.body?.length ?? 0;
  if (declared > MAX_SYNC_IMAGE_BYTES || (event.isBase64Encoded ? (encodedLength * 3) / 4 : encodedLength) > MAX_SYNC_IMAGE_BYTES) {
    throw new MediaTooLargeError('PayloadTooLarge', `synchronous analysis takes images up to ${MAX_SYNC_IMAGE_BYTES / 2 ** 20} MiB; upload larger files with POST /v1/media`);
  }
  const bytes = bodyBytes(event);
  const sniffed = sniffMedia(bytes);
  if (sniffed.kind === 'video') {
    throw new InvalidMediaError('UnsupportedMediaType', 'videos are analysed asynchronously: create an upload with POST /v1/media');
  }
  const { mediaId, result } = await pipeline.analyzeSync(bytes, 'api');
  return jsonResponse(200, { mediaId, ...result });
}

async function createMedia(event: APIGatewayProxyEventV2, { s3, store, config }: Services) {
  const { filename, contentType, size } = jsonBody(event);
  if (typeof filename !== 'string' || filename.trim() === '' || filename.length > 255) {
    throw new InvalidParameterError('filename must be a non-empty string of at most 255 characters');
  }
  if (typeof contentType !== 'string') throw new InvalidParameterError('contentType must be a string such as "image/jpeg" or "video/mp4"');
  // An empty file is accepted here so that it ends as FAILED (EmptyInput) like every other bad upload.
  if (size !== undefined && (!Number.isInteger(size) || (size as number) < 0)) throw new InvalidParameterError('size must be a non-negative integer (bytes)');
  if (typeof size === 'number' && size > config.maxUploadBytes) {
    throw new MediaTooLargeError('PayloadTooLarge', `uploads are limited to ${config.maxUploadBytes} bytes`);
  }
  const { extension, kind } = extensionFor(contentType);
  const mediaId = newMediaId();
  const key = uploadKey(mediaId, filename, extension);
  await store.createPending({ mediaId, bucket: config.bucketName, key, filename, contentType, mediaType: kind });
  // With a declared size, Content-Length is part of the signature: S3 refuses a body of any other size.
  const command = new PutObjectCommand({ Bucket: config.bucketName, Key: key, ContentType: contentType, ContentLength: size as number | undefined });
  const uploadUrl = await getSignedUrl(s3, command, {
    expiresIn: UPLOAD_URL_TTL_SECONDS,
    signableHeaders: new Set(size === undefined ? ['content-type'] : ['content-type', 'content-length']),
  });
  const expiresAt = new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString();
  return jsonResponse(201, { mediaId, uploadUrl, expiresAt, method: 'PUT', headers: { 'content-type': contentType }, key, maxBytes: config.maxUploadBytes });
}

/** What a client sees of a medium: no table keys, leases or bookkeeping. */
export function publicMedia(record: MediaRecord) {
  const { mediaId, status, mediaType, filename, contentType, createdAt, updatedAt, result, error, totalFrames, framesDone } = record;
  return {
    mediaId,
    status,
    mediaType,
    filename,
    contentType,
    createdAt,
    updatedAt,
    ...(mediaType === 'video' && totalFrames !== undefined ? { progress: { framesDone: framesDone ?? 0, totalFrames } } : {}),
    ...(result ? { result } : {}),
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
  };
}

async function recordOf(store: Services['store'], mediaId: string): Promise<MediaRecord> {
  if (!isMediaId(mediaId)) throw new NotFoundError(`no media ${JSON.stringify(mediaId)}`);
  const record = await store.get(mediaId);
  if (!record) throw new NotFoundError(`no media ${mediaId}`);
  return record;
}

async function getMedia(_event: APIGatewayProxyEventV2, { store }: Services, { mediaId }: Record<string, string>) {
  return jsonResponse(200, publicMedia(await recordOf(store, mediaId)));
}

function intParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw new InvalidParameterError(`${name} must be an integer from 1 to ${max}`);
  return number;
}

async function listMedia(event: APIGatewayProxyEventV2, { store }: Services) {
  const limit = intParam(event.queryStringParameters?.limit, 'limit', 20, 100);
  const status = event.queryStringParameters?.status;
  if (status !== undefined && !MEDIA_STATUSES.includes(status as MediaStatus)) {
    throw new InvalidParameterError(`status must be one of ${MEDIA_STATUSES.join(', ')}`);
  }
  const statuses = status ? [status as MediaStatus] : MEDIA_STATUSES;
  const records = (await Promise.all(statuses.map((s) => store.byStatus(s, limit)))).flat();
  records.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return jsonResponse(200, { media: records.slice(0, limit).map(publicMedia) });
}

async function getFrames(event: APIGatewayProxyEventV2, { store }: Services, { mediaId }: Record<string, string>) {
  const record = await recordOf(store, mediaId);
  if (record.mediaType !== 'video') throw new InvalidParameterError(`media ${mediaId} is not a video`);
  const limit = intParam(event.queryStringParameters?.limit, 'limit', 50, 500);
  const cursor = event.queryStringParameters?.cursor;
  let startKey: Record<string, unknown> | undefined;
  if (cursor) {
    const decoded = /^frame:(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!decoded) throw new InvalidParameterError('cursor is not one this API returned');
    const index = Number(decoded[1]);
    startKey = { pk: `MEDIA#${mediaId}`, sk: `FRAME#${String(index).padStart(6, '0')}` };
  }
  const page = await store.frames(mediaId, limit, startKey);
  const last = page.frames.at(-1);
  const nextCursor = page.lastKey && last ? Buffer.from(`frame:${last.index}`).toString('base64url') : undefined;
  return jsonResponse(200, {
    mediaId,
    frames: page.frames.map(({ index, timestampMs, faces }) => ({ index, timestampMs, faces })),
    ...(nextCursor ? { nextCursor } : {}),
  });
}

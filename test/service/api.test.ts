import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as api } from '../../functions/api.js';
import { handler as frameWorker } from '../../functions/frame-worker.js';
import { handler as imageUpload } from '../../functions/image-upload.js';
import { handler as videoSplit } from '../../functions/video-split.js';
import { badInputs, readSample } from '../helpers/fixtures.js';
import { httpEvent, lambdaContext, s3Event, sqsEvents, startTestCloud, upload, type TestCloud } from '../helpers/cloud.js';

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud({ MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) });
});
afterAll(() => cloud.close());

async function call(method: string, path: string, options: Parameters<typeof httpEvent>[2] = {}) {
  const response = (await api(httpEvent(method, path, options), lambdaContext())) as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode ?? 200, headers: response.headers, body: JSON.parse(response.body as string) };
}

function expectError(response: { status: number; body: unknown }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
}

describe('POST /v1/analyze', () => {
  it('returns the result schema for an image and records it', async () => {
    const response = await call('POST', '/v1/analyze', { body: readSample('two_people.jpg'), headers: { 'content-type': 'image/jpeg' } });

    expect(response.status).toBe(200);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(response.body).toMatchObject({ mediaType: 'image', width: 1126, height: 661, model: { profile: 'fast' } });
    expect(response.body.faces).toHaveLength(2);
    const stored = await call('GET', `/v1/media/${response.body.mediaId}`);
    expect(stored.body).toMatchObject({ mediaId: response.body.mediaId, status: 'COMPLETED', result: { faces: response.body.faces } });
  });

  it('refuses a body over the synchronous limit with 413 PayloadTooLarge', async () => {
    expectError(await call('POST', '/v1/analyze', { body: Buffer.alloc(5 * 1024 * 1024, 1) }), 413, 'PayloadTooLarge');
  });

  it('sends videos to the asynchronous path with 415', async () => {
    expectError(await call('POST', '/v1/analyze', { body: readSample('clip.mp4') }), 415, 'UnsupportedMediaType');
  });

  it.each(badInputs().filter((b) => !b.file.endsWith('.mp4')))('answers $name with $code', async ({ bytes, code }) => {
    const status = { EmptyInput: 422, InvalidImageFormat: 422, UnsupportedMediaType: 415, ImageTooLarge: 413 }[code];

    expectError(await call('POST', '/v1/analyze', { body: bytes }), status!, code);
  });
});

describe('POST /v1/media and the upload', () => {
  it('returns a presigned PUT that uploads straight into the bucket, and the upload event completes the medium', async () => {
    const photo = readSample('justin.jpg');
    const created = await call('POST', '/v1/media', { body: JSON.stringify({ filename: 'my photo.jpg', contentType: 'image/jpeg', size: photo.length }) });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mediaId: expect.any(String), uploadUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//), method: 'PUT' });
    expect(Date.parse(created.body.expiresAt)).toBeGreaterThan(Date.now());
    expect((await call('GET', `/v1/media/${created.body.mediaId}`)).body).toMatchObject({ status: 'PENDING', mediaType: 'image', filename: 'my photo.jpg' });

    const put = await fetch(created.body.uploadUrl, { method: 'PUT', body: new Uint8Array(photo), headers: { 'content-type': 'image/jpeg' } });
    expect(put.status).toBe(200);
    const etag = put.headers.get('etag')!.replace(/"/g, '');
    await imageUpload(s3Event(cloud.emulators.bucket, [{ key: created.body.key, etag, size: photo.length }]), lambdaContext());

    const done = await call('GET', `/v1/media/${created.body.mediaId}`);
    expect(done.body).toMatchObject({ mediaId: created.body.mediaId, status: 'COMPLETED', result: { width: 381, height: 384 } });
    expect(done.body).not.toHaveProperty('jobId');
    expect(done.body).not.toHaveProperty('pk');
  });

  it.each([
    ['a body that is not JSON', 'filename=x', 400, 'InvalidParameter'],
    ['a missing filename', JSON.stringify({ contentType: 'image/jpeg' }), 400, 'InvalidParameter'],
    ['an unsupported content type', JSON.stringify({ filename: 'a.gif', contentType: 'image/gif' }), 415, 'UnsupportedMediaType'],
    ['a size over the upload limit', JSON.stringify({ filename: 'a.mp4', contentType: 'video/mp4', size: 3 * 1024 * 1024 }), 413, 'PayloadTooLarge'],
    ['a size that is not a non-negative integer', JSON.stringify({ filename: 'a.mp4', contentType: 'video/mp4', size: -1 }), 400, 'InvalidParameter'],
  ])('refuses %s', async (_name, body, status, code) => {
    expectError(await call('POST', '/v1/media', { body }), status, code);
  });
});

describe('GET /v1/media', () => {
  it('answers 404 for an unknown or malformed id', async () => {
    expectError(await call('GET', `/v1/media/${randomUUID()}`), 404, 'NotFound');
    expectError(await call('GET', '/v1/media/..%2Fetc'), 404, 'NotFound');
  });

  it('lists recent media by status', async () => {
    const { body: analysed } = await call('POST', '/v1/analyze', { body: readSample('obama.jpg') });

    const list = await call('GET', '/v1/media', { query: { status: 'COMPLETED', limit: '50' } });

    expect(list.status).toBe(200);
    expect(list.body.media.map((m: { mediaId: string }) => m.mediaId)).toContain(analysed.mediaId);
    expect(list.body.media.every((m: { status: string }) => m.status === 'COMPLETED')).toBe(true);
    expectError(await call('GET', '/v1/media', { query: { status: 'DONE' } }), 400, 'InvalidParameter');
  });

  it('pages through the frames of a video with a cursor', async () => {
    cloud.resetMocks();
    const object = await upload(`uploads/${randomUUID()}/clip.mp4`, readSample('clip.mp4'));
    await videoSplit(s3Event(cloud.emulators.bucket, [object]), lambdaContext());
    const bodies = cloud.sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody!));
    for (const batch of sqsEvents(bodies)) await frameWorker(batch, lambdaContext());
    const mediaId = object.key.split('/')[1];

    const indexes: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call('GET', `/v1/media/${mediaId}/frames`, { query: { limit: '4', ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      indexes.push(...page.body.frames.map((f: { index: number }) => f.index));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);

    expect(indexes).toEqual([...Array(15).keys()]);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect((await call('GET', `/v1/media/${mediaId}`)).body).toMatchObject({ status: 'COMPLETED', progress: { framesDone: 15, totalFrames: 15 } });
    expectError(await call('GET', `/v1/media/${mediaId}/frames`, { query: { cursor: '!!' } }), 400, 'InvalidParameter');
    expectError(await call('GET', `/v1/media/${mediaId}/frames`, { query: { limit: '0' } }), 400, 'InvalidParameter');
  });
});

describe('errors', () => {
  it('answers an unknown route with a JSON 404', async () => {
    expectError(await call('DELETE', '/v1/media'), 404, 'NotFound');
  });
});

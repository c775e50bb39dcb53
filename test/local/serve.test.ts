import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../lib/local/server.js';
import { mediaIdForObject } from '../../lib/service/routing.js';
import { fer } from '../helpers/cli.js';
import { badInputs, readSample, sample, tempDir } from '../helpers/fixtures.js';
import { api, startServe, waitFor, type RunningServer } from '../helpers/serve.js';

const finished = (media: { status: string }) => media.status === 'COMPLETED' || media.status === 'FAILED';

function sdkClient(server: RunningServer): S3Client {
  return new S3Client({
    endpoint: server.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function uploadThroughApi(server: RunningServer, filename: string, contentType: string, bytes: Buffer) {
  const created = await api(server, 'POST', '/v1/media', { filename, contentType, size: bytes.length });
  expect(created.status).toBe(201);
  const put = await fetch(created.body.uploadUrl, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': contentType } });
  expect(put.status).toBe(200);
  return created.body.mediaId as string;
}

describe('fer serve', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServe(tempDir('fer-serve-'));
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('analyses a photo uploaded through POST /v1/media and its presigned PUT', async () => {
    const mediaId = await uploadThroughApi(server, 'two people.jpg', 'image/jpeg', readSample('two_people.jpg'));

    const media = await waitFor(server, mediaId, finished);

    expect(media).toMatchObject({ status: 'COMPLETED', mediaType: 'image', result: { width: 1126, height: 661 } });
    expect(media.result.faces).toHaveLength(2);
  });

  it('analyses a video put into the bucket with a plain SDK PutObject', async () => {
    const key = 'uploads/from-the-sdk/clip.mp4';
    await sdkClient(server).send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: readSample('clip.mp4'), ContentType: 'video/mp4' }));

    const media = await waitFor(server, mediaIdForObject(LOCAL_BUCKET, key), finished);

    expect(media).toMatchObject({ status: 'COMPLETED', mediaType: 'video', progress: { framesDone: 15, totalFrames: 15 } });
    expect(media.result.summary).toMatchObject({ framesAnalyzed: 15, framesWithFaces: 10 });
    const frames = await api(server, 'GET', `/v1/media/${media.mediaId}/frames?limit=100`);
    expect(frames.body.frames.map((f: { index: number }) => f.index)).toEqual([...Array(15).keys()]);
  });

  it.each(badInputs())('ends $name uploaded through the API as FAILED with $code, and keeps serving', async ({ file, bytes, code }) => {
    const contentType = file.endsWith('.mp4') ? 'video/mp4' : file.endsWith('.png') ? 'image/png' : 'image/jpeg';
    const mediaId = await uploadThroughApi(server, file, contentType, bytes.length ? bytes : Buffer.alloc(0));

    const media = await waitFor(server, mediaId, finished);

    expect(media).toMatchObject({ status: 'FAILED', error: { code } });
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });

  it('answers synchronous analysis and API errors over HTTP', async () => {
    const analysed = await fetch(`${server.url}/v1/analyze`, { method: 'POST', body: new Uint8Array(readSample('obama.jpg')), headers: { 'content-type': 'image/jpeg' } });
    const tooBig = await fetch(`${server.url}/v1/analyze`, { method: 'POST', body: new Uint8Array(7 * 1024 * 1024), headers: { 'content-type': 'image/jpeg' } });

    expect(analysed.status).toBe(200);
    expect((await analysed.json()).faces).toHaveLength(1);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toEqual({ error: { code: 'PayloadTooLarge', message: expect.any(String) } });
  });
});

describe('fer serve on a port in use', () => {
  it.each([
    ['--port', 'the page and API'],
    ['--s3-port', 'S3'],
    ['--dynamodb-port', 'DynamoDB'],
  ])('names the %s that is taken and exits 1 instead of crashing or lingering', async (option, what) => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = String((blocker.address() as AddressInfo).port);
    try {
      const ports = { '--port': '0', '--s3-port': '0', '--dynamodb-port': '0', [option]: taken };

      const run = await fer(['serve', '--data', tempDir(), ...Object.entries(ports).flat()]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`port ${taken} (${what}) is already in use on 127.0.0.1: choose another with ${option}`);
    } finally {
      blocker.close();
    }
  });
});

describe('fer serve, stopped in the middle of a video', () => {
  it('finishes the video after a restart, counting every frame once', async () => {
    const dataDir = tempDir('fer-restart-');
    const long = join(tempDir(), 'long.mp4');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-stream_loop', '5', '-i', sample('clip.mp4'), '-c', 'copy', long]);
    const key = 'uploads/restart/long.mp4';
    const mediaId = mediaIdForObject(LOCAL_BUCKET, key);
    const first = await startServe(dataDir);
    await sdkClient(first).send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: readFileSync(long) }));

    const midway = await waitFor(first, mediaId, (m) => (m.progress?.framesDone ?? 0) >= 5);
    await first.stop('SIGKILL');
    expect(midway.status).toBe('PROCESSING');
    expect(midway.progress.framesDone).toBeLessThan(midway.progress.totalFrames);

    const second = await startServe(dataDir);
    try {
      const media = await waitFor(second, mediaId, finished, 120_000);

      expect(media).toMatchObject({ status: 'COMPLETED', progress: { framesDone: 90, totalFrames: 90 } });
      const frames = await api(second, 'GET', `/v1/media/${mediaId}/frames?limit=500`);
      expect(frames.body.frames.map((f: { index: number }) => f.index)).toEqual([...Array(90).keys()]);
      expect(media.result.summary.framesAnalyzed).toBe(90);
    } finally {
      await second.stop();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as frameWorker } from '../../functions/frame-worker.js';
import { handler as imageUpload } from '../../functions/image-upload.js';
import { handler as videoSplit } from '../../functions/video-split.js';
import { mediaIdForObject } from '../../lib/service/routing.js';
import { services } from '../../lib/service/services.js';
import { badInputs, readSample } from '../helpers/fixtures.js';
import { lambdaContext, s3Event, sqsEvents, startTestCloud, upload, type TestCloud } from '../helpers/cloud.js';

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud({ FRAME_FPS: '5' });
});
afterAll(() => cloud.close());
beforeEach(() => cloud.resetMocks());

const bucket = () => cloud.emulators.bucket;
const record = (mediaId: string) => services().store.get(mediaId);
const publishedTypes = () => cloud.events.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries![0].DetailType);

describe('image upload handler', () => {
  it('analyses an uploaded photo (key with spaces, URL-encoded in the event) into a COMPLETED item with faces', async () => {
    const mediaId = randomUUID();
    const object = await upload(`uploads/${mediaId}/two people.jpg`, readSample('two_people.jpg'));

    await imageUpload(s3Event(bucket(), [object]), lambdaContext());

    const item = await record(mediaId);
    expect(item).toMatchObject({ status: 'COMPLETED', mediaType: 'image', key: object.key });
    expect(item!.result).toMatchObject({ mediaType: 'image', width: 1126, height: 661, model: { profile: 'fast' } });
    expect((item!.result as { faces: unknown[] }).faces).toHaveLength(2);
    expect(publishedTypes()).toEqual(['MediaAnalysisCompleted']);
    const detail = JSON.parse(cloud.events.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0].Detail!);
    expect(detail).toMatchObject({ mediaId, status: 'COMPLETED', faces: 2, bucket: bucket(), key: object.key });
  });

  it('processes every record of an event', async () => {
    const objects = [await upload('uploads/batch/obama.jpg', readSample('obama.jpg')), await upload('uploads/batch/none.jpg', readSample('no-faces.jpg'))];

    await imageUpload(s3Event(bucket(), objects), lambdaContext());

    const [a, b] = await Promise.all(objects.map((o) => record(mediaIdForObject(bucket(), o.key))));
    expect(a).toMatchObject({ status: 'COMPLETED' });
    expect(b).toMatchObject({ status: 'COMPLETED', result: { faces: [] } });
  });

  it('changes nothing on a duplicate delivery', async () => {
    const object = await upload('uploads/dup/justin.jpg', readSample('justin.jpg'));
    const event = s3Event(bucket(), [object]);
    await imageUpload(event, lambdaContext());
    const first = await record(mediaIdForObject(bucket(), object.key));

    await imageUpload(event, lambdaContext());

    expect(await record(mediaIdForObject(bucket(), object.key))).toEqual(first);
    expect(publishedTypes()).toEqual(['MediaAnalysisCompleted']);
  });

  it('publishes the event on a redelivery when the first attempt died before publishing it', async () => {
    const object = await upload('uploads/outbox/justin.jpg', readSample('justin.jpg'));
    const mediaId = mediaIdForObject(bucket(), object.key);
    cloud.events.on(PutEventsCommand).rejectsOnce(new Error('EventBridge is unreachable')).resolves({ FailedEntryCount: 0, Entries: [] });

    await expect(imageUpload(s3Event(bucket(), [object]), lambdaContext())).rejects.toThrow('EventBridge is unreachable');
    expect(await record(mediaId)).toMatchObject({ status: 'COMPLETED', eventPending: true });

    await imageUpload(s3Event(bucket(), [object]), lambdaContext());

    expect(publishedTypes()).toEqual(['MediaAnalysisCompleted', 'MediaAnalysisCompleted']);
    expect(await record(mediaId)).not.toHaveProperty('eventPending');
    await imageUpload(s3Event(bucket(), [object]), lambdaContext());
    expect(publishedTypes()).toHaveLength(2);
  });

  it('accepts a direct invoke {bucket, key} and an EventBridge "Object Created" event', async () => {
    const direct = await upload('uploads/direct/obama.jpg', readSample('obama.jpg'));
    const bridged = await upload('uploads/bridge/biden.jpg', readSample('biden.jpg'));

    await imageUpload({ bucket: bucket(), key: direct.key }, lambdaContext());
    await imageUpload(
      { source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: bucket() }, object: { key: bridged.key, etag: bridged.etag, size: bridged.size } } },
      lambdaContext(),
    );

    expect(await record(mediaIdForObject(bucket(), direct.key))).toMatchObject({ status: 'COMPLETED' });
    expect(await record(mediaIdForObject(bucket(), bridged.key))).toMatchObject({ status: 'COMPLETED' });
  });

  it.each(badInputs().filter((b) => !b.file.endsWith('.mp4')))('ends $name as FAILED with $code, publishes the failure, and fails the invocation', async ({ file, bytes, code }) => {
    const object = await upload(`uploads/bad/${file}`, bytes);
    const mediaId = mediaIdForObject(bucket(), object.key);

    await expect(imageUpload(s3Event(bucket(), [object]), lambdaContext())).rejects.toMatchObject({ code });

    expect(await record(mediaId)).toMatchObject({ status: 'FAILED', error: { code, retryable: false } });
    expect(publishedTypes()).toEqual(['MediaAnalysisFailed']);
  });

  it('fails a redelivery of a failed upload again without touching its record', async () => {
    const object = await upload('uploads/bad-again/notes.jpg', Buffer.from('plain text, not an image'));
    const event = s3Event(bucket(), [object]);
    await expect(imageUpload(event, lambdaContext())).rejects.toThrow();
    const failed = await record(mediaIdForObject(bucket(), object.key));

    await expect(imageUpload(event, lambdaContext())).rejects.toMatchObject({ code: 'UnsupportedMediaType' });

    expect(await record(mediaIdForObject(bucket(), object.key))).toEqual(failed);
  });

  it('refuses an event that is none of the known shapes', async () => {
    await expect(imageUpload({ hello: 'world' }, lambdaContext())).rejects.toMatchObject({ code: 'InvalidParameter' });
  });
});

describe('video fan-out', () => {
  async function splitClip(key: string) {
    const object = await upload(key, readSample('clip.mp4'));
    await videoSplit(s3Event(bucket(), [object]), lambdaContext());
    const calls = cloud.sqs.commandCalls(SendMessageBatchCommand);
    const bodies = calls.flatMap((call) => call.args[0].input.Entries!.map((entry) => entry.MessageBody!));
    return { object, mediaId: mediaIdForObject(bucket(), key), calls, bodies };
  }

  it('queues one message per sampled frame, 10 per SendMessageBatch, carrying keys not pixels', async () => {
    const { calls, bodies, mediaId } = await splitClip(`uploads/${randomUUID()}/clip.mp4`);

    expect(calls.map((call) => call.args[0].input.Entries!.length)).toEqual([10, 5]);
    expect(calls.every((call) => call.args[0].input.QueueUrl === process.env.FRAME_QUEUE_URL)).toBe(true);
    const messages = bodies.map((body) => JSON.parse(body));
    expect(messages.map((m) => m.index)).toEqual([...Array(15).keys()]);
    expect(messages[3]).toEqual({ mediaId, jobId: expect.any(String), bucket: bucket(), frameKey: `frames/${mediaId}/000003.jpg`, index: 3, timestampMs: 600 });
    expect(Math.max(...bodies.map((b) => b.length))).toBeLessThan(400);
    expect(await record(mediaId)).toMatchObject({ status: 'PROCESSING', totalFrames: 15, framesDone: 0 });
  });

  it('ends as a COMPLETED job with every frame and a summary, finalised exactly once despite duplicates', async () => {
    const { bodies, mediaId } = await splitClip(`uploads/${randomUUID()}/clip.mp4`);
    const batches = sqsEvents(bodies);

    for (const batch of batches) expect(await frameWorker(batch, lambdaContext())).toEqual({ batchItemFailures: [] });
    for (const batch of batches) await frameWorker(batch, lambdaContext()); // every frame delivered twice

    const item = await record(mediaId);
    expect(item).toMatchObject({ status: 'COMPLETED', totalFrames: 15, framesDone: 15 });
    expect(item!.result).toMatchObject({ mediaType: 'video', width: 640, height: 376, durationMs: 3000, sampledFps: 5, framesCount: 15, framesFailed: 0 });
    const summary = (item!.result as { summary: { framesAnalyzed: number; framesWithFaces: number; smoothedEmotions: unknown[] } }).summary;
    expect(summary.framesAnalyzed).toBe(15);
    expect(summary.framesWithFaces).toBe(10);
    expect(summary.smoothedEmotions).toHaveLength(15);
    expect(publishedTypes()).toEqual(['MediaAnalysisCompleted']);
    const frames = await services().store.allFrames(mediaId);
    expect(frames.map((f) => f.index)).toEqual([...Array(15).keys()]);
  });

  it('reports a poisoned frame alone and processes its neighbours', async () => {
    const { bodies, mediaId } = await splitClip(`uploads/${randomUUID()}/clip.mp4`);
    const poisoned = JSON.stringify({ ...JSON.parse(bodies[4]), frameKey: `frames/${mediaId}/missing.jpg` });
    const [batch] = sqsEvents([...bodies.slice(0, 4), poisoned, 'not json', ...bodies.slice(5, 9)]);

    const response = await frameWorker(batch, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-4' }, { itemIdentifier: 'msg-5' }] });
    expect(await record(mediaId)).toMatchObject({ status: 'PROCESSING', framesDone: 8 });
  });

  it('records a frame that fails on its last delivery as failed, so the video still completes', async () => {
    const { bodies, mediaId } = await splitClip(`uploads/${randomUUID()}/clip.mp4`);
    const { s3, config } = services();
    await s3.send(new DeleteObjectCommand({ Bucket: config.bucketName, Key: `frames/${mediaId}/000004.jpg` }));
    const [first, second] = sqsEvents(bodies);

    expect(await frameWorker(first, lambdaContext())).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-4' }] });
    await frameWorker(second, lambdaContext());
    expect(await record(mediaId)).toMatchObject({ status: 'PROCESSING', framesDone: 14 });
    const [lastDelivery] = sqsEvents([bodies[4]], 10, 3);
    expect(await frameWorker(lastDelivery, lambdaContext())).toEqual({ batchItemFailures: [] });

    const item = await record(mediaId);
    expect(item).toMatchObject({ status: 'COMPLETED', framesDone: 15, result: { framesCount: 15, framesFailed: 1 } });
    const frames = await services().store.allFrames(mediaId);
    expect(frames[4]).toMatchObject({ index: 4, faces: [], error: { code: 'NotFound' } });
  });

  it('ends a corrupt video as FAILED with InvalidVideoFormat and queues nothing', async () => {
    const corrupt = badInputs().find((b) => b.file === 'corrupt.mp4')!;
    const object = await upload('uploads/bad/corrupt.mp4', corrupt.bytes);

    await expect(videoSplit(s3Event(bucket(), [object]), lambdaContext())).rejects.toMatchObject({ code: 'InvalidVideoFormat' });

    expect(await record(mediaIdForObject(bucket(), object.key))).toMatchObject({ status: 'FAILED', error: { code: 'InvalidVideoFormat' } });
    expect(cloud.sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});

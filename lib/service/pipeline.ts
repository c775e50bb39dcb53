/**
 * What the Lambda handlers (and `fer serve`) do with an object or a frame: parse nothing, decide nothing about
 * transport — just read from the bucket, call the engine, record each outcome exactly once and announce it at
 * least once.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { analyzeImage } from '../engine/engine.js';
import { FerError, InvalidParameterError, MediaTooLargeError, NotFoundError, toFerError } from '../engine/errors.js';
import { cv } from '../engine/opencv.js';
import { profileModelId } from '../engine/classifier.js';
import type { ImageResult, ImageTimings } from '../engine/schema.js';
import { summarizeFrames } from '../engine/summary.js';
import { VideoSource } from '../engine/video.js';
import type { ServiceConfig } from './config.js';
import type { FrameRecord, MediaRecord, MediaStore, VideoRecordResult } from './media-store.js';
import type { ObjectRef } from './object-events.js';
import type { EventPublisher, FrameMessage, FrameQueue } from './ports.js';
import { frameKey, mediaIdForObject, newMediaId, type MediaKind } from './routing.js';

export interface PipelineDeps {
  s3: S3Client;
  store: MediaStore;
  queue: FrameQueue;
  events: EventPublisher;
  config: ServiceConfig;
}

/** How long a claim holds a medium before another delivery may take it over. */
const LEASE_MS = { image: 5 * 60_000, video: 16 * 60_000 };
/** Frames uploaded to the bucket at once by the splitter. */
const FRAME_UPLOADS_IN_FLIGHT = 8;

/** Thrown when a medium already failed for good: the delivery should fail again (to its on-failure destination). */
export class AlreadyFailedError extends FerError {
  override readonly name = 'AlreadyFailedError';
}

const stripQuotes = (etag: string) => etag.replace(/^"|"$/g, '');

export class MediaPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  private get store(): MediaStore {
    return this.deps.store;
  }

  /** The object's ETag (from the event, else from S3) and its size; NotFound when it is gone. */
  private async identify(ref: ObjectRef): Promise<{ jobId: string; size?: number }> {
    if (ref.etag) return { jobId: stripQuotes(ref.etag), size: ref.size };
    try {
      const head = await this.deps.s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      return { jobId: stripQuotes(head.ETag ?? 'unknown'), size: head.ContentLength };
    } catch (error) {
      // Without s3:ListBucket (the functions do not get it) S3 answers 403 rather than 404 for a missing key.
      if (['NotFound', 'Forbidden'].includes((error as { name?: string }).name ?? '')) {
        throw new NotFoundError(`s3://${ref.bucket}/${ref.key} does not exist or is not readable`, { cause: error });
      }
      throw error;
    }
  }

  private async getObject(ref: { bucket: string; key: string }, kind: MediaKind) {
    try {
      const object = await this.deps.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      if ((object.ContentLength ?? 0) > this.deps.config.maxUploadBytes) {
        object.Body?.transformToWebStream().cancel();
        throw new MediaTooLargeError(
          kind === 'image' ? 'ImageTooLarge' : 'VideoTooLarge',
          `the object is ${object.ContentLength} bytes; the limit is ${this.deps.config.maxUploadBytes}`,
        );
      }
      return object;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') throw new NotFoundError(`s3://${ref.bucket}/${ref.key} does not exist`, { cause: error });
      throw error;
    }
  }

  /**
   * Runs `work` on a claimed medium: a duplicate delivery of a finished job returns without changing anything;
   * a failure is recorded (FAILED, with its code) and rethrown so the delivery reaches its on-failure destination.
   */
  private async withClaim(ref: ObjectRef, kind: MediaKind, owner: string, work: (mediaId: string, jobId: string) => Promise<void>): Promise<void> {
    const mediaId = mediaIdForObject(ref.bucket, ref.key);
    let jobId = 'unknown';
    try {
      ({ jobId } = await this.identify(ref));
      const claim = await this.store.claim({ mediaId, jobId, owner, leaseMs: LEASE_MS[kind], bucket: ref.bucket, key: ref.key, mediaType: kind });
      if (!claim.claimed) {
        if (claim.record.jobId === jobId && claim.record.eventPending) await this.announce(claim.record);
        if (claim.record.status === 'FAILED' && claim.record.error) {
          throw new AlreadyFailedError(claim.record.error.code as FerError['code'], claim.record.error.message, 422);
        }
        return; // a duplicate delivery: the job is done or in the hands of another live worker
      }
      await work(mediaId, jobId);
    } catch (error) {
      if (error instanceof AlreadyFailedError) throw error;
      const failure = toFerError(error);
      const message = failure.expose ? failure.message : 'internal error while analysing the object';
      if (await this.store.fail(mediaId, jobId, { code: failure.code, message, retryable: !failure.expose })) await this.announceLatest(mediaId);
      throw error;
    }
  }

  /**
   * Publishes a finished medium's event, then clears `eventPending`. The outcome is written first, so if this
   * process dies in between, the redelivered S3 event or SQS message finds the flag and publishes again:
   * events are delivered at least once, never lost.
   */
  private async announce(record: MediaRecord): Promise<void> {
    if (!record.eventPending || (record.status !== 'COMPLETED' && record.status !== 'FAILED')) return;
    const base = { mediaId: record.mediaId, mediaType: record.mediaType ?? 'image', bucket: record.bucket, key: record.key };
    if (record.status === 'FAILED') {
      await this.deps.events.publish('MediaAnalysisFailed', { ...base, status: 'FAILED', error: record.error && { code: record.error.code, message: record.error.message } });
    } else {
      const result = record.result!;
      const [faces, dominantEmotion] =
        result.mediaType === 'video' ? [result.summary.facesDetected, result.summary.dominantEmotion] : [result.faces.length, result.faces[0]?.dominantEmotion ?? null];
      await this.deps.events.publish('MediaAnalysisCompleted', { ...base, status: 'COMPLETED', faces, dominantEmotion });
    }
    await this.store.clearEventPending(record.mediaId, record.jobId!);
  }

  private async announceLatest(mediaId: string): Promise<void> {
    const record = await this.store.get(mediaId);
    if (record) await this.announce(record);
  }

  /** An uploaded image: analyse it and store the result. */
  async processImage(ref: ObjectRef, owner: string): Promise<void> {
    await this.withClaim(ref, 'image', owner, async (mediaId, jobId) => {
      const object = await this.getObject(ref, 'image');
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      const result = await analyzeImage(bytes, { profile: this.deps.config.profile, source: `s3://${ref.bucket}/${ref.key}` });
      if (await this.store.completeImage(mediaId, jobId, result)) await this.announceLatest(mediaId);
    });
  }

  /** `POST /v1/analyze`: analyse bytes synchronously and record the result. */
  async analyzeSync(bytes: Buffer, source: string): Promise<{ mediaId: string; result: ImageResult }> {
    const mediaId = newMediaId();
    const result = await analyzeImage(bytes, { profile: this.deps.config.profile, source });
    await this.store.claim({ mediaId, jobId: 'sync', owner: 'api', leaseMs: LEASE_MS.image, bucket: '', key: source, mediaType: 'image' });
    if (await this.store.completeImage(mediaId, 'sync', result)) await this.announceLatest(mediaId);
    return { mediaId, result };
  }

  /**
   * An uploaded video: sample it, store each sampled frame as a JPEG where the worker can read it, record the
   * job's frame count, then queue one message per frame (keys, not pixels).
   */
  async splitVideo(ref: ObjectRef, owner: string): Promise<void> {
    const existing = await this.store.get(mediaIdForObject(ref.bucket, ref.key));
    // A redelivery after every frame was queued (the splitter stopped before its invocation ended): the frames
    // are in the workers' hands, and claiming again would reset their count.
    if (existing?.framesQueued && existing.status === 'PROCESSING' && ref.etag && existing.jobId === stripQuotes(ref.etag)) return;
    await this.withClaim(ref, 'video', owner, async (mediaId, jobId) => {
      const dir = await mkdtemp(join(tmpdir(), 'fer-split-'));
      try {
        const path = join(dir, 'video');
        const object = await this.getObject(ref, 'video');
        await streamPipeline(object.Body as Readable, createWriteStream(path));
        const video = VideoSource.open(path, this.deps.config.frameFps, this.deps.config.videoLimits);
        const messages: FrameMessage[] = [];
        let uploads: Promise<unknown>[] = [];
        // Frames always go to the service's own bucket (under the expiring frames/ prefix), even for a video
        // from another bucket: the source may be read-only to us.
        const frameBucket = this.deps.config.bucketName;
        for await (const frame of video.frames()) {
          const key = frameKey(mediaId, frame.index);
          const jpeg = await cv.imencodeAsync('.jpg', frame.color, [cv.IMWRITE_JPEG_QUALITY, 95]);
          frame.color.release();
          uploads.push(this.deps.s3.send(new PutObjectCommand({ Bucket: frameBucket, Key: key, Body: jpeg, ContentType: 'image/jpeg' })));
          messages.push({ mediaId, jobId, bucket: frameBucket, frameKey: key, index: frame.index, timestampMs: frame.timestampMs });
          if (uploads.length >= FRAME_UPLOADS_IN_FLIGHT) {
            await Promise.all(uploads);
            uploads = [];
          }
        }
        await Promise.all(uploads);
        const { width, height, durationMs, sampledFps } = video.info;
        await this.store.startFrames(mediaId, jobId, messages.length, { width, height, durationMs, sampledFps });
        await this.deps.queue.send(messages);
        await this.store.markFramesQueued(mediaId, jobId);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  /**
   * One sampled frame: analyse, store, count once; the worker that counts the last frame writes the summary,
   * marks the video COMPLETED and publishes the event — exactly once, by a conditional write.
   */
  async processFrame(message: FrameMessage, delivery = 1): Promise<void> {
    let frame: Pick<FrameRecord, 'faces' | 'timingsMs' | 'error'>;
    try {
      const object = await this.getObject({ bucket: message.bucket, key: message.frameKey }, 'image');
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      const result = await analyzeImage(bytes, { profile: this.deps.config.profile, source: message.frameKey });
      frame = { faces: result.faces, timingsMs: result.timingsMs };
    } catch (error) {
      // Before the last delivery, fail and let SQS redeliver; on it, record the frame as failed so that it is
      // counted and the video completes instead of waiting forever for a frame parked in the DLQ.
      if (delivery < this.deps.config.frameMaxReceives) throw error;
      const { code, message: text, expose } = toFerError(error);
      frame = { faces: [], error: { code, message: expose ? text : 'internal error while analysing the frame' } };
    }
    const record = await this.store.recordFrame(message.mediaId, { index: message.index, timestampMs: message.timestampMs, jobId: message.jobId, ...frame });
    if (record) await this.finishVideoIfComplete(record);
  }

  private async finishVideoIfComplete(record: MediaRecord): Promise<void> {
    if (record.status === 'COMPLETED') return this.announce(record); // a redelivery after a lost event
    if (record.status !== 'PROCESSING' || record.totalFrames === undefined || (record.framesDone ?? 0) < record.totalFrames || !record.video) return;
    const frames = await this.store.allFrames(record.mediaId);
    const timings = frames.reduce<ImageTimings>(
      (sum, frame) => {
        const t = frame.timingsMs;
        return t ? { decode: sum.decode + t.decode, detect: sum.detect + t.detect, classify: sum.classify + t.classify, total: sum.total + t.total } : sum;
      },
      { decode: 0, detect: 0, classify: 0, total: 0 },
    );
    const summary = summarizeFrames(frames.map(({ index, timestampMs, faces }) => ({ index, timestampMs, faces })));
    const result: VideoRecordResult = {
      source: `s3://${record.bucket}/${record.key}`,
      mediaType: 'video',
      ...record.video,
      summary,
      model: { id: profileModelId(this.deps.config.profile), profile: this.deps.config.profile },
      timingsMs: {
        decode: round(timings.decode),
        detect: round(timings.detect),
        classify: round(timings.classify),
        total: Date.now() - Date.parse(record.startedAt ?? record.updatedAt),
      },
      framesCount: frames.length,
      framesFailed: frames.filter((frame) => frame.error).length,
    };
    if (await this.store.completeVideo(record.mediaId, record.jobId!, result)) await this.announceLatest(record.mediaId);
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

/** Validates an SQS message body as a FrameMessage. */
export function parseFrameMessage(body: string): FrameMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidParameterError('the frame message is not JSON', { cause: error });
  }
  const m = value as Partial<FrameMessage>;
  if (
    typeof m?.mediaId !== 'string' ||
    typeof m.jobId !== 'string' ||
    typeof m.bucket !== 'string' ||
    typeof m.frameKey !== 'string' ||
    !Number.isInteger(m.index) ||
    typeof m.timestampMs !== 'number'
  ) {
    throw new InvalidParameterError('the frame message lacks mediaId, jobId, bucket, frameKey, index or timestampMs');
  }
  return m as FrameMessage;
}

/**
 * The results table. One item per medium and one per analysed video frame, in a single table:
 *
 *   pk = MEDIA#<mediaId>  sk = META               the medium: status, result (image) or summary (video)
 *   pk = MEDIA#<mediaId>  sk = FRAME#<index:6>    one sampled frame of a video: timestamp and faces
 *
 * GSI `byStatus` (gsi1pk = STATUS#<status>, gsi1sk = <updatedAt>#<mediaId>) lists media by status and time.
 * Frames are paged with a Query on the medium's pk, sk begins_with FRAME#. Items stay far below DynamoDB's
 * 400 KB: a video's frames are separate items, its summary is per-frame only in a compact label array capped by
 * MAX_FRAMES, and faces per image are capped (MAX_FACES).
 *
 * Every write is conditional so that a duplicate S3 or SQS delivery changes nothing: see `claim` and
 * `recordFrame`.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FaceResult, FrameResult, ImageResult, VideoResult } from '../engine/schema.js';

export type MediaStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
export const MEDIA_STATUSES: readonly MediaStatus[] = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'];

/** The stored video result: the result schema without `frames`, which are items of their own. */
export type VideoRecordResult = Omit<VideoResult, 'frames'> & {
  framesCount: number;
  /** Frames that could not be analysed even on their last delivery (counted in the summary as frames without faces). */
  framesFailed: number;
};

export interface MediaRecord {
  mediaId: string;
  status: MediaStatus;
  mediaType?: 'image' | 'video';
  bucket?: string;
  key?: string;
  filename?: string;
  contentType?: string;
  createdAt: string;
  updatedAt: string;
  /** Identifies one processing of one object version (its ETag); stale work for another job is dropped. */
  jobId?: string;
  leaseOwner?: string;
  leaseUntil?: number;
  /** When the current job was claimed. */
  startedAt?: string;
  totalFrames?: number;
  framesDone?: number;
  /** Set with the outcome, cleared once its event is published: a redelivery publishes it again (an outbox). */
  eventPending?: boolean;
  /** Set once every frame message of the current job is queued: a redelivered split has nothing left to do. */
  framesQueued?: boolean;
  /** A video's stream facts, recorded by the splitter for the summary. */
  video?: VideoInfoRecord;
  result?: ImageResult | VideoRecordResult;
  error?: { code: string; message: string; retryable: boolean };
  expiresAt?: number;
}

export interface VideoInfoRecord {
  width: number;
  height: number;
  durationMs: number;
  sampledFps: number;
}

export interface FrameRecord extends FrameResult {
  jobId: string;
  timingsMs?: { decode: number; detect: number; classify: number; total: number };
  /** Set when the frame failed on its last delivery: it counts as done, without faces. */
  error?: { code: string; message: string };
}

/** The most faces stored per image or frame: keeps every item far below 400 KB. */
export const MAX_FACES = 100;

const mediaKey = (mediaId: string) => ({ pk: `MEDIA#${mediaId}`, sk: 'META' });
const frameSk = (index: number) => `FRAME#${String(index).padStart(6, '0')}`;

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

export type ClaimOutcome = { claimed: true; record: MediaRecord } | { claimed: false; record: MediaRecord };

export class MediaStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlDays: number,
  ) {}

  private now(): { iso: string; epoch: number } {
    const date = new Date();
    return { iso: date.toISOString(), epoch: Math.floor(date.getTime() / 1000) };
  }

  private expiresAt(epoch: number): number | undefined {
    return this.ttlDays > 0 ? epoch + Math.round(this.ttlDays * 86_400) : undefined;
  }

  private statusIndex(status: MediaStatus, updatedAt: string, mediaId: string) {
    return { gsi1pk: `STATUS#${status}`, gsi1sk: `${updatedAt}#${mediaId}` };
  }

  /** A medium announced by `POST /v1/media`, waiting for its upload. */
  async createPending(input: { mediaId: string; bucket: string; key: string; filename: string; contentType: string; mediaType: 'image' | 'video' }): Promise<MediaRecord> {
    const { iso, epoch } = this.now();
    const record: MediaRecord = { ...input, status: 'PENDING', createdAt: iso, updatedAt: iso, expiresAt: this.expiresAt(epoch) };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...mediaKey(input.mediaId), ...this.statusIndex('PENDING', iso, input.mediaId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  }

  async get(mediaId: string): Promise<MediaRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: mediaKey(mediaId), ConsistentRead: true }));
    return Item ? strip(Item) : undefined;
  }

  /**
   * Takes a medium for processing — one object version (jobId = its ETag) by one owner at a time. Proceeds when
   * the medium is new, pending, of another version, failed with a retryable error, or held by the same owner
   * (an async Lambda retry keeps its request id) or by one whose lease ran out. A duplicate delivery of a
   * version already completed or failed for good is not claimed, and changes nothing.
   */
  async claim(input: {
    mediaId: string;
    jobId: string;
    owner: string;
    leaseMs: number;
    bucket: string;
    key: string;
    mediaType: 'image' | 'video';
  }): Promise<ClaimOutcome> {
    const { iso, epoch } = this.now();
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mediaKey(input.mediaId),
          UpdateExpression:
            'SET mediaId = :id, #status = :processing, jobId = :job, leaseOwner = :owner, leaseUntil = :until, #bucket = :bucket, #key = :key, ' +
            'mediaType = :type, updatedAt = :now, startedAt = :now, createdAt = if_not_exists(createdAt, :now), gsi1pk = :gsi1pk, ' +
            'gsi1sk = :gsi1sk, framesDone = :zero, expiresAt = :expires REMOVE #error, #result, totalFrames, doneFrames, framesQueued, eventPending, #video',
          ConditionExpression:
            'attribute_not_exists(pk) OR #status = :pending OR jobId <> :job OR ' +
            '(#status = :failed AND #error.retryable = :true) OR ' +
            '(#status = :processing AND (leaseOwner = :owner OR leaseUntil < :epochMs))',
          // Aliased: status, key, bucket, error, result are DynamoDB reserved words.
          ExpressionAttributeNames: { '#status': 'status', '#key': 'key', '#bucket': 'bucket', '#error': 'error', '#result': 'result', '#video': 'video' },
          ExpressionAttributeValues: {
            ':id': input.mediaId,
            ':processing': 'PROCESSING',
            ':pending': 'PENDING',
            ':failed': 'FAILED',
            ':true': true,
            ':job': input.jobId,
            ':owner': input.owner,
            ':until': Date.now() + input.leaseMs,
            ':epochMs': Date.now(),
            ':bucket': input.bucket,
            ':key': input.key,
            ':type': input.mediaType,
            ':now': iso,
            ':zero': 0,
            ':expires': this.expiresAt(epoch) ?? null,
            ...prefixed(this.statusIndex('PROCESSING', iso, input.mediaId)),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, record: strip(Attributes!) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { claimed: false, record: (await this.get(input.mediaId))! };
    }
  }

  /** Stores an image's result — only for the job that claimed it, so an older version never overwrites a newer. */
  async completeImage(mediaId: string, jobId: string, result: ImageResult): Promise<boolean> {
    const stored = { ...result, faces: result.faces.slice(0, MAX_FACES) };
    return this.finish(mediaId, jobId, 'COMPLETED', { result: stored, eventPending: true });
  }

  /** A retryable failure is not announced: the retry may still succeed. */
  async fail(mediaId: string, jobId: string, error: { code: string; message: string; retryable: boolean }): Promise<boolean> {
    return this.finish(mediaId, jobId, 'FAILED', { error, eventPending: !error.retryable });
  }

  async clearEventPending(mediaId: string, jobId: string): Promise<void> {
    await this.updateJob(mediaId, jobId, 'REMOVE eventPending');
  }

  private async finish(mediaId: string, jobId: string, status: 'COMPLETED' | 'FAILED', values: Partial<MediaRecord>): Promise<boolean> {
    const { iso } = this.now();
    const names: Record<string, string> = { '#status': 'status' };
    const attributeValues: Record<string, unknown> = {
      ':status': status,
      ':now': iso,
      ':job': jobId,
      ':processing': 'PROCESSING',
      ...prefixed(this.statusIndex(status, iso, mediaId)),
    };
    const sets = ['#status = :status', 'updatedAt = :now', 'gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk'];
    for (const [name, value] of Object.entries(values)) {
      names[`#${name}`] = name;
      attributeValues[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mediaKey(mediaId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE leaseOwner, leaseUntil`,
          ConditionExpression: 'jobId = :job AND #status = :processing',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: attributeValues,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Records how many frames the splitter produced (and the video's facts), before any frame is queued. */
  async startFrames(mediaId: string, jobId: string, totalFrames: number, video: VideoInfoRecord): Promise<void> {
    await this.updateJob(mediaId, jobId, 'SET totalFrames = :total, #video = :video', { '#video': 'video' }, { ':total': totalFrames, ':video': video });
  }

  async markFramesQueued(mediaId: string, jobId: string): Promise<void> {
    await this.updateJob(mediaId, jobId, 'SET framesQueued = :true', undefined, { ':true': true });
  }

  /** An update of the medium that applies only while `jobId` is still its current job. */
  private async updateJob(mediaId: string, jobId: string, expression: string, names?: Record<string, string>, values: Record<string, unknown> = {}): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mediaKey(mediaId),
        UpdateExpression: expression,
        ConditionExpression: 'jobId = :job',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':job': jobId },
      }),
    );
  }

  /**
   * Stores one frame's faces and counts it once: the frame item is a plain overwrite (same content on a
   * redelivery) and the count is an atomic ADD guarded by the set of frames already counted, so a duplicate
   * SQS delivery never double-counts. Returns the medium as it stands after the update, or undefined if the
   * job is no longer current (the object was replaced).
   */
  async recordFrame(mediaId: string, frame: FrameRecord): Promise<MediaRecord | undefined> {
    const { epoch } = this.now();
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `MEDIA#${mediaId}`,
          sk: frameSk(frame.index),
          ...frame,
          faces: frame.faces.slice(0, MAX_FACES),
          expiresAt: this.expiresAt(epoch),
        },
      }),
    );
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mediaKey(mediaId),
          UpdateExpression: 'ADD framesDone :one, doneFrames :frame',
          ConditionExpression: 'jobId = :job AND NOT contains(doneFrames, :index)',
          ExpressionAttributeValues: { ':one': 1, ':frame': new Set([frame.index]), ':index': frame.index, ':job': frame.jobId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip(Attributes!);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const record = await this.get(mediaId);
      return record?.jobId === frame.jobId ? record : undefined;
    }
  }

  /** All frames of a medium in index order (for the summary), with their timings. */
  async allFrames(mediaId: string): Promise<(FrameResult & Pick<FrameRecord, 'timingsMs' | 'error'>)[]> {
    const frames: (FrameResult & Pick<FrameRecord, 'timingsMs' | 'error'>)[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.frames(mediaId, 1000, cursor);
      frames.push(...page.frames);
      cursor = page.lastKey;
    } while (cursor);
    return frames;
  }

  async frames(
    mediaId: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ frames: (FrameResult & Pick<FrameRecord, 'timingsMs' | 'error'>)[]; lastKey?: Record<string, unknown> }> {
    const { Items, LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :frame)',
        ExpressionAttributeValues: { ':pk': `MEDIA#${mediaId}`, ':frame': 'FRAME#' },
        Limit: limit,
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    const frames = (Items ?? []).map((item) => ({
      index: item.index as number,
      timestampMs: item.timestampMs as number,
      faces: item.faces as FaceResult[],
      timingsMs: item.timingsMs as FrameRecord['timingsMs'],
      error: item.error as FrameRecord['error'],
    }));
    return { frames, lastKey: LastEvaluatedKey };
  }

  async completeVideo(mediaId: string, jobId: string, result: VideoRecordResult): Promise<boolean> {
    return this.finish(mediaId, jobId, 'COMPLETED', { result, eventPending: true });
  }

  /** Most recent media of one status, newest first. */
  async byStatus(status: MediaStatus, limit: number): Promise<MediaRecord[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :status',
        ExpressionAttributeValues: { ':status': `STATUS#${status}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(strip);
  }
}

function prefixed(index: { gsi1pk: string; gsi1sk: string }) {
  return { ':gsi1pk': index.gsi1pk, ':gsi1sk': index.gsi1sk };
}

/** The record without table keys and bookkeeping sets. */
function strip(item: Record<string, unknown>): MediaRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, doneFrames: _done, ...record } = item;
  return record as unknown as MediaRecord;
}

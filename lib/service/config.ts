/**
 * The service's settings, from the environment the CDK stack (or `fer serve`) sets. Read once per process.
 */
import { DEFAULT_PROFILE, isProfileName } from '../engine/classifier.js';
import type { ProfileName } from '../engine/schema.js';
import { DEFAULT_FPS, DEFAULT_VIDEO_LIMITS, type VideoLimits } from '../engine/video.js';

export interface ServiceConfig {
  bucketName: string;
  tableName: string;
  /** Empty when no queue is configured (the API and image functions do not need one). */
  frameQueueUrl: string;
  eventBusName: string;
  profile: ProfileName;
  frameFps: number;
  videoLimits: VideoLimits;
  /** Largest upload a presigned URL accepts, and largest object the image pipeline reads. */
  maxUploadBytes: number;
  /** Results expire (DynamoDB TTL) after this many days; 0 keeps them. */
  resultTtlDays: number;
  /** The frame queue's maxReceiveCount: on that delivery a failing frame is recorded as failed. */
  frameMaxReceives: number;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, not ${JSON.stringify(raw)}`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const profile = env.FER_PROFILE ?? DEFAULT_PROFILE;
  if (!isProfileName(profile)) throw new Error(`FER_PROFILE must be reference, fast or accurate, not ${JSON.stringify(profile)}`);
  return {
    bucketName: env.BUCKET_NAME ?? '',
    tableName: env.TABLE_NAME ?? '',
    frameQueueUrl: env.FRAME_QUEUE_URL ?? '',
    eventBusName: env.EVENT_BUS_NAME ?? '',
    profile,
    frameFps: numberFrom(env, 'FRAME_FPS', DEFAULT_FPS),
    videoLimits: {
      maxDurationMs: numberFrom(env, 'MAX_VIDEO_DURATION_MS', DEFAULT_VIDEO_LIMITS.maxDurationMs),
      maxFrames: numberFrom(env, 'MAX_FRAMES', DEFAULT_VIDEO_LIMITS.maxFrames),
      maxPixels: DEFAULT_VIDEO_LIMITS.maxPixels,
    },
    maxUploadBytes: numberFrom(env, 'MAX_UPLOAD_BYTES', 50 * 1024 * 1024),
    resultTtlDays: numberFrom(env, 'RESULT_TTL_DAYS', 90),
    frameMaxReceives: numberFrom(env, 'FRAME_MAX_RECEIVES', 3),
  };
}

let cached: ServiceConfig | undefined;

export function config(): ServiceConfig {
  cached ??= loadConfig();
  return cached;
}

/** For tests and the local server, which set the environment after import. */
export function resetConfig(): void {
  cached = undefined;
}

import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ProfileName } from '../engine/schema.js';
import { ApiConstruct } from './api-construct.js';
import { EventsConstruct } from './events-construct.js';
import { InferenceConstruct } from './inference-construct.js';
import { StorageConstruct } from './storage-construct.js';
import { VideoFanoutConstruct } from './video-fanout-construct.js';

export interface FerStackProps extends StackProps {
  /** MB for every function (inference needs the memory; CPU scales with it). @default 2048 */
  readonly memorySize?: number;
  /** Frames sampled per second of video. @default 5 */
  readonly frameFps?: number;
  /** Longest video accepted. @default 600 */
  readonly maxVideoDurationSeconds?: number;
  /** Most frames sampled from one video. @default 1800 */
  readonly maxFrames?: number;
  /** Largest upload a presigned URL accepts and the image pipeline reads. @default 50 MiB */
  readonly maxUploadBytes?: number;
  /** Days results are kept (DynamoDB TTL); 0 keeps them. @default 90 */
  readonly resultRetentionDays?: number;
  /** Days sampled video frames are kept in S3. @default 1 */
  readonly frameRetentionDays?: number;
  /** The classifier profile the handlers use. @default 'fast' */
  readonly profile?: ProfileName;
  /** Other buckets whose EventBridge "Object Created" events should be analysed too. @default none */
  readonly sourceBuckets?: readonly string[];
}

/** The stack's settings once defaults are filled in. */
type FerSettings = Required<Omit<FerStackProps, keyof StackProps | 'sourceBuckets'>>;

const PROFILES: readonly ProfileName[] = ['reference', 'fast', 'accurate'];

export const FER_STACK_DEFAULTS = {
  memorySize: 2048,
  frameFps: 5,
  maxVideoDurationSeconds: 600,
  maxFrames: 1800,
  maxUploadBytes: 50 * 1024 * 1024,
  resultRetentionDays: 90,
  frameRetentionDays: 1,
  profile: 'fast',
} as const satisfies FerSettings;

/** Serverless facial expression recognition: composes one construct per concern and wires them together. */
export class FerStack extends Stack {
  readonly events: EventsConstruct;
  readonly storage: StorageConstruct;
  readonly inference: InferenceConstruct;
  readonly videoFanout: VideoFanoutConstruct;
  readonly api: ApiConstruct;

  constructor(scope: Construct, id: string, props: FerStackProps = {}) {
    super(scope, id, props);
    const settings: FerSettings = {
      memorySize: props.memorySize ?? FER_STACK_DEFAULTS.memorySize,
      frameFps: props.frameFps ?? FER_STACK_DEFAULTS.frameFps,
      maxVideoDurationSeconds: props.maxVideoDurationSeconds ?? FER_STACK_DEFAULTS.maxVideoDurationSeconds,
      maxFrames: props.maxFrames ?? FER_STACK_DEFAULTS.maxFrames,
      maxUploadBytes: props.maxUploadBytes ?? FER_STACK_DEFAULTS.maxUploadBytes,
      resultRetentionDays: props.resultRetentionDays ?? FER_STACK_DEFAULTS.resultRetentionDays,
      frameRetentionDays: props.frameRetentionDays ?? FER_STACK_DEFAULTS.frameRetentionDays,
      profile: props.profile ?? FER_STACK_DEFAULTS.profile,
    };
    checkSettings(settings);

    this.events = new EventsConstruct(this, 'Events');
    this.storage = new StorageConstruct(this, 'Storage', { frameRetentionDays: settings.frameRetentionDays });
    this.inference = new InferenceConstruct(this, 'Inference', {
      storage: this.storage,
      bus: this.events.bus,
      memorySize: settings.memorySize,
      profile: settings.profile,
      maxUploadBytes: settings.maxUploadBytes,
      resultRetentionDays: settings.resultRetentionDays,
    });
    this.videoFanout = new VideoFanoutConstruct(this, 'VideoFanout', {
      image: this.inference.image,
      storage: this.storage,
      bus: this.events.bus,
      environment: this.inference.environment,
      failedUploadsQueue: this.inference.failedUploadsQueue,
      memorySize: settings.memorySize,
      frameFps: settings.frameFps,
      maxVideoDurationSeconds: settings.maxVideoDurationSeconds,
      maxFrames: settings.maxFrames,
    });
    this.api = new ApiConstruct(this, 'Api', { handler: this.inference.apiFunction.function });
    this.events.analyseObjectsCreatedIn(props.sourceBuckets ?? [], {
      imageFunction: this.inference.imageUploadFunction.function,
      videoFunction: this.videoFanout.splitterFunction.function,
      deadLetterQueue: this.inference.failedUploadsQueue,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API (SigV4-signed requests)' });
    new CfnOutput(this, 'MediaBucketName', { value: this.storage.bucket.bucketName });
    new CfnOutput(this, 'ResultsTableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
  }
}

/** Fails synth on settings that would only fail at deploy time or at run time. */
function checkSettings(settings: FerSettings): void {
  const problems: string[] = [];
  const integer = (name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be an integer from ${min} to ${max}, not ${value}`);
  };
  integer('memorySize', settings.memorySize, 128, 10240);
  integer('maxVideoDurationSeconds', settings.maxVideoDurationSeconds, 1);
  integer('maxFrames', settings.maxFrames, 1);
  integer('maxUploadBytes', settings.maxUploadBytes, 1);
  integer('resultRetentionDays', settings.resultRetentionDays, 0);
  integer('frameRetentionDays', settings.frameRetentionDays, 1);
  if (!(Number.isFinite(settings.frameFps) && settings.frameFps > 0 && settings.frameFps <= 60)) {
    problems.push(`frameFps must be above 0 and at most 60, not ${settings.frameFps}`);
  }
  if (!PROFILES.includes(settings.profile)) {
    problems.push(`profile must be reference, fast or accurate, not ${JSON.stringify(settings.profile)}`);
  }
  if (problems.length > 0) throw new Error(`FerStack: ${problems.join('; ')}`);
}

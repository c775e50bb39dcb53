import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import type * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ProfileName } from '../engine/schema.js';
import { IMAGE_SUFFIXES, UPLOAD_PREFIX } from '../service/routing.js';
import { HandlerFunction } from './handler-function.js';
import { HANDLERS } from './handlers.js';
import { acknowledge } from './nag.js';
import type { StorageConstruct } from './storage-construct.js';

/** The Dockerfile, relative to the build context (the repository root). */
export const DOCKERFILE = 'layers/Dockerfile';

export interface InferenceConstructProps {
  readonly storage: StorageConstruct;
  /** Where the handlers publish MediaAnalysisCompleted / MediaAnalysisFailed. */
  readonly bus: events.IEventBus;
  /** MB for the image-upload and API functions. */
  readonly memorySize: number;
  readonly profile: ProfileName;
  readonly maxUploadBytes: number;
  readonly resultRetentionDays: number;
  /**
   * The Docker build context. @default the repository root, found by walking up from this module to the
   * directory holding layers/Dockerfile (this module runs from lib/cloud in tests and dist/lib/cloud in synth)
   */
  readonly imageDirectory?: string;
}

/**
 * The container image every handler runs, the image-upload function (S3 `uploads/` images in, a result item and
 * an event out), the API function behind the HTTP API, and the queue where failed asynchronous invocations end up.
 */
export class InferenceConstruct extends Construct {
  /** Built once; every function uses it with its own CMD (see handlers.ts). */
  readonly image: ecrAssets.DockerImageAsset;
  /** The settings every handler reads (lib/service/config.ts); other constructs add their own. */
  readonly environment: Readonly<Record<string, string>>;
  /** On-failure destination of the S3-triggered functions, once Lambda's own retries are spent. */
  readonly failedUploadsQueue: sqs.Queue;
  readonly imageUploadFunction: HandlerFunction;
  readonly apiFunction: HandlerFunction;

  constructor(scope: Construct, id: string, props: InferenceConstructProps) {
    super(scope, id);
    const { storage, bus } = props;

    this.image = new ecrAssets.DockerImageAsset(this, 'HandlerImage', {
      directory: props.imageDirectory ?? findBuildContext(),
      file: DOCKERFILE,
      platform: ecrAssets.Platform.LINUX_AMD64,
    });

    this.environment = {
      BUCKET_NAME: storage.bucket.bucketName,
      TABLE_NAME: storage.table.tableName,
      EVENT_BUS_NAME: bus.eventBusName,
      FER_PROFILE: props.profile,
      MAX_UPLOAD_BYTES: String(props.maxUploadBytes),
      RESULT_TTL_DAYS: String(props.resultRetentionDays),
    };

    this.failedUploadsQueue = new sqs.Queue(this, 'FailedUploadsQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.failedUploadsQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter destination (Lambda on-failure destination) of the S3-triggered functions; nothing consumes it automatically, so a further dead-letter queue would never receive anything.',
    );

    this.imageUploadFunction = new HandlerFunction(this, 'ImageUpload', {
      image: this.image,
      handler: HANDLERS.imageUpload,
      description: 'Analyses an image uploaded under uploads/ and stores the result',
      memorySize: props.memorySize,
      timeout: Duration.minutes(2),
      environment: this.environment,
      onFailure: this.failedUploadsQueue,
      retryAttempts: 2,
    });
    storage.grantReadObjects(this.imageUploadFunction, UPLOAD_PREFIX);
    storage.grantResultsReadWrite(this.imageUploadFunction);
    bus.grantPutEventsTo(this.imageUploadFunction);
    storage.notifyOnUpload(this.imageUploadFunction.function, IMAGE_SUFFIXES);

    this.apiFunction = new HandlerFunction(this, 'Api', {
      image: this.image,
      handler: HANDLERS.api,
      description: 'The HTTP API: presigned uploads, synchronous analysis, results',
      memorySize: props.memorySize,
      // API Gateway gives up on an integration after 30 s.
      timeout: Duration.seconds(29),
      environment: this.environment,
    });
    storage.grantResultsReadWrite(this.apiFunction);
    // Presigning a PUT signs with the function's own credentials, so it needs the write it hands out.
    storage.grantWriteObjects(this.apiFunction, UPLOAD_PREFIX);
    storage.grantReadObjects(this.apiFunction, UPLOAD_PREFIX);
  }
}

function findBuildContext(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, DOCKERFILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${DOCKERFILE} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

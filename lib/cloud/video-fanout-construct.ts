import { Duration, Size } from 'aws-cdk-lib';
import type * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import type * as events from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FRAME_PREFIX, UPLOAD_PREFIX, VIDEO_SUFFIXES } from '../service/routing.js';
import { HandlerFunction } from './handler-function.js';
import { HANDLERS } from './handlers.js';
import type { StorageConstruct } from './storage-construct.js';

/** One frame is one small image: a minute is a generous ceiling, and it sets the queue's visibility timeout. */
export const FRAME_WORKER_TIMEOUT = Duration.seconds(60);
/** Deliveries of a frame message before it goes to the dead-letter queue. */
export const FRAME_MAX_RECEIVES = 3;
/** Lambda's advice for SQS event sources: visibility timeout at least six times the function timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface VideoFanoutConstructProps {
  readonly image: ecrAssets.DockerImageAsset;
  readonly storage: StorageConstruct;
  readonly bus: events.IEventBus;
  /** The settings every handler reads (InferenceConstruct.environment). */
  readonly environment: Readonly<Record<string, string>>;
  /** On-failure destination of the splitter's asynchronous (S3) invocations. */
  readonly failedUploadsQueue: sqs.IQueue;
  /** MB for the splitter and the frame worker. */
  readonly memorySize: number;
  readonly frameFps: number;
  readonly maxVideoDurationSeconds: number;
  readonly maxFrames: number;
}

/**
 * Videos fan out: the splitter samples an uploaded video into JPEG frames under `frames/` and queues one message
 * per frame; frame workers classify the frames in parallel, record each one, and the worker that records the last
 * frame completes the video and publishes the completion event.
 */
export class VideoFanoutConstruct extends Construct {
  readonly splitterFunction: HandlerFunction;
  readonly frameWorkerFunction: HandlerFunction;
  readonly frameQueue: sqs.Queue;
  readonly frameDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: VideoFanoutConstructProps) {
    super(scope, id);
    const { storage, bus } = props;

    this.frameDeadLetterQueue = new sqs.Queue(this, 'FrameDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.frameQueue = new sqs.Queue(this, 'FrameQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A message becomes visible again only after the worker's timeout has surely passed, with room for the
      // batching window and retries inside one invocation.
      visibilityTimeout: Duration.seconds(FRAME_WORKER_TIMEOUT.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: this.frameDeadLetterQueue, maxReceiveCount: FRAME_MAX_RECEIVES },
    });

    this.splitterFunction = new HandlerFunction(this, 'VideoSplitter', {
      image: props.image,
      handler: HANDLERS.videoSplit,
      description: 'Samples a video uploaded under uploads/ into frames/ and queues one message per frame',
      memorySize: props.memorySize,
      timeout: Duration.minutes(15),
      // The video and its sampled JPEGs pass through /tmp.
      ephemeralStorageSize: Size.gibibytes(2),
      environment: {
        ...props.environment,
        FRAME_QUEUE_URL: this.frameQueue.queueUrl,
        FRAME_FPS: String(props.frameFps),
        MAX_VIDEO_DURATION_MS: String(props.maxVideoDurationSeconds * 1000),
        MAX_FRAMES: String(props.maxFrames),
      },
      onFailure: props.failedUploadsQueue,
      retryAttempts: 2,
    });
    storage.grantReadObjects(this.splitterFunction, UPLOAD_PREFIX);
    storage.grantWriteObjects(this.splitterFunction, FRAME_PREFIX);
    storage.grantResultsReadWrite(this.splitterFunction);
    this.frameQueue.grantSendMessages(this.splitterFunction);
    // Publishes MediaAnalysisFailed when a video is rejected (too long, too many frames, unreadable).
    bus.grantPutEventsTo(this.splitterFunction);
    storage.notifyOnUpload(this.splitterFunction.function, VIDEO_SUFFIXES);

    this.frameWorkerFunction = new HandlerFunction(this, 'FrameWorker', {
      image: props.image,
      handler: HANDLERS.frameWorker,
      description: 'Classifies the faces in queued video frames and completes the video after its last frame',
      memorySize: props.memorySize,
      timeout: FRAME_WORKER_TIMEOUT,
      // On a frame's last delivery the worker records it as failed rather than let it vanish into the DLQ,
      // so the video still completes.
      environment: { ...props.environment, FRAME_MAX_RECEIVES: String(FRAME_MAX_RECEIVES) },
    });
    storage.grantReadObjects(this.frameWorkerFunction, FRAME_PREFIX);
    storage.grantResultsReadWrite(this.frameWorkerFunction);
    bus.grantPutEventsTo(this.frameWorkerFunction);
    this.frameWorkerFunction.function.addEventSource(
      new SqsEventSource(this.frameQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        // The handler reports the frames that failed; only those are retried (and dead-lettered after three).
        reportBatchItemFailures: true,
      }),
    );
  }
}

import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IMAGE_SUFFIXES, VIDEO_SUFFIXES } from '../service/routing.js';
import { acknowledgeWildcardResource } from './nag.js';

export const DEFAULT_BUS_NAME = 'fer-events';

export interface EventsConstructProps {
  /** @default 'fer-events' */
  readonly busName?: string;
}

/** The functions objects created in other buckets are sent to. */
export interface SourceBucketTargets {
  readonly imageFunction: lambda.IFunction;
  readonly videoFunction: lambda.IFunction;
  /** Where EventBridge puts an event it could not deliver to a function. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * The events side of the service.
 *
 * Out: the custom bus `fer-events`. The handlers publish to it with source `fer.analysis` and detail-type
 * `MediaAnalysisCompleted` (a medium's result is stored) or `MediaAnalysisFailed` (it could not be analysed);
 * the detail is `{ mediaId, mediaType, bucket, key, status, faces?, dominantEmotion?, error? }` (lib/service/
 * ports.ts). Subscribe with a rule on this bus matching `source: ['fer.analysis']`.
 *
 * In: objects created in other buckets. Those buckets must have EventBridge notifications turned on; their
 * "Object Created" events arrive on the account's default bus, where one rule sends images to the image
 * function and another videos to the splitter, which may then read (only read) those buckets' objects.
 */
export class EventsConstruct extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: EventsConstructProps = {}) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName ?? DEFAULT_BUS_NAME });
  }

  /** Analyses every image and video created in the named buckets (no-op for an empty list). */
  analyseObjectsCreatedIn(bucketNames: readonly string[], to: SourceBucketTargets): void {
    if (bucketNames.length === 0) return;
    const routes = [
      { id: 'SourceBucketImagesRule', suffixes: IMAGE_SUFFIXES, fn: to.imageFunction, what: 'images' },
      { id: 'SourceBucketVideosRule', suffixes: VIDEO_SUFFIXES, fn: to.videoFunction, what: 'videos' },
    ];
    for (const route of routes) {
      new events.Rule(this, route.id, {
        description: `Analyses ${route.what} created in ${bucketNames.join(', ')}`,
        // No eventBus: S3 sends its events to the default bus.
        eventPattern: {
          source: ['aws.s3'],
          detailType: ['Object Created'],
          detail: {
            bucket: { name: [...bucketNames] },
            // The handlers route by the lower-cased extension, so the rule ignores case too.
            object: { key: events.Match.anyOf(...route.suffixes.map((suffix) => events.Match.suffixEqualsIgnoreCase(suffix))) },
          },
        },
        targets: [new targets.LambdaFunction(route.fn, { deadLetterQueue: to.deadLetterQueue, retryAttempts: 2 })],
      });
    }

    bucketNames.forEach((name, i) => {
      const objects = s3.Bucket.fromBucketName(this, `SourceBucket${i}`, name).arnForObjects('*');
      for (const fn of [to.imageFunction, to.videoFunction]) {
        acknowledgeWildcardResource(
          fn,
          objects,
          `The function reads objects from the source bucket ${name}, named at deploy time, whose keys are not known in advance; it may only read (s3:GetObject).`,
        );
        iam.Grant.addToPrincipal({ grantee: fn, actions: ['s3:GetObject'], resourceArns: [objects] });
      }
    });
  }
}

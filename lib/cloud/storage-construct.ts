import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct, type IConstruct } from 'constructs';
import { FRAME_PREFIX, UPLOAD_PREFIX } from '../service/routing.js';
import { TABLE_SCHEMA } from '../service/table-schema.js';
import { acknowledge, acknowledgeWildcardResource } from './nag.js';

/** The two key prefixes the handlers use: uploads and sampled video frames. */
export type MediaPrefix = typeof UPLOAD_PREFIX | typeof FRAME_PREFIX;

/** What the handlers do with result items: conditional writes, updates, reads and queries; never a scan. */
const RESULT_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/** CDK's notifications handler is a singleton per stack: acknowledge its findings once. */
const acknowledgedHandlers = new WeakSet<IConstruct>();

export interface StorageConstructProps {
  /** Days before the sampled video frames under `frames/` expire; they are only needed while a video runs. */
  readonly frameRetentionDays: number;
}

/**
 * The media bucket (uploads and sampled frames), its access-log bucket, and the results table. Both data
 * stores keep the default RETAIN removal policy: deleting the stack must not delete users' media or results.
 * Permissions are handed out through the `grant…` methods, each scoped to one key prefix or to the table
 * and its one index.
 */
export class StorageConstruct extends Construct {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageConstructProps) {
    super(scope, id);

    // The media bucket's server access logs. It logs nothing itself (cdk-nag's S1 accepts a bucket that is
    // another bucket's log destination): its own access is S3 log delivery.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
    });

    this.bucket = new s3.Bucket(this, 'MediaBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'media-bucket/',
      // Also publish "Object Created" events to the default EventBridge bus, so other consumers can follow
      // uploads without another S3 notification (S3 allows only non-overlapping notifications per event).
      eventBridgeEnabled: true,
      lifecycleRules: [
        { id: 'ExpireSampledFrames', prefix: FRAME_PREFIX, expiration: Duration.days(props.frameRetentionDays) },
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Browsers upload straight to S3 with the presigned PUT URLs the API hands out. The URL's signature is
      // the credential (scoped to one key, one content length, and a few minutes), so any origin may use it;
      // CORS only decides whether a page on another origin may send the request at all.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT],
          allowedOrigins: ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });

    this.table = new dynamodb.Table(this, 'ResultsTable', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Epoch seconds, set by the handlers from RESULT_TTL_DAYS; items without it never expire.
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      // Media by status and time (lib/service/media-store.ts).
      indexName: TABLE_SCHEMA.statusIndex.name,
      partitionKey: { name: TABLE_SCHEMA.statusIndex.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.statusIndex.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /** Lets `grantee` read objects under one prefix (GetObject, which HeadObject also uses). */
  grantReadObjects(grantee: iam.IGrantable, prefix: MediaPrefix): iam.Grant {
    return this.grantObjects(grantee, prefix, ['s3:GetObject'], 'read');
  }

  /**
   * Lets `grantee` write objects under one prefix. The API needs this to presign upload URLs: a presigned
   * PUT carries the signer's permissions.
   */
  grantWriteObjects(grantee: iam.IGrantable, prefix: MediaPrefix): iam.Grant {
    return this.grantObjects(grantee, prefix, ['s3:PutObject', 's3:AbortMultipartUpload'], 'write');
  }

  /** Lets `grantee` read and write result items, and query the status index; scans are not granted. */
  grantResultsReadWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: RESULT_ITEM_ACTIONS,
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${TABLE_SCHEMA.statusIndex.name}`],
    });
  }

  /**
   * Invokes `fn` (asynchronously, from S3) for every object created under `uploads/` whose key ends in one of
   * `suffixes`.
   */
  notifyOnUpload(fn: lambda.IFunction, suffixes: readonly string[]): void {
    for (const suffix of suffixes) {
      this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), {
        prefix: UPLOAD_PREFIX,
        suffix,
      });
    }
    this.acknowledgeNotificationsHandler();
  }

  private grantObjects(grantee: iam.IGrantable, prefix: MediaPrefix, actions: string[], verb: string): iam.Grant {
    const objects = this.bucket.arnForObjects(`${prefix}*`);
    acknowledgeWildcardResource(
      grantee,
      objects,
      `Object ${verb} access is limited to the ${prefix} prefix of the media bucket; keys under it are made per upload, so a prefix wildcard is the narrowest grant possible.`,
    );
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [objects] });
  }

  /**
   * `addEventNotification` creates CDK's stack-wide BucketNotificationsHandler singleton, an inline function
   * that CloudFormation calls to write the bucket's notification configuration. Its role is CDK's, not ours
   * (its one statement, s3:PutBucketNotification, is scoped to the bucket).
   */
  private acknowledgeNotificationsHandler(): void {
    for (const child of Stack.of(this).node.children) {
      if (!child.node.id.startsWith('BucketNotificationsHandler') || acknowledgedHandlers.has(child)) continue;
      acknowledgedHandlers.add(child);
      acknowledge(
        child,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's BucketNotificationsHandler custom resource function gets AWSLambdaBasicExecutionRole to write its own logs; the construct gives no way to replace that managed policy.",
      );
    }
  }
}

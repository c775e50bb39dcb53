import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAME_WORKER_TIMEOUT } from '../../lib/cloud/video-fanout-construct.js';
import { HANDLERS } from '../../lib/cloud/handlers.js';
import type { FerStack } from '../../lib/cloud/fer-stack.js';
import { IMAGE_SUFFIXES, VIDEO_SUFFIXES } from '../../lib/service/routing.js';
import { actionsOf, arnOf, logicalId, resourcesOf, statementsOfRole, synthFerStack, type PolicyStatement } from './synth.js';

let stack: FerStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthFerStack());
});

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string };
const resourcesOfType = (type: string): Record<string, Resource> => template.findResources(type) as Record<string, Resource>;
const propertiesOf = (id: string): Record<string, any> => (template.toJSON().Resources[id] as Resource).Properties;

const denyWithoutTls = { Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };

describe('media bucket', () => {
  it('blocks all public access and encrypts with S3-managed keys, like its access-log bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('denies every request that does not use TLS, on both buckets', () => {
    const policies = resourcesOfType('AWS::S3::BucketPolicy');
    const buckets = Object.values(policies).map((policy) => policy.Properties.Bucket);

    expect(buckets).toEqual(
      expect.arrayContaining([{ Ref: logicalId(stack.storage.bucket) }, { Ref: logicalId(stack.storage.accessLogBucket) }]),
    );
    template.allResourcesProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(denyWithoutTls)]) },
    });
  });

  it('writes its server access logs to the access-log bucket', () => {
    expect(propertiesOf(logicalId(stack.storage.bucket)).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(stack.storage.accessLogBucket) },
      LogFilePrefix: 'media-bucket/',
    });
  });

  it('expires sampled frames after a day and aborts incomplete multipart uploads', () => {
    const rules = propertiesOf(logicalId(stack.storage.bucket)).LifecycleConfiguration.Rules;

    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'frames/', ExpirationInDays: 1, Status: 'Enabled' }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
      ]),
    );
    const uploadsRule = rules.find((rule: { Prefix?: string }) => rule.Prefix?.startsWith('uploads'));
    expect(uploadsRule).toBeUndefined();
  });

  it('accepts presigned PUT uploads from any origin and nothing else cross-origin', () => {
    expect(propertiesOf(logicalId(stack.storage.bucket)).CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['PUT'], AllowedOrigins: ['*'] }),
    ]);
  });

  it('is kept, with the results table, when the stack is deleted', () => {
    const { Resources } = template.toJSON();

    expect(Resources[logicalId(stack.storage.bucket)].DeletionPolicy).toBe('Retain');
    expect(Resources[logicalId(stack.storage.table)].DeletionPolicy).toBe('Retain');
    expect(JSON.stringify(Resources)).not.toContain('Custom::S3AutoDeleteObjects');
  });
});

describe('results table', () => {
  it('is on-demand with point-in-time recovery and expires items by expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('has pk/sk string keys and the byStatus index on gsi1pk/gsi1sk', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });
});

describe('upload notifications', () => {
  type LambdaNotification = {
    Events: string[];
    Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
    LambdaFunctionArn: unknown;
  };

  const notifications = (): LambdaNotification[] => {
    const [resource] = Object.values(resourcesOfType('Custom::S3BucketNotifications'));
    expect(resource.Properties.BucketName).toEqual({ Ref: logicalId(stack.storage.bucket) });
    return resource.Properties.NotificationConfiguration.LambdaFunctionConfigurations;
  };
  const rule = (notification: LambdaNotification, name: string) =>
    notification.Filter.Key.FilterRules.find((filter) => filter.Name === name)?.Value;

  it('send each image suffix under uploads/ to the image function and each video suffix to the splitter', () => {
    const routed = Object.fromEntries(
      notifications().map((notification) => [rule(notification, 'suffix'), notification.LambdaFunctionArn]),
    );

    const imageFunction = arnOf(stack.inference.imageUploadFunction.function);
    const splitter = arnOf(stack.videoFanout.splitterFunction.function);
    expect(routed).toEqual({
      ...Object.fromEntries(IMAGE_SUFFIXES.map((suffix) => [suffix, imageFunction])),
      ...Object.fromEntries(VIDEO_SUFFIXES.map((suffix) => [suffix, splitter])),
    });
  });

  it('fire on object creation under uploads/ only', () => {
    for (const notification of notifications()) {
      expect(notification.Events).toEqual(['s3:ObjectCreated:*']);
      expect(rule(notification, 'prefix')).toBe('uploads/');
    }
  });

  it('also go to EventBridge', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });
});

describe('video fan-out', () => {
  it('dead-letters a frame message after three receives', () => {
    expect(propertiesOf(logicalId(stack.videoFanout.frameQueue)).RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(stack.videoFanout.frameDeadLetterQueue),
      maxReceiveCount: 3,
    });
  });

  it("tells the frame worker the queue's maxReceiveCount, so it records a frame failing its last delivery", () => {
    const redrive = propertiesOf(logicalId(stack.videoFanout.frameQueue)).RedrivePolicy;
    const environment = propertiesOf(logicalId(stack.videoFanout.frameWorkerFunction.function)).Environment.Variables;

    expect(environment.FRAME_MAX_RECEIVES).toBe(String(redrive.maxReceiveCount));
  });

  it('hides a message for at least six times the frame worker timeout', () => {
    const workerTimeout = propertiesOf(logicalId(stack.videoFanout.frameWorkerFunction.function)).Timeout;
    const visibilityTimeout = propertiesOf(logicalId(stack.videoFanout.frameQueue)).VisibilityTimeout;

    expect(workerTimeout).toBe(FRAME_WORKER_TIMEOUT.toSeconds());
    expect(visibilityTimeout).toBeGreaterThanOrEqual(6 * workerTimeout);
  });

  it('feeds the frame worker batches of ten and retries only the frames it reports as failed', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(stack.videoFanout.frameQueue),
      FunctionName: { Ref: logicalId(stack.videoFanout.frameWorkerFunction.function) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keeps dead letters for 14 days', () => {
    expect(propertiesOf(logicalId(stack.videoFanout.frameDeadLetterQueue)).MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('tells the splitter where to queue frames and the sampling limits', () => {
    expect(propertiesOf(logicalId(stack.videoFanout.splitterFunction.function)).Environment.Variables).toMatchObject({
      FRAME_QUEUE_URL: { Ref: logicalId(stack.videoFanout.frameQueue) },
      FRAME_FPS: '5',
      MAX_VIDEO_DURATION_MS: '600000',
      MAX_FRAMES: '1800',
    });
  });
});

describe('events', () => {
  it('has the fer-events bus for completion events', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'fer-events' });
  });

  it('adds no rules when no source buckets are given', () => {
    template.resourceCountIs('AWS::Events::Rule', 0);
  });
});

describe('queues', () => {
  it('are all encrypted and deny requests without TLS', () => {
    const queues = Object.keys(resourcesOfType('AWS::SQS::Queue'));
    const policies = Object.values(resourcesOfType('AWS::SQS::QueuePolicy'));

    expect(queues).toHaveLength(3);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    for (const queue of queues) {
      const policy = policies.find((candidate) =>
        (candidate.Properties.Queues as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: queue })),
      );
      expect(policy?.Properties.PolicyDocument.Statement, queue).toEqual(expect.arrayContaining([expect.objectContaining(denyWithoutTls)]));
    }
  });

  it('receive the S3-triggered invocations that still fail after two retries', () => {
    const failedUploads = arnOf(stack.inference.failedUploadsQueue);
    for (const fn of [stack.inference.imageUploadFunction, stack.videoFanout.splitterFunction]) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(fn.function) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: failedUploads } },
      });
    }
  });
});

describe('HTTP API', () => {
  it('routes the five endpoints to the API function', () => {
    const routes = Object.values(resourcesOfType('AWS::ApiGatewayV2::Route'));
    const integrations = Object.values(resourcesOfType('AWS::ApiGatewayV2::Integration'));

    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'GET /v1/media',
      'GET /v1/media/{mediaId}',
      'GET /v1/media/{mediaId}/frames',
      'POST /v1/analyze',
      'POST /v1/media',
    ]);
    expect(integrations).toHaveLength(1);
    expect(integrations[0].Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(stack.inference.apiFunction.function),
    });
  });

  it('requires IAM (SigV4) authorization on every route', () => {
    const routes = Object.values(resourcesOfType('AWS::ApiGatewayV2::Route'));

    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    template.resourcePropertiesCountIs('AWS::ApiGatewayV2::Route', { AuthorizationType: 'NONE' }, 0);
  });

  it('logs every request of the $default stage and throttles it', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: arnOf(stack.api.accessLogGroup),
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('publishes its URL and the names of the bucket, table and bus', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'EventBusName', 'MediaBucketName', 'ResultsTableName']);
    expect(outputs.MediaBucketName.Value).toEqual({ Ref: logicalId(stack.storage.bucket) });
    expect(outputs.ResultsTableName.Value).toEqual({ Ref: logicalId(stack.storage.table) });
  });
});

describe('functions', () => {
  const imageFunctions = () =>
    Object.entries(resourcesOfType('AWS::Lambda::Function')).filter(([, fn]) => fn.Properties.PackageType === 'Image');

  it('run one of the declared handlers each, every handler exactly once', () => {
    const commands = imageFunctions().map(([, fn]) => fn.Properties.ImageConfig.Command);

    expect(commands.map((command) => command.length)).toEqual(commands.map(() => 1));
    expect(commands.flat().sort()).toEqual(Object.values(HANDLERS).sort());
  });

  it('all come from the container image, except the inline handler CDK adds for S3 notifications', () => {
    const inline = Object.keys(resourcesOfType('AWS::Lambda::Function')).filter(
      (id) => !imageFunctions().some(([imageId]) => imageId === id),
    );

    expect(imageFunctions()).toHaveLength(4);
    expect(inline).toEqual([expect.stringMatching(/^BucketNotificationsHandler/)]);
  });

  it('run on x86_64 with the default memory and their timeouts', () => {
    const expected = [
      [stack.inference.imageUploadFunction, 120],
      [stack.inference.apiFunction, 29],
      [stack.videoFanout.splitterFunction, 900],
      [stack.videoFanout.frameWorkerFunction, 60],
    ] as const;
    for (const [fn, timeout] of expected) {
      expect(propertiesOf(logicalId(fn.function))).toMatchObject({ Architectures: ['x86_64'], MemorySize: 2048, Timeout: timeout });
    }
  });

  it('get the service settings in their environment', () => {
    for (const [, fn] of imageFunctions()) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        BUCKET_NAME: { Ref: logicalId(stack.storage.bucket) },
        TABLE_NAME: { Ref: logicalId(stack.storage.table) },
        EVENT_BUS_NAME: { Ref: logicalId(stack.events.bus) },
        FER_PROFILE: 'fast',
        MAX_UPLOAD_BYTES: String(50 * 1024 * 1024),
        RESULT_TTL_DAYS: '90',
      });
    }
  });

  it('log to their own log groups, kept for a month', () => {
    for (const [, fn] of imageFunctions()) {
      const logGroup = fn.Properties.LoggingConfig.LogGroup as { Ref: string };
      expect(propertiesOf(logGroup.Ref).RetentionInDays).toBe(30);
    }
  });
});

describe('IAM', () => {
  const allStatements = (): PolicyStatement[] =>
    Object.values(resourcesOfType('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);

  it('never grants S3, DynamoDB or SQS actions on every resource', () => {
    const unscoped = allStatements().filter(
      (statement) =>
        actionsOf(statement).some((action) => /^(s3|dynamodb|sqs):/.test(action)) &&
        resourcesOf(statement).includes('*'),
    );

    expect(unscoped).toEqual([]);
  });

  it('gives no role of ours an AWS managed policy', () => {
    const withManagedPolicies = Object.entries(resourcesOfType('AWS::IAM::Role'))
      .filter(([, role]) => role.Properties.ManagedPolicyArns !== undefined)
      .map(([id]) => id);

    expect(withManagedPolicies).toEqual([expect.stringMatching(/^BucketNotificationsHandler/)]);
  });

  it('lets the frame worker read frames/ and write nothing to S3', () => {
    const s3Statements = statementsOfRole(template, stack.videoFanout.frameWorkerFunction.role).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );

    expect(s3Statements.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    expect(s3Statements.flatMap(resourcesOf)).toEqual([
      { 'Fn::Join': ['', [arnOf(stack.storage.bucket), '/frames/*']] },
    ]);
  });

  it('lets the image function read uploads/ only', () => {
    const s3Statements = statementsOfRole(template, stack.inference.imageUploadFunction.role).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );

    expect(s3Statements.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    expect(s3Statements.flatMap(resourcesOf)).toEqual([
      { 'Fn::Join': ['', [arnOf(stack.storage.bucket), '/uploads/*']] },
    ]);
  });

  it('lets the API function presign uploads under uploads/ but not touch frames/', () => {
    const statements = statementsOfRole(template, stack.inference.apiFunction.role);
    const s3Resources = statements
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')))
      .flatMap(resourcesOf);

    expect(statements.flatMap(actionsOf)).toContain('s3:PutObject');
    expect(JSON.stringify(s3Resources)).not.toContain('frames/');
  });

  it('lets the frame worker use the results table and publish events', () => {
    const actions = statementsOfRole(template, stack.videoFanout.frameWorkerFunction.role).flatMap(actionsOf);

    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query', 'events:PutEvents']));
    expect(actions).not.toContain('dynamodb:Scan');
  });
});

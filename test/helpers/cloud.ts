/**
 * A local cloud for handler tests: dynalite and s3rver on 127.0.0.1 random ports (real HTTP), the service
 * configured against them; SQS and EventBridge (no offline emulators) are aws-sdk-client-mock'ed so the tests
 * can assert the exact requests.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, S3Event, SQSEvent } from 'aws-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { startEmulators, type Emulators } from '../../lib/local/emulators.js';
import { encodeS3Key } from '../../lib/service/object-events.js';
import { configureServices, services } from '../../lib/service/services.js';
import { tempDir } from './fixtures.js';

export const FRAME_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/fer-frames';

export interface TestCloud {
  emulators: Emulators;
  sqs: AwsClientStub<SQSClient>;
  events: AwsClientStub<EventBridgeClient>;
  /** Forgets recorded calls and any behaviour a test added; SQS and EventBridge accept everything again. */
  resetMocks(): void;
  close(): Promise<void>;
}

export async function startTestCloud(settings: Record<string, string> = {}): Promise<TestCloud> {
  const emulators = await startEmulators({ bucket: 'fer-media-test', table: 'fer-results-test', dataDir: tempDir('fer-cloud-') });
  Object.assign(process.env, emulators.env, {
    BUCKET_NAME: emulators.bucket,
    TABLE_NAME: emulators.table,
    FRAME_QUEUE_URL,
    EVENT_BUS_NAME: 'fer-events',
    FER_PROFILE: 'fast',
    FER_QUIET: '1',
    ...settings,
  });
  configureServices({});
  const sqs = mockClient(SQSClient);
  const events = mockClient(EventBridgeClient);
  const resetMocks = () => {
    sqs.reset();
    events.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  };
  resetMocks();
  return {
    emulators,
    sqs,
    events,
    resetMocks,
    async close() {
      sqs.restore();
      events.restore();
      await emulators.close();
    },
  };
}

export function lambdaContext(requestId: string = randomUUID()): Context {
  return { awsRequestId: requestId, functionName: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
}

export function s3Event(bucket: string, objects: { key: string; etag: string; size: number }[]): S3Event {
  return {
    Records: objects.map(({ key, etag, size }) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date().toISOString(),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:TEST' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'ID2' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'uploads',
        bucket: { name: bucket, ownerIdentity: { principalId: 'TEST' }, arn: `arn:aws:s3:::${bucket}` },
        object: { key: encodeS3Key(key), size, eTag: etag, sequencer: '0055AED6DCD90281E5' },
      },
    })),
  };
}

/** Uploads bytes to the emulated bucket and returns what an S3 event would carry about them. */
export async function upload(key: string, body: Buffer, contentType = 'application/octet-stream') {
  const { s3, config } = services();
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: key, Body: body, ContentType: contentType }));
  return { key, etag: ETag!.replace(/"/g, ''), size: body.length };
}

/** SQS events (batches of `batchSize`) carrying the message bodies the splitter sent. */
export function sqsEvents(bodies: string[], batchSize = 10, receiveCount = 1): SQSEvent[] {
  const events: SQSEvent[] = [];
  for (let start = 0; start < bodies.length; start += batchSize) {
    events.push({
      Records: bodies.slice(start, start + batchSize).map((body, i) => ({
        messageId: `msg-${start + i}`,
        receiptHandle: `rh-${start + i}`,
        body,
        attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: String(Date.now()), SenderId: 'TEST', ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:fer-frames',
        awsRegion: 'us-east-1',
      })),
    });
  }
  return events;
}

/** An API Gateway HTTP API (payload 2.0) event, as the Lambda integration delivers it. */
export function httpEvent(
  method: string,
  path: string,
  options: { body?: Buffer | string; query?: Record<string, string>; headers?: Record<string, string> } = {},
): import('aws-lambda').APIGatewayProxyEventV2 {
  const binary = Buffer.isBuffer(options.body);
  const body = options.body === undefined ? undefined : binary ? (options.body as Buffer).toString('base64') : (options.body as string);
  const query = options.query ?? {};
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-length': String(options.body?.length ?? 0), ...options.headers },
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: binary,
  };
}

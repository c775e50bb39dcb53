/**
 * AWS SDK clients, created once per process. Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables, which is how `fer serve` and the tests point them at s3rver and dynalite.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Clients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
  events: EventBridgeClient;
}

let cached: Clients | undefined;

export function createClients(env: NodeJS.ProcessEnv = process.env): Clients {
  const s3Endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return {
    s3: new S3Client({
      // S3 emulators serve path-style URLs only; real S3 needs neither setting.
      forcePathStyle: Boolean(s3Endpoint),
      // Checksums on every request make s3rver store streamed uploads with their chunk trailers (70 bytes too long).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    sqs: new SQSClient({}),
    events: new EventBridgeClient({}),
  };
}

export function clients(): Clients {
  cached ??= createClients();
  return cached;
}

export function resetClients(): void {
  cached = undefined;
}

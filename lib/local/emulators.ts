/**
 * Real protocol emulators on 127.0.0.1: s3rver (S3) and dynalite (DynamoDB), with the bucket and the table
 * the service expects. Used by `fer serve` and by the handler tests, so both talk HTTP to the same servers.
 */
import type { Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { InvalidParameterError } from '../engine/errors.js';
import { TABLE_SCHEMA } from '../service/table-schema.js';

export interface Emulators {
  s3: S3rver;
  s3Endpoint: string;
  dynamoEndpoint: string;
  bucket: string;
  table: string;
  /** The variables that point the AWS SDK (and CLI) at the emulators. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  bucket: string;
  table: string;
  /** Where data is kept between runs; in memory (and a temporary folder for S3) when absent. */
  dataDir: string;
  s3Port?: number;
  dynamoPort?: number;
}

/** Browsers upload through presigned URLs from another origin (the page), so the bucket allows CORS PUTs. */
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/**
 * Fails clearly when a fixed port is taken — s3rver would otherwise die on an unhandled 'error' event. (A port
 * freed and taken again between this check and the real listen is still reported, by listen itself.)
 */
export async function assertPortFree(port: number, what: string, option: string): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new InvalidParameterError(`port ${port} (${what}) is already in use on 127.0.0.1: choose another with ${option}`)
          : error,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function createTable(client: DynamoDBClient, table: string): Promise<void> {
  const { partitionKey, sortKey, statusIndex } = TABLE_SCHEMA;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey, statusIndex.partitionKey, statusIndex.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: statusIndex.name,
            KeySchema: [
              { AttributeName: statusIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: statusIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const s3Dir = join(options.dataDir, 's3');
  const dynamoDir = join(options.dataDir, 'dynamodb');
  mkdirSync(s3Dir, { recursive: true });
  mkdirSync(dynamoDir, { recursive: true });

  await assertPortFree(options.s3Port ?? 0, 'S3', '--s3-port');
  await assertPortFree(options.dynamoPort ?? 0, 'DynamoDB', '--dynamodb-port');
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: options.s3Port ?? 0,
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  const { port: s3Port } = await s3.run();
  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let dynamoPort: number;
  try {
    dynamoPort = await listen(dynamo, options.dynamoPort ?? 0);
  } catch (error) {
    await s3.close();
    throw error;
  }

  const s3Endpoint = `http://127.0.0.1:${s3Port}`;
  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
  const env = {
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region: env.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createTable(client, options.table);
  client.destroy();

  return {
    s3,
    s3Endpoint,
    dynamoEndpoint,
    bucket: options.bucket,
    table: options.table,
    env,
    async close() {
      await s3.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}

/**
 * `fer serve`: the serverless app on one machine. The same handler modules as in AWS, over real S3 and
 * DynamoDB protocols (s3rver, dynalite), with durable local queues standing in for S3 notifications and SQS,
 * and a pool of worker processes standing in for Lambda:
 *
 *   browser/SDK ──HTTP──▶ API handler (this process) ──▶ dynalite, presigned PUT ──▶ s3rver
 *   s3rver "object created" ──▶ uploads queue ──▶ image-upload / video-split handler (worker process)
 *   video-split ──▶ frames queue (SQS-shaped batches of 10) ──▶ frame-worker handler (worker processes)
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, S3EventRecord, SQSEvent } from 'aws-lambda';
import { handler as apiHandler } from '../../functions/api.js';
import type { ProfileName } from '../engine/schema.js';
import { PROJECT_ROOT } from '../engine/paths.js';
import { errorResponse } from '../service/middleware.js';
import { MediaTooLargeError, NotFoundError } from '../engine/errors.js';
import type { FrameMessage } from '../service/ports.js';
import { decodeS3Key, encodeS3Key } from '../service/object-events.js';
import { kindOfKey, UPLOAD_PREFIX } from '../service/routing.js';
import { assertPortFree, startEmulators, type Emulators } from './emulators.js';
import { FileQueue, MAX_RECEIVE_COUNT, useLocalPorts, type QueuedMessage } from './file-queue.js';
import { WorkerPool } from './worker-pool.js';
import type { InvocationResult } from './lambda-child.js';

export interface ServeOptions {
  port: number;
  s3Port: number;
  dynamoPort: number;
  dataDir: string;
  workers: number;
  fps?: number;
  profile?: ProfileName;
  log?: (line: string) => void;
}

export interface LocalServer {
  url: string;
  emulators: Emulators;
  env: Record<string, string>;
  close(): Promise<void>;
}

export const LOCAL_BUCKET = 'fer-media';
export const LOCAL_TABLE = 'fer-results';
/** API Gateway's and Lambda's limits: requests above this never reach a handler in AWS either. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const STATIC_FILES: Record<string, string> = { '/': 'index.html', '/index.html': 'index.html', '/app.js': 'app.js', '/style.css': 'style.css' };
const CONTENT_TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new MediaTooLargeError('PayloadTooLarge', `requests are limited to ${MAX_REQUEST_BYTES} bytes; upload large files with POST /v1/media`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The API Gateway HTTP API (payload 2.0) event for a Node request, as AWS would build it. */
function toApiEvent(request: IncomingMessage, url: URL, body: Buffer): APIGatewayProxyEventV2 {
  const contentType = String(request.headers['content-type'] ?? '');
  const text = /^(application\/json|text\/)/.test(contentType);
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]));
  const query = Object.fromEntries(url.searchParams);
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '', userAgent: headers['user-agent'] ?? '' },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body.length ? (text ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !text,
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.writeHead(result.statusCode ?? 200, { 'cache-control': 'no-store', ...(result.headers as Record<string, string>) });
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : result.body);
}

export async function startLocalServer(options: ServeOptions): Promise<LocalServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  await assertPortFree(options.port, 'the page and API', '--port');
  const emulators = await startEmulators({
    bucket: LOCAL_BUCKET,
    table: LOCAL_TABLE,
    dataDir: options.dataDir,
    s3Port: options.s3Port,
    dynamoPort: options.dynamoPort,
  });
  const queueDir = join(options.dataDir, 'queues');
  const settings: Record<string, string> = {
    ...emulators.env,
    BUCKET_NAME: LOCAL_BUCKET,
    TABLE_NAME: LOCAL_TABLE,
    EVENT_BUS_NAME: '',
    FRAME_QUEUE_URL: 'local',
    FER_FRAME_QUEUE_DIR: join(queueDir, 'frames'),
    FRAME_MAX_RECEIVES: String(MAX_RECEIVE_COUNT),
    ...(options.fps ? { FRAME_FPS: String(options.fps) } : {}),
    ...(options.profile ? { FER_PROFILE: options.profile } : {}),
  };
  Object.assign(process.env, settings);

  const uploads = new FileQueue<{ Records: S3EventRecord[] }>(join(queueDir, 'uploads'));
  const frames = new FileQueue<FrameMessage>(join(queueDir, 'frames'));
  const redelivered = uploads.recover() + frames.recover();
  if (redelivered) log(`fer serve: redelivering ${redelivered} messages that were in flight when the server stopped`);
  useLocalPorts(frames);
  const pool = new WorkerPool(options.workers, { ...process.env, ...settings, FER_QUIET: '1' });

  // S3 notifications: objects created under uploads/ with a known suffix, as the CDK notification filters do.
  emulators.s3.on('event', (event: { Records: S3EventRecord[] }) => {
    const records = event.Records.filter((r) => r.eventName.startsWith('ObjectCreated') && r.s3.object.key.startsWith(UPLOAD_PREFIX) && kindOfKey(r.s3.object.key));
    // s3rver's events carry keys raw; S3's are URL-encoded, and the handlers decode them as such.
    for (const record of records) {
      uploads.send([{ Records: [{ ...record, s3: { ...record.s3, object: { ...record.s3.object, key: encodeS3Key(record.s3.object.key) } } }] }]);
    }
    if (records.length) pump();
  });

  const inflight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inflight.add(work);
    void work.finally(() => {
      inflight.delete(work);
      pump();
    });
  };
  const failed = (queue: string, message: QueuedMessage<unknown>, verdict: 'retry' | 'dead', reason: string) =>
    log(`fer serve: ${queue} message ${message.id} failed (${reason}); ${verdict === 'dead' ? 'moved to dead/' : 'will retry'}`);

  let stopped = false;
  function pump(): void {
    while (!stopped && pool.idle > 0) {
      const [upload] = uploads.receive(1);
      if (upload) {
        const key = decodeS3Key(upload.body.Records[0].s3.object.key);
        const handler = kindOfKey(key) === 'video' ? 'videoSplit' : 'imageUpload';
        // The message id is the request id, so a redelivery reclaims its own lease, as an async Lambda retry does.
        track(
          pool.invoke(handler, upload.body, upload.id).then((result) => {
            if (result.ok) uploads.ack(upload.id);
            else failed('upload', upload, uploads.nack(upload), `${result.error.code}: ${result.error.message}`);
          }),
        );
        continue;
      }
      const batch = frames.receive(10);
      if (batch.length === 0) return;
      const event: SQSEvent = {
        Records: batch.map((message) => ({
          messageId: message.id,
          receiptHandle: message.id,
          body: JSON.stringify(message.body),
          attributes: {
            ApproximateReceiveCount: String(message.receiveCount),
            SentTimestamp: String(message.sentAt),
            SenderId: 'fer-serve',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:local:000000000000:fer-frames',
          awsRegion: 'local',
        })),
      };
      track(
        pool.invoke('frameWorker', event, batch[0].id).then((result: InvocationResult) => {
          const failures = new Set<string>(
            result.ok ? ((result.value as { batchItemFailures?: { itemIdentifier: string }[] }).batchItemFailures ?? []).map((f) => f.itemIdentifier) : batch.map((m) => m.id),
          );
          for (const message of batch) {
            if (failures.has(message.id)) failed('frame', message, frames.nack(message), result.ok ? 'reported by the worker' : result.error.message);
            else frames.ack(message.id);
          }
        }),
      );
    }
  }
  const timer = setInterval(pump, 250);

  const webDir = join(PROJECT_ROOT, 'web');
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    try {
      if (url.pathname.startsWith('/v1/')) {
        const body = await readBody(request);
        const context = { awsRequestId: crypto.randomUUID(), functionName: 'api' } as unknown as Context;
        send(response, (await apiHandler(toApiEvent(request, url, body), context)) as APIGatewayProxyStructuredResultV2);
        return;
      }
      const file = STATIC_FILES[url.pathname];
      if (request.method === 'GET' && file) {
        const content = await readFile(join(webDir, file));
        response.writeHead(200, { 'content-type': CONTENT_TYPES[file.split('.').pop()!], 'cache-control': 'no-cache' });
        response.end(content);
        return;
      }
      send(response, errorResponse(new NotFoundError(`no such page ${url.pathname}`)));
    } catch (error) {
      send(response, errorResponse(error));
      request.resume();
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    // Taken since the check above: stop what was started, or the process would linger.
    stopped = true;
    clearInterval(timer);
    await pool.close();
    await emulators.close();
    throw error;
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pump();

  return {
    url,
    emulators,
    env: emulators.env,
    async close() {
      stopped = true;
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.race([Promise.all(inflight), new Promise((resolve) => setTimeout(resolve, 30_000))]);
      await pool.close();
      await emulators.close();
    },
  };
}

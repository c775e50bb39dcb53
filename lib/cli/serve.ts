/** `fer serve [--port 3000] [--data <dir>] [--workers N] [--fps N] [--profile P]` */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../engine/paths.js';
import { startLocalServer, LOCAL_BUCKET, LOCAL_TABLE } from '../local/server.js';
import { parse, parseNumber, UsageError } from './args.js';
import { parseProfile } from './analyze.js';
export { SERVE_USAGE } from './serve-usage.js';


function port(name: string, value: string | undefined, fallback: number): number {
  const number = parseNumber(name, value, fallback);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new UsageError(`--${name} must be a port number (0 picks a free one)`);
  return number;
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    port: { type: 'string' },
    data: { type: 'string' },
    workers: { type: 'string' },
    fps: { type: 'string' },
    profile: { type: 'string' },
    's3-port': { type: 'string' },
    'dynamodb-port': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`fer serve takes no arguments, got ${positionals.join(' ')}`);
  const httpPort = port('port', values.port, 3000);
  const workers = parseNumber('workers', values.workers, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError('--workers must be an integer from 1 to 64');
  const fps = values.fps === undefined ? undefined : parseNumber('fps', values.fps, 5);
  if (fps !== undefined && !(fps > 0 && fps <= 60)) throw new UsageError('--fps must be above 0 and at most 60');
  const dataDir = resolve(values.data ?? join(PROJECT_ROOT, '.fer-data'));
  // The SDK's notice that its 2027 releases need Node 22 is for deployers (README, "Deploying"), not for every start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const server = await startLocalServer({
    port: httpPort,
    // Next to the HTTP port by default; with --port 0 every port is picked free.
    s3Port: port('s3-port', values['s3-port'], httpPort ? httpPort + 1 : 0),
    dynamoPort: port('dynamodb-port', values['dynamodb-port'], httpPort ? httpPort + 2 : 0),
    dataDir,
    workers,
    fps,
    profile: values.profile ? parseProfile(values.profile) : undefined,
  });
  const { env } = server;
  console.log(
    [
      `fer serve: ${server.url}  (web page and API: POST /v1/analyze, POST /v1/media, GET /v1/media/{id})`,
      `  S3 (s3rver):         ${server.emulators.s3Endpoint}  bucket ${LOCAL_BUCKET} (uploads/ is analysed)`,
      `  DynamoDB (dynalite): ${server.emulators.dynamoEndpoint}  table ${LOCAL_TABLE}`,
      `  workers: ${workers}, data: ${dataDir}`,
      'point the AWS SDK or CLI at them:',
      ...Object.entries(env).map(([k, v]) => `  export ${k}=${v}`),
      `  aws s3 cp photo.jpg s3://${LOCAL_BUCKET}/uploads/photo.jpg`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('fer serve: stopping (work in flight finishes or is redelivered on the next start)');
  await server.close();
  return 0;
}

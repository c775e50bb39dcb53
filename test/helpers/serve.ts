import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';

export interface RunningServer {
  url: string;
  s3Endpoint: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `fer serve` on free ports, as a user would, and waits for it to print its endpoints. */
export function startServe(dataDir: string, extra: string[] = []): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'bin', 'fer.js'), 'serve', '--port', '0', '--data', dataDir, '--workers', '2', ...extra], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`fer serve did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /fer serve: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const s3Endpoint = /AWS_ENDPOINT_URL_S3=(\S+)/.exec(output)?.[1];
      if (url && s3Endpoint) {
        clearTimeout(timeout);
        resolve({
          url,
          s3Endpoint,
          process: child,
          output: () => output,
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`fer serve exited with ${code}:\n${output}`));
    });
  });
}

export async function api(server: RunningServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Polls GET /v1/media/{id} until `done` holds, or fails after `timeoutMs`. */
export async function waitFor(server: RunningServer, mediaId: string, done: (media: any) => boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const response = await api(server, 'GET', `/v1/media/${mediaId}`);
    last = response.body;
    if (response.status === 200 && done(response.body)) return response.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`media ${mediaId} never reached the expected state; last: ${JSON.stringify(last)}`);
}

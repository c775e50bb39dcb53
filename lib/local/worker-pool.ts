/** A pool of `lambda-child` processes: N invocations in parallel, each child one at a time, like Lambda. */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { HandlerKey, Invocation, InvocationResult } from './lambda-child.js';

interface Worker {
  child: ChildProcess;
  busy?: { id: string; resolve: (result: InvocationResult) => void };
}

const CHILD = fileURLToPath(new URL('./lambda-child.js', import.meta.url));

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private closing = false;

  constructor(
    size: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  private spawn(): Worker {
    const child = fork(CHILD, [], { env: this.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker: Worker = { child };
    child.on('message', (result: InvocationResult) => {
      const busy = worker.busy;
      if (busy && busy.id === result.id) {
        worker.busy = undefined;
        busy.resolve(result);
      }
    });
    child.on('exit', (code, signal) => {
      // A crashed child fails its invocation (the message goes back to its queue) and is replaced.
      const busy = worker.busy;
      worker.busy = undefined;
      busy?.resolve({ id: busy.id, ok: false, error: { code: 'InternalError', message: `worker exited (${signal ?? code})` } });
      if (!this.closing) this.workers[this.workers.indexOf(worker)] = this.spawn();
    });
    return worker;
  }

  get idle(): number {
    return this.workers.filter((w) => !w.busy && w.child.connected).length;
  }

  /** Runs a handler in an idle child; call only when `idle > 0`. */
  invoke(handler: HandlerKey, event: unknown, requestId: string): Promise<InvocationResult> {
    const worker = this.workers.find((w) => !w.busy && w.child.connected);
    if (!worker) throw new Error('no idle worker');
    const invocation: Invocation = { id: randomUUID(), requestId, handler, event };
    return new Promise((resolve) => {
      worker.busy = { id: invocation.id, resolve };
      worker.child.send(invocation);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            w.child.kill('SIGTERM');
          }),
      ),
    );
  }
}

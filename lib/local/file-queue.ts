/**
 * A durable local queue with SQS's semantics, kept as files so that nothing is lost when `fer serve` stops:
 *
 *   pending/<id>.json    waiting (a message sent by any process is one atomic rename away from here)
 *   inflight/<id>.json   received, not yet deleted; moved back to pending/ on start (the "visibility timeout"
 *                        of a crashed server) or on failure, with its receive count raised
 *   dead/<id>.json       failed maxReceiveCount times (the dead-letter queue)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsolePublisher, type FrameMessage } from '../service/ports.js';
import { configureServices } from '../service/services.js';

export interface QueuedMessage<T> {
  id: string;
  body: T;
  receiveCount: number;
  sentAt: number;
}

export const MAX_RECEIVE_COUNT = 3;

/** Makes the service queue frames here and print its events: `fer serve` and its workers alike. */
export function useLocalPorts(frames: FileQueue<FrameMessage>): void {
  configureServices({ queue: { send: async (messages) => frames.send(messages) }, events: new ConsolePublisher() });
}

let sequence = 0;

export class FileQueue<T> {
  private readonly pending: string;
  private readonly inflight: string;
  private readonly dead: string;

  constructor(readonly dir: string) {
    this.pending = join(dir, 'pending');
    this.inflight = join(dir, 'inflight');
    this.dead = join(dir, 'dead');
    for (const folder of [this.pending, this.inflight, this.dead]) mkdirSync(folder, { recursive: true });
  }

  /** Ids sort in send order: time, then a per-process counter, then randomness against collisions. */
  private newId(): string {
    sequence = (sequence + 1) % 1e6;
    return `${Date.now().toString().padStart(15, '0')}-${String(sequence).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
  }

  private write(folder: string, message: QueuedMessage<T>): void {
    const tmp = join(this.dir, `.${message.id}.tmp`);
    writeFileSync(tmp, JSON.stringify(message));
    renameSync(tmp, join(folder, `${message.id}.json`));
  }

  send(bodies: readonly T[]): void {
    for (const body of bodies) this.write(this.pending, { id: this.newId(), body, receiveCount: 0, sentAt: Date.now() });
  }

  /** Takes up to `max` messages, oldest first, moving them in flight. */
  receive(max: number): QueuedMessage<T>[] {
    const taken: QueuedMessage<T>[] = [];
    for (const file of readdirSync(this.pending).sort()) {
      if (taken.length >= max) break;
      const target = join(this.inflight, file);
      try {
        renameSync(join(this.pending, file), target);
      } catch {
        continue; // taken by someone else in between
      }
      const message = JSON.parse(readFileSync(target, 'utf8')) as QueuedMessage<T>;
      message.receiveCount += 1;
      writeFileSync(target, JSON.stringify(message));
      taken.push(message);
    }
    return taken;
  }

  /** Deletes a processed message. */
  ack(id: string): void {
    rmSync(join(this.inflight, `${id}.json`), { force: true });
  }

  /** Returns a failed message to the queue, or to dead/ once it has been received MAX_RECEIVE_COUNT times. */
  nack(message: QueuedMessage<T>): 'retry' | 'dead' {
    rmSync(join(this.inflight, `${message.id}.json`), { force: true });
    const verdict = message.receiveCount >= MAX_RECEIVE_COUNT ? 'dead' : 'retry';
    this.write(verdict === 'dead' ? this.dead : this.pending, message);
    return verdict;
  }

  /** On start: whatever was in flight when the last server stopped is delivered again. */
  recover(): number {
    const files = readdirSync(this.inflight);
    for (const file of files) renameSync(join(this.inflight, file), join(this.pending, file));
    return files.length;
  }

}

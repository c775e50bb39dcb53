/**
 * One "Lambda" of `fer serve`: a child process that runs the very handler modules deployed to AWS, one
 * invocation at a time, on events the parent sends over IPC. Frame jobs queued by the splitter go to the
 * durable file queue; completion events are printed as JSON lines.
 */
import type { Context } from 'aws-lambda';
import { handler as frameWorker } from '../../functions/frame-worker.js';
import { handler as imageUpload } from '../../functions/image-upload.js';
import { handler as videoSplit } from '../../functions/video-split.js';
import { toFerError } from '../engine/errors.js';
import { getClassifier } from '../engine/engine.js';
import { config } from '../service/config.js';
import type { FrameMessage } from '../service/ports.js';
import { FileQueue, useLocalPorts } from './file-queue.js';

export type HandlerKey = 'imageUpload' | 'videoSplit' | 'frameWorker';

export interface Invocation {
  id: string;
  requestId: string;
  handler: HandlerKey;
  event: unknown;
}

export type InvocationResult = { id: string; ok: true; value: unknown } | { id: string; ok: false; error: { code: string; message: string } };

const HANDLERS: Record<HandlerKey, (event: never, context: Context) => Promise<unknown>> = {
  imageUpload: imageUpload as never,
  videoSplit: videoSplit as never,
  frameWorker: frameWorker as never,
};

const frames = new FileQueue<FrameMessage>(process.env.FER_FRAME_QUEUE_DIR!);
useLocalPorts(frames);
void getClassifier(config().profile); // warm the model while idle
// If `fer serve` dies, so do its workers: what they held stays in flight and is redelivered on the next start.
process.on('disconnect', () => process.exit(0));

process.on('message', async (invocation: Invocation) => {
  const context = { awsRequestId: invocation.requestId, functionName: invocation.handler, getRemainingTimeInMillis: () => 900_000 } as unknown as Context;
  let result: InvocationResult;
  try {
    result = { id: invocation.id, ok: true, value: await HANDLERS[invocation.handler](invocation.event as never, context) };
  } catch (error) {
    const { code, message } = toFerError(error);
    result = { id: invocation.id, ok: false, error: { code, message } };
  }
  process.send!(result);
});

/**
 * Frame jobs from SQS. Each record is processed on its own; `ReportBatchItemFailures` (via middy's
 * sqs-partial-batch-failure) returns only the failed ones to the queue, so one bad frame does not fail its
 * neighbours. On a frame's last delivery (FRAME_MAX_RECEIVES, the queue's maxReceiveCount) a failure is recorded
 * as a failed frame instead, so the video completes; only a message that cannot even be parsed reaches the DLQ.
 */
import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { log } from '../lib/service/middleware.js';
import { parseFrameMessage } from '../lib/service/pipeline.js';
import { services } from '../lib/service/services.js';

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(
    sqsPartialBatchFailure({
      logger: (reason: unknown, record: { messageId: string }) => log('warn', 'frame failed', { messageId: record.messageId, error: String(reason) }),
    }),
  )
  .handler(async (event) => {
    const { pipeline } = services();
    // One at a time: the engine is CPU-bound on one core, so parallel frames would only interleave.
    const settled: PromiseSettledResult<void>[] = [];
    for (const record of event.Records) {
      try {
        const delivery = Number(record.attributes.ApproximateReceiveCount) || 1;
        settled.push({ status: 'fulfilled', value: await pipeline.processFrame(parseFrameMessage(record.body), delivery) });
      } catch (reason) {
        settled.push({ status: 'rejected', reason });
      }
    }
    return settled as unknown as SQSBatchResponse;
  });

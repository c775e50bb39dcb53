/**
 * Video uploads (same event shapes as image-upload): sample frames at the configured rate, store them under
 * `frames/<mediaId>/`, record the job and fan the frames out to the frame queue.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { forEachObject } from '../lib/service/batch.js';
import { logFailures } from '../lib/service/middleware.js';
import { parseObjectEvent } from '../lib/service/object-events.js';
import { services } from '../lib/service/services.js';

export const handler = middy<unknown, { processed: number }, Error, Context>()
  .use(logFailures())
  .handler(async (event, context) => {
    const { pipeline } = services();
    return forEachObject(parseObjectEvent(event), (ref) => pipeline.splitVideo(ref, context.awsRequestId));
  });

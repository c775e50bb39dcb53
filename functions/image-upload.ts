/**
 * Image uploads: S3 `ObjectCreated` notifications (many records per event), EventBridge "Object Created"
 * events, or a direct invoke `{"bucket", "key"}`. Each object is analysed and its result written; if any
 * failed, the invocation fails after all were tried, so the event reaches the on-failure destination (the
 * records already done are duplicates on retry and change nothing).
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logFailures } from '../lib/service/middleware.js';
import { parseObjectEvent } from '../lib/service/object-events.js';
import { forEachObject } from '../lib/service/batch.js';
import { services } from '../lib/service/services.js';

export const handler = middy<unknown, { processed: number }, Error, Context>()
  .use(logFailures())
  .handler(async (event, context) => {
    const { pipeline } = services();
    return forEachObject(parseObjectEvent(event), (ref) => pipeline.processImage(ref, context.awsRequestId));
  });

/** The pipeline wired to AWS (SQS, EventBridge, the SDK clients), built once per process. */
import { clients, resetClients } from './clients.js';
import { config, resetConfig } from './config.js';
import { MediaStore } from './media-store.js';
import { MediaPipeline, type PipelineDeps } from './pipeline.js';
import { EventBridgePublisher, SqsFrameQueue, type EventPublisher, type FrameQueue } from './ports.js';

export interface Services extends PipelineDeps {
  pipeline: MediaPipeline;
}

let cached: Services | undefined;
let overrides: { queue?: FrameQueue; events?: EventPublisher } = {};

export function services(): Services {
  if (!cached) {
    const { s3, dynamo, sqs, events } = clients();
    const settings = config();
    const deps: PipelineDeps = {
      s3,
      store: new MediaStore(dynamo, settings.tableName, settings.resultTtlDays),
      queue: overrides.queue ?? new SqsFrameQueue(sqs, settings.frameQueueUrl),
      events: overrides.events ?? new EventBridgePublisher(events, settings.eventBusName),
      config: settings,
    };
    cached = { ...deps, pipeline: new MediaPipeline(deps) };
  }
  return cached;
}

/**
 * `fer serve` swaps the queue and the event sink for local ones; both re-read the environment (endpoints,
 * table, bucket) on the next call.
 */
export function configureServices(replacements: { queue?: FrameQueue; events?: EventPublisher }): void {
  overrides = replacements;
  cached = undefined;
  resetConfig();
  resetClients();
}

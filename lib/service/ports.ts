/**
 * The two outward edges of the pipeline that differ between AWS and `fer serve`: where frame jobs are
 * queued (SQS / a local durable queue) and where completion events go (EventBridge / the local server).
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One SQS message per sampled frame: keys, never pixels. */
export interface FrameMessage {
  mediaId: string;
  jobId: string;
  bucket: string;
  frameKey: string;
  index: number;
  timestampMs: number;
}

export interface FrameQueue {
  send(messages: readonly FrameMessage[]): Promise<void>;
}

export const EVENT_SOURCE = 'fer.analysis';
export type AnalysisEventType = 'MediaAnalysisCompleted' | 'MediaAnalysisFailed';

export interface AnalysisEvent {
  mediaId: string;
  mediaType: 'image' | 'video';
  bucket?: string;
  key?: string;
  status: 'COMPLETED' | 'FAILED';
  faces?: number;
  dominantEmotion?: string | null;
  error?: { code: string; message: string };
}

export interface EventPublisher {
  publish(type: AnalysisEventType, detail: AnalysisEvent): Promise<void>;
}

/** SendMessageBatch takes at most 10 entries a call. */
export const SQS_BATCH = 10;

export class SqsFrameQueue implements FrameQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: readonly FrameMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH) {
      const batch = messages.slice(start, start + SQS_BATCH);
      const { Failed } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message) => ({ Id: String(message.index), MessageBody: JSON.stringify(message) })),
        }),
      );
      if (Failed?.length) {
        // The splitter fails as a whole and is retried; frames already queued are idempotent in the worker.
        throw new Error(`SQS refused ${Failed.length} frame messages: ${Failed.map((f) => `${f.Id} ${f.Code}`).join(', ')}`);
      }
    }
  }
}

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly events: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(type: AnalysisEventType, detail: AnalysisEvent): Promise<void> {
    if (!this.busName) return;
    const { FailedEntryCount, Entries } = await this.events.send(
      new PutEventsCommand({ Entries: [{ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: type, Detail: JSON.stringify(detail) }] }),
    );
    if (FailedEntryCount) throw new Error(`EventBridge refused the ${type} event: ${Entries?.[0]?.ErrorMessage ?? 'unknown error'}`);
  }
}

/** Events as JSON lines on stdout: what `fer serve` does instead of EventBridge. */
export class ConsolePublisher implements EventPublisher {
  async publish(type: AnalysisEventType, detail: AnalysisEvent): Promise<void> {
    console.log(JSON.stringify({ event: type, source: EVENT_SOURCE, detail }));
  }
}

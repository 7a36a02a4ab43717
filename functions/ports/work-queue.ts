export interface QueueMessage {
  /** Unique within one send call. */
  id: string;
  body: string;
}

/** A work queue (SQS in AWS, in process locally). */
export interface WorkQueue {
  /** Enqueues all messages or throws EnqueueError. */
  send(messages: QueueMessage[]): Promise<void>;
}

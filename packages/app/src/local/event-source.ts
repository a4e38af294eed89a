import {
  DeleteMessageCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext, LocalFunction } from './functions';

export interface EventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly fn: LocalFunction;
  /** Messages per invocation (the mapping's BatchSize). */
  readonly batchSize: number;
  /** The mapping reports partial batch failures (`ReportBatchItemFailures`). */
  readonly reportBatchItemFailures: boolean;
  /** Pollers running side by side, like Lambda's concurrent invocations. */
  readonly concurrency: number;
}

/**
 * Feeds an SQS queue to a function the way Lambda's event source mapping does: receive up
 * to BatchSize messages, invoke, delete what succeeded, and leave what failed on the queue
 * for redelivery (SQS moves it to the DLQ after the redrive policy's maxReceiveCount).
 * A failed message is not touched: the processor sets its retry delay itself
 * (RETRY_DELAYS_SECONDS, 1 s locally).
 */
export class SqsEventSource {
  private running = false;
  private pollers: Promise<void>[] = [];

  constructor(private readonly options: EventSourceOptions) {}

  public start(): void {
    this.running = true;
    this.pollers = Array.from({ length: this.options.concurrency }, () => this.poll());
  }

  /** Stops polling and waits for invocations in flight. */
  public async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.pollers);
  }

  private async poll(): Promise<void> {
    const { sqs, queueUrl, batchSize } = this.options;
    while (this.running) {
      try {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            AttributeNames: ['All'], // older emulators read only this name
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages?.length) await this.invoke(Messages);
      } catch (err) {
        // Ctrl-C reaches moto (same process group) as it reaches us: an error in the moment
        // before stop() is called is part of shutting down, not worth reporting.
        await new Promise((r) => setTimeout(r, 1000));
        if (this.running) {
          process.stderr.write(
            `local event source ${this.options.fn.name}: ${(err as Error).message}\n`,
          );
        }
      }
    }
  }

  private async invoke(messages: Message[]): Promise<void> {
    const { sqs, queueUrl, fn } = this.options;
    let failed: Set<string>;
    try {
      const response = (await fn.handler(this.event(messages), lambdaContext(fn))) as
        SQSBatchResponse | undefined;
      failed = new Set(
        this.options.reportBatchItemFailures
          ? (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier)
          : [],
      );
    } catch (err) {
      // The invocation failed as a whole: every message of the batch goes back, and, as
      // Lambda logs an invocation error, it is printed.
      process.stderr.write(
        `local event source ${fn.name}: the invocation failed, ${messages.length} message(s) left for redelivery: ${(err as Error)?.stack ?? String(err)}\n`,
      );
      failed = new Set(messages.map((m) => m.MessageId!));
    }
    for (const message of messages) {
      const receipt = { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle };
      // A failed message is left as the function left it, as Lambda does: visible again
      // after the delay the processor set, or else the queue's visibility timeout.
      if (!failed.has(message.MessageId!)) await sqs.send(new DeleteMessageCommand(receipt));
    }
  }

  private event(messages: Message[]): SQSEvent {
    return {
      Records: messages.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: m.Attributes as unknown as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: this.options.queueArn,
        awsRegion: this.options.region,
      })),
    };
  }
}

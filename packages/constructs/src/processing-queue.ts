import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of the {@link ProcessingQueue}. */
export interface ProcessingQueueProps {
  /** Name of the processing queue; the DLQ gets the same name with `-dlq`. */
  readonly queueName: string;
  /** How long a received message stays hidden: at least the processor's timeout. */
  readonly visibilityTimeout: Duration;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
}

/** The processing queue (long polling, SQS-managed encryption, TLS only) and its DLQ. */
export class ProcessingQueue extends Construct {
  /** Jobs waiting for the processor. */
  public readonly queue: sqs.Queue;
  /** Jobs whose message failed {@link ProcessingQueueProps.maxReceiveCount} receives. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ProcessingQueueProps) {
    super(scope, id);
    const secure = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...secure,
      queueName: `${props.queueName}-dlq`,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...secure,
      queueName: props.queueName,
      visibilityTimeout: props.visibilityTimeout,
      receiveMessageWaitTime: Duration.seconds(20),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
    });
  }
}

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher } from '../ports';

/** SNS subjects are limited to 100 printable ASCII characters. */
const MAX_SUBJECT = 100;

/** Alerts on the platform's SNS alert topic; the message is JSON. */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly topicArn: string,
    private readonly client: SNSClient = new SNSClient({}),
  ) {}

  async publish(subject: string, message: Record<string, unknown>): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_SUBJECT),
        Message: JSON.stringify(message),
      }),
    );
  }
}

import {
  createLogger,
  loadConfig,
  PlatformMetrics,
  setCorrelationId,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { FailDeadLetter } from './fail-dead-letter';
import { DynamoDbJobStore } from '../adapters/dynamodb-job-store';
import { SnsAlertPublisher } from '../adapters/sns-alert-publisher';

const config = loadConfig(['stage', 'tableName', 'alertTopicArn']);
const logger = createLogger('dlq-processor');
const metrics = new PlatformMetrics(config.stage);
const failDeadLetter = new FailDeadLetter({
  jobs: new DynamoDbJobStore(config.tableName),
  alerts: new SnsAlertPublisher(config.alertTopicArn),
  logger,
  metrics,
});

/**
 * Dead-letter-queue consumer: fails the job and alerts. Only a record whose table or topic
 * call failed is reported back, so SQS retries just that one.
 */
export const handler = withDeploymentProbe(
  'dlq-processor',
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      setCorrelationId(logger, record.messageId);
      try {
        await failDeadLetter.execute({
          messageId: record.messageId,
          body: record.body,
          receiveCount: record.attributes?.ApproximateReceiveCount,
        });
      } catch (err) {
        logger.error('could not record the dead letter; it will be retried', err as Error);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    metrics.publish();
    return { batchItemFailures };
  },
);

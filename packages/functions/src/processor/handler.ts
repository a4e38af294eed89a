import {
  createLogger,
  loadConfig,
  setCorrelationId,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ProcessJob } from './process-job';
import { injectedFaultFrom, maxPagesFrom } from './settings';
import { createAnalyser } from '../adapters/analyser';
import { s3Client } from '../adapters/aws-clients';
import { DynamoDbJobStore } from '../adapters/dynamodb-job-store';
import { S3ObjectStore } from '../adapters/s3-object-store';
import { SqsJobQueue } from '../adapters/sqs-job-queue';
import { parseJobMessage } from '../domain/job-message';
import { PdfReader, pdfWorkerFile } from '../pdf/pdf-reader';

const config = loadConfig(['tableName', 'bucketName', 'queueUrl', 'analyser', 's3ForcePathStyle']);
const logger = createLogger('processor');
const processJob = new ProcessJob({
  jobs: new DynamoDbJobStore(config.tableName),
  objects: new S3ObjectStore(config.bucketName, s3Client(config.s3ForcePathStyle)),
  queue: new SqsJobQueue(config.queueUrl),
  analyser: createAnalyser(config.analyser),
  reader: new PdfReader({ workerFile: pdfWorkerFile() }),
  maxPages: maxPagesFrom(process.env),
  fault: injectedFaultFrom(process.env),
  logger,
});

/**
 * Processing-queue consumer. A record that fails for a reason that may pass is reported in
 * `batchItemFailures` so SQS redelivers only it (and after 3 receives moves it to the DLQ).
 */
export const handler = withDeploymentProbe(
  'processor',
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      const jobId = parseJobMessage(record.body);
      setCorrelationId(logger, jobId ?? record.messageId);
      if (!jobId) {
        // Left to fail into the DLQ, whose processor raises an alert about it.
        logger.error('message is not {"job_id": …}', { message_id: record.messageId });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        const outcome = await processJob.execute(jobId, () => context.getRemainingTimeInMillis());
        logger.info('message handled', { job_id: jobId, outcome });
      } catch (err) {
        logger.error('processing failed; the message will be redelivered', err as Error);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  },
);

import {
  createLogger,
  loadConfig,
  modelPricesFrom,
  PlatformMetrics,
  setCorrelationId,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ProcessJob } from './process-job';
import {
  crashRateFrom,
  injectedFaultFrom,
  maxPagesFrom,
  retryDelayFor,
  retryDelaysFrom,
} from './settings';
import { createAnalyser } from '../adapters/analyser';
import { DynamoDbJobStore } from '../adapters/dynamodb-job-store';
import { ModelRetryLaterError } from '../adapters/gemini-analyser';
import { S3FetchObjectStore } from '../adapters/s3-fetch-store';
import { SqsJobQueue } from '../adapters/sqs-job-queue';
import { parseJobMessage } from '../domain/job-message';
import { PdfReader, pdfWorkerFile } from '../pdf/pdf-reader';

const config = loadConfig(['stage', 'tableName', 'bucketName', 'queueUrl', 'analyser']);
// the model's key parameter matters only to the gemini analyser
const modelApiKeyParameter = process.env.MODEL_API_KEY_PARAMETER;
const logger = createLogger('processor');
const retryDelays = retryDelaysFrom(process.env);
const queue = new SqsJobQueue(config.queueUrl);
const metrics = new PlatformMetrics(config.stage, modelPricesFrom(process.env));
const processJob = new ProcessJob({
  jobs: new DynamoDbJobStore(config.tableName),
  objects: new S3FetchObjectStore(config.bucketName),
  queue,
  analyser: createAnalyser({ analyser: config.analyser, modelApiKeyParameter }),
  reader: new PdfReader({ workerFile: pdfWorkerFile() }),
  metrics,
  maxPages: maxPagesFrom(process.env),
  fault: injectedFaultFrom(process.env),
  crashRate: crashRateFrom(process.env),
  logger,
});

/**
 * Processing-queue consumer. A record that fails for a reason that may pass is reported in
 * `batchItemFailures` so SQS redelivers only it (and after 3 receives moves it to the DLQ),
 * after `RETRY_DELAYS_SECONDS` (10 s, 1 min, 5 min) or the delay the model asked for.
 */
export const handler = withDeploymentProbe(
  'processor',
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    try {
      await handleRecords(event, context, batchItemFailures);
    } finally {
      metrics.publish();
    }
    return { batchItemFailures };
  },
);

async function handleRecords(
  event: SQSEvent,
  context: Context,
  batchItemFailures: SQSBatchItemFailure[],
): Promise<void> {
  for (const record of event.Records) {
    const jobId = parseJobMessage(record.body);
    setCorrelationId(logger, jobId ?? record.messageId);
    if (!jobId) {
      // Left to fail into the DLQ, whose processor raises an alert about it.
      logger.error('message is not {"job_id": …}', { message_id: record.messageId });
      await queue.retryLater(record.receiptHandle, 0).catch(() => undefined); // no use waiting
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await processJob.execute(jobId, () => context.getRemainingTimeInMillis());
      logger.info('message handled', { job_id: jobId, outcome });
    } catch (err) {
      // Retried after a short delay (or when the model said), not the visibility timeout.
      const delaySeconds =
        err instanceof ModelRetryLaterError
          ? Math.min(43_200, err.retryAfterSeconds)
          : retryDelayFor(retryDelays, Number(record.attributes?.ApproximateReceiveCount));
      logger.error('processing failed; the message will be redelivered', {
        job_id: jobId,
        retry_in_seconds: delaySeconds,
        error: err as Error,
      });
      await queue.retryLater(record.receiptHandle, delaySeconds).catch((e: Error) =>
        logger.warn('could not set the retry delay; the visibility timeout applies', {
          job_id: jobId,
          error: e,
        }),
      );
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
}

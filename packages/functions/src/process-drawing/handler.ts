import {
  createLogger,
  loadConfig,
  PlatformMetrics,
  setCorrelationId,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CreateUpload } from './create-upload';
import { readAnySubmission } from './read-submission';
import { maxDrawingBytesFrom } from './settings';
import { SubmitDrawing } from './submit-drawing';
import { DynamoDbJobStore } from '../adapters/dynamodb-job-store';
import { S3FetchObjectStore } from '../adapters/s3-fetch-store';
import { S3PresignedUrls } from '../adapters/s3-presigned-urls';
import { SqsJobQueue } from '../adapters/sqs-job-queue';
import { loadCallers, requireCaller } from '../http/caller';
import { errorResponse, header, json } from '../http/responses';

const config = loadConfig(['stage', 'tableName', 'bucketName', 'queueUrl', 'maxUploadBytes']);
const maxDrawingBytes = maxDrawingBytesFrom(process.env);
const callers = loadCallers();
const logger = createLogger('process-drawing');
const metrics = new PlatformMetrics(config.stage);
const submitDrawing = new SubmitDrawing({
  jobs: new DynamoDbJobStore(config.tableName),
  objects: new S3FetchObjectStore(config.bucketName),
  queue: new SqsJobQueue(config.queueUrl),
  logger,
  metrics,
  maxUploadBytes: maxDrawingBytes,
});
const createUpload = new CreateUpload(new S3PresignedUrls(config.bucketName), maxDrawingBytes);

/**
 * `POST /uploads`: a presigned PUT for a large drawing → 201.
 * `POST /process-drawing`: a multipart upload of a PDF drawing, or JSON naming an upload →
 * 202 with the queued job.
 */
export const handler = withDeploymentProbe(
  'process-drawing',
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    setCorrelationId(logger, event.requestContext?.requestId ?? 'unknown');
    try {
      const caller = requireCaller(event, callers);
      const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
      const contentType = header(event.headers, 'content-type');
      if (event.resource === '/uploads') {
        return json(201, await createUpload.execute(contentType, body, caller.caller.name));
      }
      const submission = readAnySubmission(contentType, body, config.maxUploadBytes);
      return json(202, await submitDrawing.execute(submission, caller));
    } catch (err) {
      return errorResponse(err, logger);
    } finally {
      metrics.publish();
    }
  },
);

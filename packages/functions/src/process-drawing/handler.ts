import {
  createLogger,
  loadConfig,
  setCorrelationId,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readSubmission } from './read-submission';
import { SubmitDrawing } from './submit-drawing';
import { s3Client } from '../adapters/aws-clients';
import { DynamoDbJobStore } from '../adapters/dynamodb-job-store';
import { S3ObjectStore } from '../adapters/s3-object-store';
import { SqsJobQueue } from '../adapters/sqs-job-queue';
import { errorResponse, header, json } from '../http/responses';

const config = loadConfig([
  'tableName',
  'bucketName',
  'queueUrl',
  'maxUploadBytes',
  's3ForcePathStyle',
]);
const logger = createLogger('process-drawing');
const submitDrawing = new SubmitDrawing({
  jobs: new DynamoDbJobStore(config.tableName),
  objects: new S3ObjectStore(config.bucketName, s3Client(config.s3ForcePathStyle)),
  queue: new SqsJobQueue(config.queueUrl),
  logger,
});

/** `POST /process-drawing`: multipart upload of a PDF drawing → 202 with the queued job. */
export const handler = withDeploymentProbe(
  'process-drawing',
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    setCorrelationId(logger, event.requestContext?.requestId ?? 'unknown');
    try {
      const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
      const submission = readSubmission(
        header(event.headers, 'content-type'),
        body,
        config.maxUploadBytes,
      );
      return json(202, await submitDrawing.execute(submission));
    } catch (err) {
      return errorResponse(err, logger);
    }
  },
);

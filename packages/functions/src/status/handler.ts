import {
  createLogger,
  loadConfig,
  setCorrelationId,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GetJobStatus } from './get-job-status';
import { DynamoDbJobStore } from '../adapters/dynamodb-job-store';
import { S3DownloadLinks } from '../adapters/s3-download-links';
import { pathParameter } from '../http/params';
import { errorResponse, json } from '../http/responses';

const config = loadConfig(['tableName', 'bucketName']);
const logger = createLogger('status');
const getJobStatus = new GetJobStatus(
  new DynamoDbJobStore(config.tableName),
  new S3DownloadLinks(config.bucketName),
);

/** `GET /status/{job_id}`: the job's progress, and its result or error once finished. */
export const handler = withDeploymentProbe(
  'status',
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const jobId = pathParameter(event, 'job_id');
    setCorrelationId(logger, jobId ?? event.requestContext?.requestId ?? 'unknown');
    try {
      return json(200, await getJobStatus.execute(jobId));
    } catch (err) {
      return errorResponse(err, logger);
    }
  },
);

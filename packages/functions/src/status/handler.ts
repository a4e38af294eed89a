import {
  createLogger,
  loadConfig,
  setCorrelationId,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GetJobStatus } from './get-job-status';
import { ListJobs } from './list-jobs';
import { DynamoDbJobStore } from '../adapters/dynamodb-job-store';
import { S3PresignedUrls } from '../adapters/s3-presigned-urls';
import { pathParameter, queryParameters } from '../http/params';
import { errorResponse, json } from '../http/responses';

const config = loadConfig(['tableName', 'bucketName']);
const logger = createLogger('status');
const jobs = new DynamoDbJobStore(config.tableName);
const getJobStatus = new GetJobStatus(jobs, new S3PresignedUrls(config.bucketName));
const listJobs = new ListJobs(jobs);

/**
 * `GET /status/{job_id}`: the job's progress, and its result or error once finished.
 * `GET /jobs`: a page of jobs by client or status.
 */
export const handler = withDeploymentProbe(
  'status',
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    if (event.resource === '/jobs') {
      setCorrelationId(logger, event.requestContext?.requestId ?? 'unknown');
      try {
        return json(200, await listJobs.execute(queryParameters(event)));
      } catch (err) {
        return errorResponse(err, logger);
      }
    }
    const jobId = pathParameter(event, 'job_id');
    setCorrelationId(logger, jobId ?? event.requestContext?.requestId ?? 'unknown');
    try {
      return json(200, await getJobStatus.execute(jobId));
    } catch (err) {
      return errorResponse(err, logger);
    }
  },
);

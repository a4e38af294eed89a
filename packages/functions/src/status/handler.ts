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
import { loadCallers, requireCaller } from '../http/caller';
import { pathParameter, queryParameters } from '../http/params';
import { errorResponse, json } from '../http/responses';

const config = loadConfig(['tableName', 'bucketName']);
const logger = createLogger('status');
const jobs = new DynamoDbJobStore(config.tableName);
const getJobStatus = new GetJobStatus(jobs, new S3PresignedUrls(config.bucketName));
const listJobs = new ListJobs(jobs);
const callers = loadCallers();

/**
 * `GET /status/{job_id}`: the job's progress, and its result or error once finished.
 * `GET /jobs`: a page of the caller's jobs, by client or status.
 * Only the caller that created a job sees it.
 */
export const handler = withDeploymentProbe(
  'status',
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    if (event.resource === '/jobs') {
      setCorrelationId(logger, event.requestContext?.requestId ?? 'unknown');
      try {
        const { caller } = requireCaller(event, callers);
        return json(200, await listJobs.execute(queryParameters(event), caller.name));
      } catch (err) {
        return errorResponse(err, logger);
      }
    }
    const jobId = pathParameter(event, 'job_id');
    setCorrelationId(logger, jobId ?? event.requestContext?.requestId ?? 'unknown');
    try {
      const { caller } = requireCaller(event, callers);
      return json(200, await getJobStatus.execute(jobId, caller));
    } catch (err) {
      return errorResponse(err, logger);
    }
  },
);

import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CheckFailedError } from '../errors';
import { invokeFunction } from './invoke-function';
import { syntheticDrawingPdf } from '../post-traffic/synthetic-drawing';
import type { Check } from '../pre-traffic/validate-deployment';

/** Where the synthetic job goes in, is followed, and leaves data to remove. */
export interface SyntheticJobTargets {
  /** The submitting function's alias (`process-drawing:live`): the path users' jobs take. */
  readonly submitFunctionArn: string;
  /** The status function's alias (`status:live`). */
  readonly statusFunctionArn: string;
  /** The jobs table, whose record of the job is removed once it finished. */
  readonly tableName: string;
  /** The drawings bucket, whose objects of the job are removed once it finished. */
  readonly bucketName: string;
}

/** The client name every synthetic job carries, so reports can leave them out. */
export const SYNTHETIC_CLIENT = 'synthetic';
/**
 * The API key id the synthetic job's requests carry: the construct's `synthetic` caller owns
 * it, and no API Gateway key id has a dash, so no client's key can act as it.
 */
export const SYNTHETIC_KEY_ID = 'synthetic-job';
/** Where a job keeps its objects, by job id: the drawing, stage outputs, results. */
const JOB_PREFIXES = ['drawings', 'jobs', 'results'];

interface JobView {
  readonly status?: string;
  readonly error?: { code?: string; message?: string };
  readonly result?: { total_components?: number };
}

/**
 * After traffic shifted: a synthetic job goes through the platform end to end. A tiny built-in
 * drawing is submitted through the submitting function's alias, as API Gateway would pass it
 * (client `synthetic`), and followed through the status function's alias until it is
 * `completed`. A job that ends `failed` fails the check with its code. Once the job has
 * finished, its record and objects are removed; a job still running when the hook gives up
 * is left to finish (removing it under the processor would dead-letter it), and the failure
 * says so.
 */
export class SyntheticJobCheck implements Check {
  public readonly name = 'synthetic-job';
  /**
   * A job may wait out a model rate limit or a retry delay (10 s after a first failure):
   * three minutes, where the other checks get one, so a slow model does not roll back a
   * good version. The hook's Lambda timeout is five.
   */
  public readonly budgetMs = 180_000;

  constructor(
    private readonly clients: { lambda: LambdaClient; dynamodb: DynamoDBClient; s3: S3Client },
    private readonly targets: SyntheticJobTargets,
    private readonly pollMs = 1_000,
  ) {}

  public async run(signal: AbortSignal): Promise<string> {
    const started = Date.now();
    const jobId = await this.submit(signal);
    let job: JobView;
    for (;;) {
      job = await this.status(jobId, signal);
      if (job.status === 'completed' || job.status === 'failed') break;
      if (signal.aborted) {
        throw new CheckFailedError(
          this.name,
          `synthetic job ${jobId} was still ${job.status} when the hook had to report; left to finish`,
        );
      }
      await sleep(this.pollMs, signal);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const removed = await this.remove(jobId, signal);
    if (job.status === 'failed') {
      throw new CheckFailedError(
        this.name,
        `synthetic job ${jobId} failed after ${seconds} s: ${job.error?.code}: ${job.error?.message}`,
      );
    }
    return `synthetic job ${jobId} completed in ${seconds} s with ${job.result?.total_components} components; removed its record and ${removed} objects`;
  }

  private async submit(signal: AbortSignal): Promise<string> {
    const boundary = `synthetic-${Date.now().toString(36)}`;
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(
        field('client_name', SYNTHETIC_CLIENT) +
          field('project_name', 'post-traffic hook') +
          `--${boundary}\r\nContent-Disposition: form-data; name="drawing_file"; filename="synthetic.pdf"\r\n` +
          'Content-Type: application/pdf\r\n\r\n',
      ),
      syntheticDrawingPdf(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await this.invoke(
      this.targets.submitFunctionArn,
      {
        httpMethod: 'POST',
        resource: '/process-drawing',
        path: '/process-drawing',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: body.toString('base64'),
        isBase64Encoded: true,
      },
      signal,
    );
    const jobId =
      response.statusCode === 202 ? (response.body as { job_id?: string }).job_id : undefined;
    if (!jobId) {
      throw new CheckFailedError(
        this.name,
        `submitting the synthetic job answered ${response.statusCode}: ${JSON.stringify(response.body).slice(0, 500)}`,
      );
    }
    return jobId;
  }

  private async status(jobId: string, signal: AbortSignal): Promise<JobView> {
    const response = await this.invoke(
      this.targets.statusFunctionArn,
      {
        httpMethod: 'GET',
        resource: '/status/{job_id}',
        path: `/status/${jobId}`,
        pathParameters: { job_id: jobId },
        headers: {},
      },
      signal,
    );
    if (response.statusCode !== 200) {
      throw new CheckFailedError(
        this.name,
        `the status of synthetic job ${jobId} answered ${response.statusCode}: ${JSON.stringify(response.body).slice(0, 500)}`,
      );
    }
    return response.body as JobView;
  }

  /** Calls an API function as API Gateway's proxy integration would; its status and JSON body. */
  private async invoke(
    functionArn: string,
    event: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<{ statusCode: number; body: unknown }> {
    const answer = await invokeFunction(
      this.clients.lambda,
      functionArn,
      {
        ...event,
        requestContext: {
          requestId: `synthetic-${Date.now()}`,
          identity: { apiKeyId: SYNTHETIC_KEY_ID },
        },
      },
      signal,
      this.name,
    );
    try {
      const { statusCode, body } = answer as { statusCode: number; body: string };
      return { statusCode, body: JSON.parse(body) };
    } catch (err) {
      throw new CheckFailedError(
        this.name,
        `${functionArn} answered no API response: ${JSON.stringify(answer).slice(0, 500)}`,
        { cause: err },
      );
    }
  }

  /** Removes a finished job's record and objects; how many objects went. */
  private async remove(jobId: string, signal: AbortSignal): Promise<number> {
    const { dynamodb, s3 } = this.clients;
    const { bucketName: bucket } = this.targets;
    let removed = 0;
    for (const prefix of JOB_PREFIXES) {
      const { Contents = [] } = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/${jobId}/` }),
        { abortSignal: signal },
      );
      if (Contents.length === 0) continue;
      const { Errors = [] } = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: Contents.map(({ Key }) => ({ Key })), Quiet: true },
        }),
        { abortSignal: signal },
      );
      if (Errors.length > 0) {
        throw new CheckFailedError(
          this.name,
          `could not remove ${Errors.length} objects of synthetic job ${jobId}: ${Errors[0].Code} ${Errors[0].Key}`,
        );
      }
      removed += Contents.length;
    }
    await dynamodb.send(
      new DeleteItemCommand({ TableName: this.targets.tableName, Key: { job_id: { S: jobId } } }),
      { abortSignal: signal },
    );
    return removed;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

import {
  isJobId,
  ValidationError,
  type JobError,
  type JobStatus,
  type ProcessingStage,
  type ResultSummary,
} from '@security-assistant/layer-common';
import { mayRead, type Caller } from '../domain/callers';
import { JobNotFoundError } from '../errors';
import type { DownloadLinks, JobStore } from '../ports';

/** Results can be downloaded for one hour after the status call. */
export const DOWNLOAD_URL_TTL_SECONDS = 60 * 60;

/** The body of `GET /status/{job_id}`. */
export interface JobStatusView {
  readonly job_id: string;
  readonly status: JobStatus;
  readonly client_name: string;
  readonly project_name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly stages_completed: ProcessingStage[];
  readonly current_stage: ProcessingStage | null;
  readonly last_checkpoint: string | null;
  readonly result?: ResultView;
  readonly error?: JobError;
}

/** A completed job's result: counts, warnings, and links to the files (never storage keys). */
export type ResultView = Omit<ResultSummary, 'result_key' | 'csv_key'> & {
  /** The components as JSON, presigned for `download_expires_in` seconds. */
  readonly download_url: string;
  /** The component schedule as CSV, presigned likewise. */
  readonly csv_download_url: string;
  readonly download_expires_in: number;
};

export class GetJobStatus {
  constructor(
    private readonly jobs: JobStore,
    private readonly links: DownloadLinks,
  ) {}

  /** The job, for its owner only: another caller's job is a 404 like one that never existed. */
  async execute(jobId: string | undefined, caller: Caller): Promise<JobStatusView> {
    if (!jobId || !isJobId(jobId)) {
      const shown = JSON.stringify((jobId ?? '').slice(0, 100));
      throw new ValidationError(
        'INVALID_JOB_ID',
        `${shown} is not a job id (job_<13 digits>_<12 hex>)`,
      );
    }
    const job = await this.jobs.get(jobId);
    if (!job || !mayRead(caller, job)) throw new JobNotFoundError(`job ${jobId} does not exist`);
    return {
      job_id: job.job_id,
      status: job.status,
      client_name: job.client_name,
      project_name: job.project_name,
      created_at: job.created_at,
      updated_at: job.updated_at,
      stages_completed: job.stages_completed,
      // a finished job is in no stage any more (stages_completed says how far it got)
      current_stage:
        job.status === 'completed' || job.status === 'failed' ? null : (job.current_stage ?? null),
      last_checkpoint: job.last_checkpoint ?? null,
      ...(job.status === 'completed' &&
        job.result && { result: await this.resultView(job.result) }),
      ...(job.status === 'failed' && job.error && { error: job.error }),
    };
  }

  private async resultView(result: ResultSummary): Promise<ResultView> {
    const { result_key: resultKey, csv_key: csvKey, ...summary } = result;
    const [json, csv] = await Promise.all([
      this.links.presignGet(resultKey, DOWNLOAD_URL_TTL_SECONDS),
      this.links.presignGet(csvKey, DOWNLOAD_URL_TTL_SECONDS),
    ]);
    return {
      ...summary,
      download_url: json,
      csv_download_url: csv,
      download_expires_in: DOWNLOAD_URL_TTL_SECONDS,
    };
  }
}

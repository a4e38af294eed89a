import { JOB_TTL_SECONDS, newJobId, type Job, type Logger } from '@security-assistant/layer-common';
import { uploadKey } from './create-upload';
import { sanitiseFilename, type DrawingSubmission } from './read-submission';
import type { ResolvedCaller } from '../domain/callers';
import { isPdf, HEADER_WINDOW } from '../domain/pdf';
import {
  ForbiddenError,
  PayloadTooLargeError,
  QueueUnavailableError,
  UnsupportedMediaTypeError,
  UploadNotFoundError,
} from '../errors';
import type { JobMetrics, JobQueue, JobStore, ObjectStore } from '../ports';

export interface SubmitDrawingDeps {
  readonly jobs: JobStore;
  readonly objects: ObjectStore;
  readonly queue: JobQueue;
  readonly logger: Logger;
  /** Where accepted jobs are counted. */
  readonly metrics?: JobMetrics;
  /** The largest drawing accepted through an upload. */
  readonly maxUploadBytes: number;
  readonly now?: () => Date;
}

export interface SubmittedJob {
  readonly job_id: string;
  readonly status: 'queued';
}

/**
 * Stores the drawing, records the job as queued and queues it. When queueing fails the
 * job and its files are removed again, so no job exists that nothing will ever process.
 */
export class SubmitDrawing {
  constructor(private readonly deps: SubmitDrawingDeps) {}

  async execute(submission: DrawingSubmission, by: ResolvedCaller): Promise<SubmittedJob> {
    const { jobs, objects, queue, logger } = this.deps;
    const { clients, name } = by.caller;
    if (clients && !clients.includes(submission.clientName)) {
      throw new ForbiddenError(
        'CLIENT_NOT_ALLOWED',
        `caller ${name} may not submit for client ${JSON.stringify(submission.clientName.slice(0, 200))}`,
      );
    }
    const now = this.deps.now?.() ?? new Date();
    const jobId = newJobId(now);
    const at = now.toISOString();
    let drawingKey = `drawings/${jobId}/${
      'filename' in submission.drawing ? submission.drawing.filename : 'drawing.pdf'
    }`;
    const keys = [drawingKey];

    const metadata = { 'job-id': jobId, client: submission.clientName, stage: 'submitted' };
    if ('uploadId' in submission.drawing) {
      const source = await this.checkUpload(submission.drawing.uploadId, name);
      drawingKey = `drawings/${jobId}/${source.filename}`;
      keys[0] = drawingKey;
      await objects.copy(source.key, drawingKey, 'application/pdf', metadata);
    } else {
      await objects.put(drawingKey, submission.drawing.data, 'application/pdf', metadata);
    }
    if (submission.context) {
      const contextKey = `drawings/${jobId}/context/${submission.context.filename}`;
      keys.push(contextKey);
      await objects.put(contextKey, submission.context.data, 'application/octet-stream', metadata);
    }
    const job: Job = {
      job_id: jobId,
      status: 'queued',
      client_name: submission.clientName,
      project_name: submission.projectName,
      drawing_key: drawingKey,
      created_at: at,
      updated_at: at,
      stages_completed: [],
      expires_at: Math.floor(now.getTime() / 1000) + JOB_TTL_SECONDS,
      owner: name,
      submitted_by: by.submittedBy,
    };
    try {
      await jobs.create(job);
    } catch (err) {
      await this.removeQuietly(keys, undefined);
      throw err;
    }
    try {
      await queue.send({ job_id: jobId });
    } catch (err) {
      logger.error('could not queue the job; removing it', err as Error);
      await this.removeQuietly(keys, jobId);
      throw new QueueUnavailableError('the processing queue is unavailable; try again later', {
        cause: err,
      });
    }
    logger.info('job queued', { job_id: jobId, drawing_key: drawingKey });
    this.deps.metrics?.jobSubmitted();
    return { job_id: jobId, status: 'queued' };
  }

  /**
   * The uploaded object, once it exists, is the caller's, fits the limit and is a PDF;
   * 404/413/415 otherwise (another caller's upload is a 404, as if it did not exist).
   */
  private async checkUpload(
    uploadId: string,
    owner: string,
  ): Promise<{ key: string; filename: string }> {
    const { objects, maxUploadBytes } = this.deps;
    const key = uploadKey(uploadId);
    const info = await objects.head(key);
    if (!info || info.metadata.owner !== owner) {
      throw new UploadNotFoundError(
        `nothing was uploaded for ${uploadId}; PUT the drawing to its upload_url first (it expires after an hour)`,
      );
    }
    if (info.size > maxUploadBytes) {
      throw new PayloadTooLargeError(
        `the upload is ${info.size} bytes; the limit is ${maxUploadBytes} bytes`,
      );
    }
    const head = await objects.getRange(key, 0, HEADER_WINDOW + 4);
    if (!head || !isPdf(head)) {
      throw new UnsupportedMediaTypeError(
        'NOT_A_PDF',
        `the upload ${uploadId} is not a PDF document`,
      );
    }
    return { key, filename: sanitiseFilename(info.metadata.filename, 'drawing.pdf') };
  }

  private async removeQuietly(keys: string[], jobId: string | undefined): Promise<void> {
    const removals = keys.map((key) => this.deps.objects.delete(key));
    if (jobId) removals.push(this.deps.jobs.delete(jobId));
    for (const outcome of await Promise.allSettled(removals)) {
      if (outcome.status === 'rejected') {
        this.deps.logger.error(
          'clean-up after a failed submission failed',
          outcome.reason as Error,
        );
      }
    }
  }
}

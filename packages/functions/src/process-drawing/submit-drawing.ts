import { JOB_TTL_SECONDS, newJobId, type Job, type Logger } from '@security-assistant/layer-common';
import { QueueUnavailableError } from '../errors';
import type { JobQueue, JobStore, ObjectStore } from '../ports';
import type { DrawingSubmission } from './read-submission';

export interface SubmitDrawingDeps {
  readonly jobs: JobStore;
  readonly objects: ObjectStore;
  readonly queue: JobQueue;
  readonly logger: Logger;
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

  async execute(submission: DrawingSubmission): Promise<SubmittedJob> {
    const { jobs, objects, queue, logger } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const jobId = newJobId(now);
    const at = now.toISOString();
    const drawingKey = `drawings/${jobId}/${submission.drawing.filename}`;
    const keys = [drawingKey];

    await objects.put(drawingKey, submission.drawing.data, 'application/pdf');
    if (submission.context) {
      const contextKey = `drawings/${jobId}/context/${submission.context.filename}`;
      keys.push(contextKey);
      await objects.put(contextKey, submission.context.data, 'application/octet-stream');
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
    return { job_id: jobId, status: 'queued' };
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

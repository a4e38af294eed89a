import type { Logger } from '@security-assistant/layer-common';
import { parseJobMessage } from '../domain/job-message';
import type { AlertPublisher, JobMetrics, JobStore } from '../ports';

/** A message the processing queue gave up on. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /**
   * SQS's ApproximateReceiveCount. It is not reset by the move to the dead-letter queue, so
   * it also counts this function's own receive: logged, never put in the job's reason.
   */
  readonly receiveCount: string | undefined;
}

export interface FailDeadLetterDeps {
  readonly jobs: JobStore;
  readonly alerts: AlertPublisher;
  readonly logger: Logger;
  /** Where dead-lettered and failed jobs are counted. */
  readonly metrics?: JobMetrics;
  readonly now?: () => Date;
}

export const PROCESSING_FAILED = 'PROCESSING_FAILED';

/**
 * Marks the job of a dead-lettered message failed (unless it finished meanwhile) and alerts
 * operators. A malformed message cannot name a job, but is still alerted on.
 */
export class FailDeadLetter {
  constructor(private readonly deps: FailDeadLetterDeps) {}

  async execute(letter: DeadLetter): Promise<void> {
    const { jobs, alerts, logger } = this.deps;
    const jobId = parseJobMessage(letter.body);
    if (!jobId) {
      logger.error('malformed dead-letter message', {
        message_id: letter.messageId,
        body: letter.body.slice(0, 500),
      });
      await alerts.publish('Security Assistant: malformed message in the dead-letter queue', {
        job_id: null,
        reason: 'the message body is not {"job_id": …}',
        message_id: letter.messageId,
        body: letter.body.slice(0, 1000),
      });
      return;
    }
    const job = await jobs.get(jobId);
    const lastStage = job?.stages_completed[job.stages_completed.length - 1] ?? 'none';
    const reason =
      'processing failed on every attempt and the message went to the dead-letter queue ' +
      `(last completed stage: ${lastStage})`;
    const marked = job
      ? await jobs.fail(jobId, { code: PROCESSING_FAILED, message: reason }, this.now())
      : false;
    this.deps.metrics?.jobDeadLettered();
    if (marked) this.deps.metrics?.jobFailed(PROCESSING_FAILED);
    logger.error('job dead-lettered', {
      job_id: jobId,
      reason,
      approximate_receive_count: letter.receiveCount,
      known_job: Boolean(job),
      marked_failed: marked,
      status_before: job?.status,
    });
    await alerts.publish(`Security Assistant: job ${jobId} failed`, {
      job_id: jobId,
      reason,
      code: PROCESSING_FAILED,
      marked_failed: marked,
      message_id: letter.messageId,
    });
  }

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }
}

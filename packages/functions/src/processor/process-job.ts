import {
  nextStage,
  PermanentJobError,
  TransientJobError,
  type Logger,
  type ProcessingStage,
} from '@security-assistant/layer-common';
import type { JobQueue, JobStore } from '../ports';
import { InvocationCache } from './invocation-cache';
import type { InjectedFault } from './settings';
import { STAGES, type StageDeps } from './stages';

/**
 * A stage is not started with less time than this left; the job continues in a fresh
 * invocation instead of being cut off mid-stage.
 */
export const SAFETY_MARGIN_MS = 60_000;

export interface ProcessJobDeps extends StageDeps {
  readonly jobs: JobStore;
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** A failure forced on purpose (tests only). */
  readonly fault?: InjectedFault;
  /** The share of stages that crash after their work, before their checkpoint (tests only). */
  readonly crashRate?: number;
}

export type ProcessOutcome = 'completed' | 'continued' | 'failed' | 'unknown' | 'already-finished';

/**
 * Runs a job's remaining stages in order, checkpointing after each, so a redelivered or
 * continued message resumes after the last completed stage. Permanent errors fail the job;
 * any other error is thrown, leaving the checkpoint for SQS's redelivery.
 */
export class ProcessJob {
  constructor(private readonly deps: ProcessJobDeps) {}

  async execute(jobId: string, remainingMillis: () => number): Promise<ProcessOutcome> {
    const { jobs, queue, logger } = this.deps;
    const job = await jobs.startProcessing(jobId, this.now());
    if (!job) {
      logger.warn('no such job; dropping the message', { job_id: jobId });
      return 'unknown';
    }
    if (job === 'finished') {
      logger.info('job already finished; nothing to do', { job_id: jobId });
      return 'already-finished';
    }
    const completed: ProcessingStage[] = [...job.stages_completed];
    const stageDeps = { ...this.deps, objects: new InvocationCache(this.deps.objects) };
    try {
      for (let stage = nextStage(completed); stage; stage = nextStage(completed)) {
        // The clock is read once per stage; the stage counts down from that reading.
        const left = remainingMillis();
        const stageStarted = Date.now();
        const stageRemaining = () => left - (Date.now() - stageStarted);
        // The first stage of an invocation always runs, so every invocation makes progress.
        if (completed.length > job.stages_completed.length && left < SAFETY_MARGIN_MS) {
          await queue.send({ job_id: jobId });
          logger.info('time is short; continuing in a new invocation', {
            job_id: jobId,
            next: stage,
          });
          return 'continued';
        }
        const { fault } = this.deps;
        if (fault && fault.stage === stage && job.client_name === fault.clientName) {
          throw new TransientJobError(`fault injected for tests at stage ${stage}`);
        }
        const result = await STAGES[stage](job, stageDeps, { remainingMillis: stageRemaining });
        if (this.deps.crashRate && Math.random() < this.deps.crashRate) {
          throw new Error(`crash injected for tests after ${stage}, before its checkpoint`);
        }
        await jobs.checkpoint(jobId, stage, this.now(), result ?? undefined);
        completed.push(stage);
        const durationMs = Date.now() - stageStarted;
        logger.info('stage completed', { job_id: jobId, stage, duration_ms: durationMs });
        this.deps.metrics?.stageCompleted(stage, durationMs);
      }
      this.deps.metrics?.jobCompleted(
        Math.max(0, (this.deps.now?.() ?? new Date()).getTime() - Date.parse(job.created_at)),
      );
      return 'completed';
    } catch (err) {
      if (!(err instanceof PermanentJobError)) throw err;
      logger.warn('job failed permanently', {
        job_id: jobId,
        code: err.code,
        error_message: err.message, // `message` is the log line's own key in Powertools
      });
      if (await jobs.fail(jobId, { code: err.code, message: err.message }, this.now())) {
        this.deps.metrics?.jobFailed(err.code);
      }
      return 'failed';
    }
  }

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }
}

import type {
  DrawingComponent,
  Job,
  JobError,
  JobMessage,
  ModelUsage,
  ProcessingStage,
  ResultSummary,
} from '@security-assistant/layer-common';

/** Where jobs are kept (the jobs table). */
export interface JobStore {
  /** Stores a new job; fails if a job with the same id exists. */
  create(job: Job): Promise<void>;
  get(jobId: string): Promise<Job | undefined>;
  delete(jobId: string): Promise<void>;
  /** Moves a queued (or interrupted) job to `processing`; false when it is already finished. */
  startProcessing(jobId: string, at: string): Promise<boolean>;
  /**
   * Records that `stage` completed: appends it to `stages_completed` and sets
   * `current_stage`, `last_checkpoint` and `updated_at`. With `result`, the job is completed.
   */
  checkpoint(
    jobId: string,
    stage: ProcessingStage,
    at: string,
    result?: ResultSummary,
  ): Promise<void>;
  /** Marks the job failed unless it already finished; false when it had. */
  fail(jobId: string, error: JobError, at: string): Promise<boolean>;
}

/** Drawings, intermediate stage outputs and results (the bucket). */
export interface ObjectStore {
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when there is no such object. */
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
}

/** Time-limited links to stored results. */
export interface DownloadLinks {
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
}

/** What the processor learns from reading a drawing. */
export interface DrawingReadout {
  readonly pageCount: number;
  /** The text layer, line by line (only from `extract`). */
  readonly text: string[];
  /** Damage that did not stop the reading. */
  readonly warnings: string[];
}

/**
 * Reads drawings (pdf.js, off the request thread). Failures the drawing causes are
 * PermanentJobErrors: NOT_A_PDF, INVALID_PDF, PDF_ENCRYPTED, TOO_MANY_PAGES, PDF_TOO_COMPLEX.
 */
export interface DrawingReader {
  inspect(pdf: Buffer, maxPages: number, remainingMillis?: () => number): Promise<DrawingReadout>;
  extract(pdf: Buffer, maxPages: number, remainingMillis?: () => number): Promise<DrawingReadout>;
}

/** The processing queue. */
export interface JobQueue {
  send(message: JobMessage): Promise<void>;
}

/** Where operators are told about failures. */
export interface AlertPublisher {
  publish(subject: string, message: Record<string, unknown>): Promise<void>;
}

/** What the analyser is given: the drawing and the text its pages show. */
export interface DrawingInput {
  readonly jobId: string;
  readonly pdf: Buffer;
  readonly text: readonly string[];
  /** Milliseconds left in the invocation: an analyser never waits past this. */
  readonly remainingMillis?: () => number;
}

/** What an analyser found, and what it cost when a model was used. */
export interface AnalysisResult {
  readonly components: DrawingComponent[];
  readonly usage?: ModelUsage;
}

/** Finds the security components on a drawing (offline text reader, or a model). */
export interface DrawingAnalyser {
  analyse(input: DrawingInput): Promise<AnalysisResult>;
}

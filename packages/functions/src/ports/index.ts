import type {
  DrawingComponent,
  Job,
  JobError,
  JobMessage,
  JobStatus,
  ModelUsage,
  ProcessingStage,
  ResultSummary,
} from '@security-assistant/layer-common';
import type { TextLine } from '../domain/text-layout';

/** Where jobs are kept (the jobs table). */
export interface JobStore {
  /** Stores a new job; fails if a job with the same id exists. */
  create(job: Job): Promise<void>;
  get(jobId: string): Promise<Job | undefined>;
  delete(jobId: string): Promise<void>;
  /**
   * Moves a queued (or interrupted) job to `processing` and returns it, in one call:
   * `'finished'` when it already is, undefined when there is no such job.
   */
  startProcessing(jobId: string, at: string): Promise<Job | 'finished' | undefined>;
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
  /** One page of jobs, newest first, by client or by status (through the GSIs). */
  list(query: JobQuery): Promise<JobPage>;
}

/** Which jobs to list: by client (optionally of one status), or by status. */
export interface JobQuery {
  /** Whose jobs: only a caller's own are ever listed. */
  readonly owner: string;
  readonly clientName?: string;
  readonly status?: JobStatus;
  readonly limit: number;
  /** Where the previous page ended (the store's own key), to continue after it. */
  readonly startKey?: Record<string, string>;
}

export interface JobPage {
  readonly jobs: Job[];
  /** Where this page ended, when more may follow. */
  readonly lastKey?: Record<string, string>;
}

/** Who an object belongs to, stored with it (S3 user metadata): job id, client, stage. */
export type ObjectMetadata = Record<string, string>;

/** What is known of a stored object without reading it. */
export interface ObjectInfo {
  readonly size: number;
  readonly contentType?: string;
  readonly metadata: ObjectMetadata;
}

/** Drawings, intermediate stage outputs and results (the bucket). */
export interface ObjectStore {
  put(
    key: string,
    body: Buffer | string,
    contentType: string,
    metadata?: ObjectMetadata,
  ): Promise<void>;
  /** The object's bytes, or undefined when there is no such object. */
  get(key: string): Promise<Buffer | undefined>;
  /** Bytes `start`..`end` (inclusive) of the object, or undefined when there is no such object. */
  getRange(key: string, start: number, end: number): Promise<Buffer | undefined>;
  /** Size, type and metadata, or undefined when there is no such object. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Copies an object inside the bucket (server-side), replacing its metadata. */
  copy(
    fromKey: string,
    toKey: string,
    contentType: string,
    metadata: ObjectMetadata,
  ): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What a presigned upload is bound to: the client must send exactly these. */
export interface UploadBinding {
  readonly contentType: string;
  readonly contentLength: number;
  readonly metadata: ObjectMetadata;
}

/** Time-limited links to stored objects. */
export interface DownloadLinks {
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
}

/** Time-limited links to upload one object, bound to its type, length and metadata. */
export interface UploadLinks {
  /** The URL and the headers the PUT must carry. */
  presignPut(
    key: string,
    binding: UploadBinding,
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string> }>;
}

/** What the processor learns from reading a drawing. */
export interface DrawingReadout {
  readonly pageCount: number;
  /** The text layer, line by line with each word's place (only from `extract`). */
  readonly lines: TextLine[];
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
  /** Makes a received message visible again after `delaySeconds` (its retry). */
  retryLater(receiptHandle: string, delaySeconds: number): Promise<void>;
}

/** Where operators are told about failures. */
export interface AlertPublisher {
  publish(subject: string, message: Record<string, unknown>): Promise<void>;
}

/** What the analyser is given: the drawing and the text its pages show. */
export interface DrawingInput {
  readonly jobId: string;
  readonly pdf: Buffer;
  readonly lines: readonly TextLine[];
  /** Milliseconds left in the invocation: an analyser never waits past this. */
  readonly remainingMillis?: () => number;
}

/** What an analyser found, and what it cost when a model was used. */
export interface AnalysisResult {
  readonly components: DrawingComponent[];
  readonly usage?: ModelUsage;
  /** What the analyser could not read, for the job's warnings. */
  readonly warnings?: string[];
}

/** Finds the security components on a drawing (offline text reader, or a model). */
export interface DrawingAnalyser {
  analyse(input: DrawingInput): Promise<AnalysisResult>;
}

/**
 * Where the platform's metrics go (layer-common's PlatformMetrics: EMF lines through
 * Powertools Metrics). Handlers publish them at the end of each invocation.
 */
export interface JobMetrics {
  jobSubmitted(): void;
  stageCompleted(processingStage: string, durationMs: number): void;
  jobCompleted(durationMs: number): void;
  jobFailed(code: string): void;
  jobDeadLettered(): void;
  modelUsage(usage: ModelUsage): void;
}

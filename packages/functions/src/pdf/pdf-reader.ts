import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfigError, PermanentJobError } from '@security-assistant/layer-common';
import type { PdfReadout, ReadPdfRequest } from './read-pdf';
import type { WorkerRequest, WorkerResponse } from './worker';
import { DEFAULT_PDF_LIMITS, tooComplex, type PdfLimits } from '../domain/pdf';

export type { PdfReadout } from './read-pdf';

/**
 * Where the PDF worker's bundle is: next to the handler in Lambda (`LAMBDA_TASK_ROOT`, which
 * the local platform sets too), else the package's built bundle (tests run the sources).
 * Read once at module load, like the rest of a function's configuration.
 */
export function pdfWorkerFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAMBDA_TASK_ROOT) return join(env.LAMBDA_TASK_ROOT, 'pdf.worker.mjs');
  if (typeof __dirname === 'undefined') {
    // the ES module bundle outside Lambda: nothing says where it was deployed
    throw new ConfigError('LAMBDA_TASK_ROOT must name the directory of the processor bundle');
  }
  return resolve(__dirname, '../../dist/processor/pdf.worker.mjs');
}

export interface PdfReaderOptions {
  readonly workerFile: string;
  readonly limits?: Partial<PdfLimits>;
  /** Worker threads kept; a Lambda instance reads one drawing at a time. */
  readonly poolSize?: number;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * Reads drawings in worker threads, so a heavy drawing never blocks the thread that answers
 * (the local platform serves its API from the same process) and can be stopped: a read that
 * outlives `maxSeconds`, or a worker that runs out of heap, fails the job with
 * PDF_TOO_COMPLEX and the worker is replaced.
 */
export class PdfReader {
  private readonly limits: PdfLimits;
  private readonly poolSize: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private nextId = 0;

  constructor(private readonly options: PdfReaderOptions) {
    this.limits = { ...DEFAULT_PDF_LIMITS, ...options.limits };
    this.poolSize = options.poolSize ?? Math.max(1, Math.min(4, availableParallelism()));
  }

  /** Checks the drawing and counts its pages (the `validation` stage). */
  inspect(pdf: Buffer, maxPages: number, remainingMillis?: () => number): Promise<PdfReadout> {
    return this.read(pdf, { maxPages, withText: false, limits: this.limits }, remainingMillis);
  }

  /** Reads the drawing's text layer, line by line (the `pdf_processing` stage). */
  extract(pdf: Buffer, maxPages: number, remainingMillis?: () => number): Promise<PdfReadout> {
    return this.read(pdf, { maxPages, withText: true, limits: this.limits }, remainingMillis);
  }

  /** Stops every worker (tests, and the local platform's shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private async read(
    pdf: Buffer,
    request: ReadPdfRequest,
    remainingMillis?: () => number,
  ): Promise<PdfReadout> {
    const slot = await this.acquire();
    const id = this.nextId++;
    const budgetMs = Math.min(
      this.limits.maxSeconds * 1000,
      remainingMillis ? Math.max(1000, remainingMillis() - 10_000) : Infinity,
    );
    try {
      return await new Promise<PdfReadout>((resolvePromise, reject) => {
        const { worker } = slot;
        const done = () => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const retire = (error: Error) => {
          done();
          this.retire(slot);
          reject(error);
        };
        const timer = setTimeout(
          () =>
            retire(
              budgetMs < this.limits.maxSeconds * 1000
                ? new Error('the invocation ran out of time while reading the drawing')
                : tooComplex(`reading it took longer than ${this.limits.maxSeconds} s`),
            ),
          budgetMs,
        );
        const onMessage = (response: WorkerResponse) => {
          if (response.id !== id) return;
          done();
          if ('readout' in response) {
            resolvePromise(response.readout);
          } else {
            const { code, message, permanent } = response.error;
            reject(
              permanent && code
                ? new PermanentJobError(code, message)
                : new Error(`PDF worker: ${message}`),
            );
          }
        };
        const onError = (err: Error & { code?: string }) =>
          retire(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? tooComplex(`reading it needs more than ${this.limits.maxHeapMb} MB of memory`)
              : new Error(`PDF worker failed: ${err.message}`),
          );
        const onExit = (code: number) => retire(new Error(`PDF worker exited (code ${code})`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        const message: WorkerRequest = { ...request, id, bytes: pdf };
        worker.postMessage(message);
      });
    } finally {
      this.release(slot);
    }
  }

  private async acquire(): Promise<Slot> {
    const idle = this.slots.find((slot) => !slot.busy);
    if (idle) return this.claim(idle);
    if (this.slots.length < this.poolSize) {
      const worker = new Worker(this.options.workerFile, {
        resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb },
      });
      const slot: Slot = { worker, busy: false };
      this.slots.push(slot);
      return this.claim(slot);
    }
    return new Promise((resolveSlot) => this.waiting.push(resolveSlot));
  }

  private claim(slot: Slot): Slot {
    slot.busy = true;
    slot.worker.ref();
    return slot;
  }

  private release(slot: Slot): void {
    slot.busy = false;
    if (!this.slots.includes(slot)) {
      // retired: a waiting read gets a new worker instead
      const next = this.waiting.shift();
      if (next) void this.acquire().then(next);
      return;
    }
    const next = this.waiting.shift();
    if (next) {
      next(this.claim(slot));
    } else {
      // An idle worker does not keep the process (or a test run) alive.
      slot.worker.unref();
    }
  }

  private retire(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    void slot.worker.terminate();
  }
}

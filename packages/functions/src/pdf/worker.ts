import { parentPort } from 'node:worker_threads';
import { PermanentJobError } from '@security-assistant/layer-common';
import { readPdf, type ReadPdfRequest } from './read-pdf';

/** A request from PdfReader: the drawing's bytes and what to read. */
export interface WorkerRequest extends ReadPdfRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
}

/** The answer: the readout, or the error with its code (PermanentJobError) when it has one. */
export type WorkerResponse =
  | { readonly id: number; readonly readout: Awaited<ReturnType<typeof readPdf>> }
  | { readonly id: number; readonly error: { permanent: boolean; code?: string; message: string } };

// The entry of `pdf.worker.mjs`, the processor's PDF worker thread.
parentPort?.on('message', async (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: request.id, readout: await readPdf(request.bytes, request) };
  } catch (err) {
    // Class names do not survive minification: say whether the failure is the drawing's.
    const { message, code } = err as Error & { code?: string };
    response = {
      id: request.id,
      error: { permanent: err instanceof PermanentJobError, code, message },
    };
  }
  parentPort!.postMessage(response);
});

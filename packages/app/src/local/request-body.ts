import type { IncomingMessage, ServerResponse } from 'node:http';

/** API Gateway's payload limit for a REST API request. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** What reading a request body found. */
export interface ReadBody {
  /** The whole body, when it was kept and arrived within the limit. */
  readonly body?: Buffer;
  /** Whether the client finished sending; false when more than the limit came first. */
  readonly ended: boolean;
}

/**
 * Reads the request body up to `MAX_BODY_BYTES`, keeping it or discarding it as it arrives.
 * It never stops the stream midway: that would close a socket with unread data in it, and the
 * client, still sending, would see a connection reset instead of the answer.
 */
export function readBody(req: IncomingMessage, keep = true): Promise<ReadBody> {
  if (req.readableEnded) return Promise.resolve({ body: Buffer.alloc(0), ended: true });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: ReadBody) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return done({ ended: false });
      if (keep) chunks.push(chunk);
    };
    const onEnd = () => done({ body: keep ? Buffer.concat(chunks) : undefined, ended: true });
    const onError = () => done({ ended: false });
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * For a client still sending past the limit: answer with `connection: close`, then, once the
 * answer is flushed, half-close and go on discarding what arrives until the client closes (or
 * 10 s pass), so the answer is read before the connection ends, as API Gateway's is.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => {
    req.resume();
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 10_000).unref();
  });
}

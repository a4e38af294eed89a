import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the stand-in. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** JSON-encoded unless a string. */
  readonly body?: unknown;
  /** Answer only after this long (a slow model). */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
}

export interface ModelStandIn {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A stand-in for the Gemini API on 127.0.0.1: each `generateContent` call gets the next
 * scripted answer (the last one repeats), or what `script(call)` returns. The Files API is served too: a resumable start
 * answers with an upload URL, the upload answers an ACTIVE file.
 */
export async function startModelStandIn(
  script: ScriptedAnswer[] | ((call: number) => ScriptedAnswer),
): Promise<ModelStandIn> {
  const requests: RecordedRequest[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({
        method: req.method!,
        path,
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      let answer: ScriptedAnswer;
      if (path.startsWith('/upload/v1beta/files') && !path.includes('upload_id=')) {
        answer = {
          status: 200,
          headers: { 'x-goog-upload-url': `${base}/upload/v1beta/files?upload_id=u1` },
          body: {},
        };
      } else if (path.includes('upload_id=')) {
        answer = {
          status: 200,
          body: { file: { name: 'files/f1', uri: `${base}/v1beta/files/f1`, state: 'ACTIVE' } },
        };
      } else {
        answer =
          typeof script === 'function'
            ? script(next++)
            : script[Math.min(next++, script.length - 1)];
      }
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {}));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A `generateContent` answer whose output is `components`. */
export function componentsAnswer(
  components: Array<{ type: string; label: string; page: number; confidence: number }>,
  usage = { promptTokenCount: 1200, candidatesTokenCount: 80 },
): ScriptedAnswer {
  return {
    status: 200,
    body: {
      candidates: [
        {
          content: { role: 'model', parts: [{ text: JSON.stringify({ components }) }] },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: usage,
    },
  };
}

/** A Google API error answer. */
export function errorAnswer(
  status: number,
  options: { headers?: Record<string, string>; details?: unknown[]; delayMs?: number } = {},
): ScriptedAnswer {
  return {
    status,
    headers: options.headers,
    delayMs: options.delayMs,
    body: {
      error: {
        code: status,
        message: `stand-in error ${status}`,
        status: 'STAND_IN',
        details: options.details ?? [],
      },
    },
  };
}

/** An answer whose text is not JSON at all. */
export const malformedAnswer: ScriptedAnswer = {
  status: 200,
  body: {
    candidates: [
      { content: { parts: [{ text: 'Here are the components: door…' }] }, finishReason: 'STOP' },
    ],
  },
};

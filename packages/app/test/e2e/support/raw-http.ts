import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  /** HTTP status, or 0 when the server closed without answering. */
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Sends `request` byte for byte over a fresh TCP connection and reads the answer until the
 * server closes or the body (by Content-Length) is complete: for requests no HTTP client
 * library would send.
 */
export function rawRequest(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no complete answer within 10 s to ${JSON.stringify(String(request).slice(0, 80))}`,
        ),
      );
    }, 10_000);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks)));
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const parsed = parse(Buffer.concat(chunks));
      if (!parsed.status) return;
      if (parsed.headers['transfer-encoding'] === 'chunked') {
        if (Buffer.concat(chunks).includes('\r\n0\r\n\r\n')) finish();
      } else if (
        Buffer.byteLength(parsed.body) >= Number(parsed.headers['content-length'] ?? NaN)
      ) {
        finish();
      }
    });
    socket.on('end', finish);
    socket.on('error', finish);
    socket.write(request);
  });
}

function parse(raw: Buffer): RawResponse {
  const text = raw.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = Object.fromEntries(
    lines.map((l) => [
      l.slice(0, l.indexOf(':')).trim().toLowerCase(),
      l.slice(l.indexOf(':') + 1).trim(),
    ]),
  );
  let body = raw.subarray(Buffer.byteLength(text.slice(0, headEnd + 4), 'latin1'));
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  return { status, headers, body: body.toString('utf8') };
}

/** The payload of a chunked body (as much of it as has arrived). */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** A corpus of malformed and hostile requests against the API at `/<stage>`, each with a name. */
export function hostileRequests(stage: string, apiKey: string): Array<[string, string]> {
  const host = 'Host: 127.0.0.1\r\n';
  const key = `x-api-key: ${apiKey}\r\n`;
  const get = (path: string, extra = '') =>
    `GET /${stage}${path} HTTP/1.1\r\n${host}${key}${extra}Connection: close\r\n\r\n`;
  const post = (contentType: string, body: string, extra = '') =>
    `POST /${stage}/process-drawing HTTP/1.1\r\n${host}${key}Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
  const boundary = 'XyZ';
  const part = (headers: string, content: string) =>
    `--${boundary}\r\n${headers}\r\n\r\n${content}\r\n`;
  const corpus: Array<[string, string]> = [];

  for (const enc of [
    '%',
    '%%',
    '%ZZ',
    '%FF',
    '%C0%AF',
    '%ED%A0%80',
    '%E0%A4%A',
    '%00',
    '%2F',
    '..%2F..%2F',
    'a'.repeat(4000),
    '%F0%9F%92%A9',
    'job_%31',
  ]) {
    corpus.push([`status path ${enc.slice(0, 20)}`, get(`/status/${enc}`)]);
  }
  for (const query of ['?%ZZ=1', '?a=%', '?a=%FF&a=%FF', `?${'x'.repeat(3000)}=1`, '?=&=&']) {
    corpus.push([
      `query ${query.slice(0, 20)}`,
      get(`/status/job_1700000000000_0123456789ab${query}`),
    ]);
  }
  for (const path of [
    '/',
    '',
    '/health/',
    '/status',
    '/status/',
    '/nope',
    '/%ZZ',
    '/STATUS/x',
    '/process-drawing',
  ]) {
    corpus.push([`route ${path || '(none)'}`, get(path)]);
  }
  corpus.push(['unknown stage', `GET /other/health HTTP/1.1\r\n${host}Connection: close\r\n\r\n`]);
  corpus.push([
    'no api key',
    `GET /${stage}/status/x HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
  ]);
  corpus.push([
    'wrong api key',
    `GET /${stage}/status/x HTTP/1.1\r\n${host}x-api-key: nope\r\nConnection: close\r\n\r\n`,
  ]);
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
    corpus.push([
      `method ${method}`,
      `${method} /${stage}/status/x HTTP/1.1\r\n${host}${key}Content-Length: 0\r\nConnection: close\r\n\r\n`,
    ]);
  }
  // framing and headers Node's parser refuses
  corpus.push(['garbage request line', 'GARBAGE\r\n\r\n']);
  corpus.push(['bad HTTP version', `GET /${stage}/health HTTP/9.9\r\n${host}\r\n`]);
  corpus.push(['space in path', `GET /${stage}/hea lth HTTP/1.1\r\n${host}\r\n`]);
  corpus.push([
    'duplicate content-length',
    `POST /${stage}/process-drawing HTTP/1.1\r\n${host}${key}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
  ]);
  corpus.push([
    'bad chunked body',
    `POST /${stage}/process-drawing HTTP/1.1\r\n${host}${key}Content-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n`,
  ]);
  corpus.push([
    'invalid header name',
    `GET /${stage}/health HTTP/1.1\r\n${host}Bad Header: x\r\n\r\n`,
  ]);
  corpus.push([
    'oversized header',
    `GET /${stage}/health HTTP/1.1\r\n${host}x-big: ${'a'.repeat(20_000)}\r\n\r\n`,
  ]);
  corpus.push([
    'content-length and chunked',
    `POST /${stage}/process-drawing HTTP/1.1\r\n${host}${key}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ]);
  // bodies of the wrong shape
  const fields =
    part('Content-Disposition: form-data; name="client_name"', 'Acme') +
    part('Content-Disposition: form-data; name="project_name"', 'HQ');
  for (const [name, contentType, body] of [
    ['json garbage', 'application/json', '{"client_name":'],
    ['json array', 'application/json', '[1,2,3]'],
    ['json null', 'application/json', 'null'],
    ['json wrong types', 'application/json', '{"client_name":5,"project_name":[],"upload_id":{}}'],
    ['text body', 'text/plain', 'hello'],
    ['empty pdf', 'application/pdf', ''],
    ['not a pdf', 'application/pdf', 'GIF89a'],
    ['multipart without boundary', 'multipart/form-data', fields],
    ['multipart with no parts', `multipart/form-data; boundary=${boundary}`, `--${boundary}--\r\n`],
    [
      'multipart without the drawing',
      `multipart/form-data; boundary=${boundary}`,
      `${fields}--${boundary}--\r\n`,
    ],
    [
      'multipart part without a name',
      `multipart/form-data; boundary=${boundary}`,
      part('Content-Disposition: form-data', 'x') + `--${boundary}--\r\n`,
    ],
    [
      'multipart unterminated',
      `multipart/form-data; boundary=${boundary}`,
      `${fields}--${boundary}\r\nContent-Disposition: form-data; name="drawing_file"; filename="a.pdf"\r\n\r\n%PDF-1.4 trunc`,
    ],
    [
      'multipart text drawing',
      `multipart/form-data; boundary=${boundary}`,
      fields +
        part(
          'Content-Disposition: form-data; name="drawing_file"; filename="a.pdf"\r\nContent-Type: application/pdf',
          'not a pdf',
        ) +
        `--${boundary}--\r\n`,
    ],
    [
      'multipart huge name',
      `multipart/form-data; boundary=${boundary}`,
      part('Content-Disposition: form-data; name="client_name"', 'x'.repeat(5000)) +
        `--${boundary}--\r\n`,
    ],
    [
      'charset weirdness',
      'multipart/form-data; boundary="XyZ"; charset=ebcdic',
      `${fields}--${boundary}--\r\n`,
    ],
  ] as const) {
    corpus.push([`body: ${name}`, post(contentType, body)]);
  }
  corpus.push([
    'missing content-type',
    `POST /${stage}/process-drawing HTTP/1.1\r\n${host}${key}Content-Length: 2\r\nConnection: close\r\n\r\nab`,
  ]);
  corpus.push([
    'HEAD health',
    `HEAD /${stage}/health HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
  ]);
  return corpus;
}

/** How a request sent while its answer may already be on the way ended. */
export interface StreamedAnswer {
  /** The status answered, or 0 when the connection failed instead. */
  readonly status: number;
  readonly body: string;
  /** The socket error instead of an answer (ECONNRESET, EPIPE), if any. */
  readonly error?: string;
}

/**
 * POSTs `size` bytes in 64 KiB writes on a fresh connection, as a client uploading a drawing
 * does, and reports what came back: the answer, or the socket error that replaced it.
 */
export function postStreaming(
  url: string,
  headers: Record<string, string>,
  size: number,
): Promise<StreamedAnswer> {
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(size) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (err: NodeJS.ErrnoException) =>
          resolve({ status: 0, body: '', error: err.code ?? err.message }),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ status: 0, body: '', error: err.code ?? err.message }),
    );
    const chunk = Buffer.alloc(64 * 1024, 0x25);
    let sent = 0;
    const write = (): void => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

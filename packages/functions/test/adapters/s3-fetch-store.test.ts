import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3FetchObjectStore } from '../../src/adapters/s3-fetch-store';

/**
 * The store against a stand-in S3 endpoint that fails on purpose (the round trips themselves
 * are covered against moto by every handler test): retries, and the errors it must not hide.
 */
async function standIn(answers: Array<{ status: number; body?: string }>) {
  const seen: IncomingMessage[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    const answer = answers[Math.min(n++, answers.length - 1)];
    res.writeHead(answer.status, { 'content-type': 'application/xml' });
    res.end(answer.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const store = new S3FetchObjectStore(
    'bucket',
    {
      region: 'eu-west-2',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' },
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    },
    { sleep: async () => undefined },
  );
  return { store, seen, close: () => new Promise((r) => server.close(r)) };
}

const error = (code: string) => `<?xml version="1.0"?><Error><Code>${code}</Code></Error>`;

describe('S3FetchObjectStore', () => {
  test('signs each request and retries a 500 and a 503 before succeeding', async () => {
    const { store, seen, close } = await standIn([
      { status: 500, body: error('InternalError') },
      { status: 503, body: error('SlowDown') },
      { status: 200 },
    ]);

    await store.put('drawings/a b.pdf', 'data', 'application/pdf', { client: 'Zoë' });

    expect(seen).toHaveLength(3);
    const [request] = seen;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe('/bucket/drawings/a%20b.pdf');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\//);
    expect(request.headers['x-amz-security-token']).toBe('token');
    expect(request.headers['x-amz-meta-client']).toBe('Zo%C3%AB');
    await close();
  });

  test('gives up after three attempts, naming the error', async () => {
    const { store, seen, close } = await standIn([{ status: 500, body: error('InternalError') }]);

    await expect(store.get('k')).rejects.toThrow(
      /GET k failed after 3 attempts: 500 InternalError/,
    );
    expect(seen).toHaveLength(3);
    await close();
  });

  test('does not retry a refusal, and says a missing object is missing', async () => {
    const { store, seen, close } = await standIn([
      { status: 404, body: error('NoSuchKey') },
      { status: 403, body: error('AccessDenied') },
    ]);

    expect(await store.head('missing')).toBeUndefined();
    await expect(store.delete('k')).rejects.toThrow(/DELETE k failed: 403 AccessDenied/);
    expect(seen).toHaveLength(2);
    await close();
  });

  test('treats a copy whose 200 carries an <Error> as failed', async () => {
    const { store, close } = await standIn([{ status: 200, body: error('InternalError') }]);

    await expect(
      store.copy('uploads/u.pdf', 'drawings/j/u.pdf', 'application/pdf', {}),
    ).rejects.toThrow(/copy uploads\/u.pdf -> drawings\/j\/u.pdf failed: InternalError/);
    await close();
  });
});

import { createHash } from 'node:crypto';
import type { ObjectInfo, ObjectMetadata, ObjectStore } from '../ports';
import {
  presignTargetFromEnv,
  s3ObjectUrl,
  s3Request,
  s3Signer,
  type PresignTarget,
} from './s3-presigned-urls';

const META = 'x-amz-meta-';
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** S3 answered with an error (other than a missing object). */
export class S3RequestError extends Error {
  constructor(
    message: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = 'S3RequestError';
  }
}

/** Metadata values travel as HTTP headers: anything beyond printable ASCII is percent-encoded. */
function metadataHeaders(metadata: ObjectMetadata | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata ?? {}).map(([k, v]) => [
      `${META}${k.toLowerCase()}`,
      /^[\x20-\x7e]*$/.test(v) ? v : encodeURIComponent(v),
    ]),
  );
}

/**
 * The platform bucket through S3's REST API with `fetch` and a SigV4 signature: the six calls
 * the handlers make, without the S3 client (about 100 KiB of bundle). Like the SDK it retries
 * 5xx, 429 and network errors, three attempts with jittered backoff.
 */
export class S3FetchObjectStore implements ObjectStore {
  private readonly signer;

  constructor(
    private readonly bucketName: string,
    private readonly target: PresignTarget = presignTargetFromEnv(),
    private readonly options: {
      maxAttempts?: number;
      fetch?: typeof fetch;
      sleep?: (ms: number) => Promise<void>;
    } = {},
  ) {
    this.signer = s3Signer(target);
  }

  async put(
    key: string,
    body: Buffer | string,
    contentType: string,
    metadata?: ObjectMetadata,
  ): Promise<void> {
    await this.send('PUT', key, {
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      headers: { 'content-type': contentType, ...metadataHeaders(metadata) },
    });
  }

  async get(key: string): Promise<Buffer | undefined> {
    const response = await this.send('GET', key, { allowMissing: true });
    return response && Buffer.from(await response.arrayBuffer());
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer | undefined> {
    const response = await this.send('GET', key, {
      allowMissing: true,
      headers: { range: `bytes=${start}-${end}` },
    });
    return response && Buffer.from(await response.arrayBuffer());
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const response = await this.send('HEAD', key, { allowMissing: true });
    if (!response) return undefined;
    const metadata: ObjectMetadata = {};
    response.headers.forEach((value, name) => {
      if (name.startsWith(META)) metadata[name.slice(META.length)] = value;
    });
    return {
      size: Number(response.headers.get('content-length') ?? 0),
      contentType: response.headers.get('content-type') ?? undefined,
      metadata,
    };
  }

  async copy(
    fromKey: string,
    toKey: string,
    contentType: string,
    metadata: ObjectMetadata,
  ): Promise<void> {
    const source = `/${this.bucketName}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
    const response = await this.send('PUT', toKey, {
      headers: {
        'x-amz-copy-source': source,
        'x-amz-metadata-directive': 'REPLACE',
        'content-type': contentType,
        ...metadataHeaders(metadata),
      },
    });
    // CopyObject can fail after its 200 has been sent: the body is then an <Error>
    const text = await response!.text();
    if (/<Error>/.test(text)) {
      throw new S3RequestError(`S3 copy ${fromKey} -> ${toKey} failed: ${errorCode(text)}`, 200);
    }
  }

  async delete(key: string): Promise<void> {
    await this.send('DELETE', key);
  }

  private async send(
    method: 'GET' | 'PUT' | 'HEAD' | 'DELETE',
    key: string,
    request: { headers?: Record<string, string>; body?: Buffer; allowMissing?: boolean } = {},
  ): Promise<Response | undefined> {
    const url = s3ObjectUrl(this.target, this.bucketName, key);
    const body = request.body ?? Buffer.alloc(0);
    const maxAttempts = this.options.maxAttempts ?? 3;
    const doFetch = this.options.fetch ?? globalThis.fetch;
    const payloadHash = createHash('sha256').update(body).digest('hex');
    for (let attempt = 1; ; attempt++) {
      // signed again on each attempt: the signature carries the time
      const signed = await this.signer.sign(
        s3Request(method, url, { ...request.headers, 'x-amz-content-sha256': payloadHash }),
      );
      let response: Response | undefined;
      let failure: string;
      try {
        const { host: _host, ...headers } = signed.headers as Record<string, string>;
        response = await doFetch(url, {
          method,
          headers,
          body: method === 'PUT' ? body : undefined,
        });
        if (response.ok) return response;
        if (response.status === 404 && request.allowMissing) {
          await response.arrayBuffer();
          return undefined;
        }
        const text = method === 'HEAD' ? '' : await response.text();
        failure = `${response.status} ${errorCode(text)}`;
        if (!RETRYABLE.has(response.status)) {
          throw new S3RequestError(`S3 ${method} ${key} failed: ${failure}`, response.status);
        }
      } catch (err) {
        if (err instanceof S3RequestError) throw err;
        failure = (err as Error).message;
      }
      if (attempt >= maxAttempts) {
        throw new S3RequestError(
          `S3 ${method} ${key} failed after ${attempt} attempts: ${failure}`,
          response?.status ?? 0,
        );
      }
      const delay = Math.random() * Math.min(2000, 100 * 2 ** attempt);
      await (this.options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(delay);
    }
  }
}

function errorCode(xml: string): string {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? (xml.slice(0, 100) || 'no body');
}

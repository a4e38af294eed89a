import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { DownloadLinks, UploadBinding, UploadLinks } from '../ports';

/** Where and as whom to presign: the function's environment, as Lambda sets it. */
export interface PresignTarget {
  /** AWS region of the bucket (`AWS_REGION`). */
  readonly region: string;
  /** Static credentials (Lambda passes the role's in the environment). */
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * An S3-compatible endpoint (`AWS_ENDPOINT_URL`, the local emulator); objects are then
   * addressed path-style. Without it, the regional virtual-hosted endpoint.
   */
  readonly endpoint?: string;
}

/** The target from Lambda's environment variables. */
export function presignTargetFromEnv(env: NodeJS.ProcessEnv = process.env): PresignTarget {
  const { AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = env;
  if (!AWS_REGION || !AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
    throw new Error('presigning needs AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  return {
    region: AWS_REGION,
    credentials: {
      accessKeyId: AWS_ACCESS_KEY_ID,
      secretAccessKey: AWS_SECRET_ACCESS_KEY,
      sessionToken: AWS_SESSION_TOKEN,
    },
    endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
  };
}

/** SigV4 for S3, with node:crypto. */
export function s3Signer(target: PresignTarget): SignatureV4 {
  return new SignatureV4({
    service: 's3',
    region: target.region,
    credentials: target.credentials,
    sha256: NodeSha256,
    // S3 signs the path as sent: each key segment is encoded once (s3ObjectUrl)
    uriEscapePath: false,
    applyChecksum: false,
  });
}

/**
 * An object's URL: path-style on an S3-compatible endpoint (the local emulator), else the
 * regional virtual-hosted endpoint. Each key segment is RFC 3986-encoded once.
 */
export function s3ObjectUrl(target: PresignTarget, bucketName: string, key: string): URL {
  const path = key.split('/').map(encodeRfc3986).join('/');
  const base = target.endpoint
    ? new URL(`${target.endpoint.replace(/\/$/, '')}/${encodeRfc3986(bucketName)}/`)
    : new URL(`https://${bucketName}.s3.${target.region}.amazonaws.com/`);
  return new URL(path, base);
}

/** The request the signer signs, for `method` on `url` with `headers` (host added). */
export function s3Request(method: string, url: URL, headers: Record<string, string>) {
  return {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: {},
    headers: { ...headers, host: url.host },
  };
}

/**
 * Presigned URLs for objects in the platform bucket: SigV4 query signing, done locally with
 * Smithy's signer. The status handler needs nothing else of S3, so it does not carry the S3
 * client (about 100 KiB of bundle and its load time) just to sign. A PUT is bound to the
 * content type, length and metadata given: S3 refuses an upload whose signed headers differ.
 */
export class S3PresignedUrls implements DownloadLinks, UploadLinks {
  private readonly signer: SignatureV4;

  constructor(
    private readonly bucketName: string,
    private readonly target: PresignTarget = presignTargetFromEnv(),
  ) {
    this.signer = s3Signer(target);
  }

  async presignGet(
    key: string,
    expiresInSeconds: number,
    signingDate: Date = new Date(),
  ): Promise<string> {
    return this.presign('GET', key, {}, expiresInSeconds, signingDate);
  }

  async presignPut(
    key: string,
    binding: UploadBinding,
    expiresInSeconds: number,
    signingDate: Date = new Date(),
  ): Promise<{ url: string; headers: Record<string, string> }> {
    const headers: Record<string, string> = {
      'content-type': binding.contentType,
      'content-length': String(binding.contentLength),
      ...Object.fromEntries(
        Object.entries(binding.metadata).map(([k, v]) => [`x-amz-meta-${k.toLowerCase()}`, v]),
      ),
    };
    const url = await this.presign('PUT', key, headers, expiresInSeconds, signingDate);
    return { url, headers };
  }

  private async presign(
    method: 'GET' | 'PUT',
    key: string,
    signedHeaders: Record<string, string>,
    expiresInSeconds: number,
    signingDate: Date,
  ): Promise<string> {
    const url = s3ObjectUrl(this.target, this.bucketName, key);
    const signed = await this.signer.presign(
      // S3's presigned form: the payload is not signed (X-Amz-Content-Sha256 in the query)
      s3Request(method, url, { ...signedHeaders, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' }),
      {
        expiresIn: expiresInSeconds,
        signingDate,
        // metadata stays a signed header the client must send, not a query parameter
        unhoistableHeaders: new Set(Object.keys(signedHeaders)),
      },
    );
    const query = Object.entries(signed.query ?? {})
      .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(String(v))}`)
      .join('&');
    return `${url.origin}${url.pathname}?${query}`;
  }
}

/** RFC 3986 percent-encoding, as SigV4 canonicalizes. */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 and HMAC-SHA-256 for the signer, from node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', toBuffer(secret)) : createHash('sha256');
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

import { createHash, createHmac } from 'node:crypto';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { S3PresignedUrls, presignTargetFromEnv } from '../../src/adapters/s3-presigned-urls';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+value=',
};
const signingDate = new Date('2026-11-22T12:00:00Z');

/** The SDK's own S3 presigner over the same request: what our URL must equal. */
async function sdkPresigned(host: string, path: string, expiresIn: number): Promise<string> {
  class Sha256 {
    private readonly h;
    constructor(secret?: string | Uint8Array) {
      this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
    }
    update(data: string | Uint8Array) {
      this.h.update(data);
    }
    digest() {
      return Promise.resolve(new Uint8Array(this.h.digest()));
    }
  }
  const presigner = new S3RequestPresigner({
    credentials,
    region: 'eu-west-2',
    sha256: Sha256 as never,
  });
  const [hostname, port] = host.split(':');
  const signed = await presigner.presign(
    {
      method: 'GET',
      protocol: host.startsWith('127.') ? 'http:' : 'https:',
      hostname,
      port: port ? Number(port) : undefined,
      path,
      query: {},
      headers: { host },
    } as never,
    { expiresIn, signingDate },
  );
  const q = new URLSearchParams(signed.query as Record<string, string>);
  return [...q.entries()]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');
}

function sortedQuery(url: string): string {
  return [...new URL(url).searchParams.entries()]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');
}

describe('S3PresignedUrls', () => {
  test('signs a virtual-hosted GET exactly as the SDK S3 presigner does', async () => {
    // Given a bucket in a region, and a key with characters that need encoding
    const links = new S3PresignedUrls('my-bucket', { region: 'eu-west-2', credentials });
    const key = 'results/job_1/schedule (final)+v2.csv';

    // When it presigns a GET
    const url = await links.presignGet(key, 3600, signingDate);

    // Then host, path and every query parameter (signature included) match the SDK's
    const parsed = new URL(url);
    expect(parsed.host).toBe('my-bucket.s3.eu-west-2.amazonaws.com');
    expect(parsed.pathname).toBe('/results/job_1/schedule%20%28final%29%2Bv2.csv');
    expect(sortedQuery(url)).toBe(await sdkPresigned(parsed.host, parsed.pathname, 3600));
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(parsed.searchParams.get('X-Amz-Security-Token')).toBe(credentials.sessionToken);
  });

  test('addresses an emulator endpoint path-style', async () => {
    const links = new S3PresignedUrls('local-bucket', {
      region: 'eu-west-2',
      credentials,
      endpoint: 'http://127.0.0.1:4566/',
    });

    const url = await links.presignGet('results/a.json', 60, signingDate);

    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(
      'http://127.0.0.1:4566/local-bucket/results/a.json',
    );
    expect(sortedQuery(url)).toBe(await sdkPresigned(parsed.host, parsed.pathname, 60));
  });

  test('reads region, credentials and endpoint from the environment, and says what is missing', () => {
    expect(
      presignTargetFromEnv({
        AWS_REGION: 'eu-west-2',
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      }),
    ).toEqual({
      region: 'eu-west-2',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: undefined },
      endpoint: 'http://127.0.0.1:5000',
    });
    expect(() => presignTargetFromEnv({ AWS_REGION: 'eu-west-2' })).toThrow(
      /presigning needs AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
  });
});

describe('presigned uploads', () => {
  test('bind the PUT to its content type, length and metadata as signed headers', async () => {
    const urls = new S3PresignedUrls('drawings-bucket', { region: 'eu-west-2', credentials });

    const { url, headers } = await urls.presignPut(
      'uploads/upl_1.pdf',
      {
        contentType: 'application/pdf',
        contentLength: 8_000_000,
        metadata: { filename: 'plan.pdf' },
      },
      3600,
      signingDate,
    );

    expect(headers).toEqual({
      'content-type': 'application/pdf',
      'content-length': '8000000',
      'x-amz-meta-filename': 'plan.pdf',
    });
    const query = new URL(url).searchParams;
    expect(
      url.startsWith('https://drawings-bucket.s3.eu-west-2.amazonaws.com/uploads/upl_1.pdf?'),
    ).toBe(true);
    expect(query.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-meta-filename',
    );
    expect(query.get('X-Amz-Expires')).toBe('3600');
    expect(query.has('x-amz-meta-filename')).toBe(false);
  });
});

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectMetadata, ObjectStore } from '../ports';

/** Metadata values travel as HTTP headers: anything beyond printable ASCII is percent-encoded. */
function headerSafe(metadata: ObjectMetadata | undefined): ObjectMetadata | undefined {
  if (!metadata) return undefined;
  return Object.fromEntries(
    Object.entries(metadata).map(([k, v]) => [
      k,
      /^[\x20-\x7e]*$/.test(v) ? v : encodeURIComponent(v),
    ]),
  );
}

function missing(err: unknown): boolean {
  return (
    err instanceof NoSuchKey ||
    err instanceof NotFound ||
    (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
  );
}

/** Objects in the platform bucket. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly bucketName: string,
    private readonly client: S3Client = new S3Client({}),
  ) {}

  async put(
    key: string,
    body: Buffer | string,
    contentType: string,
    metadata?: ObjectMetadata,
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: body,
        ContentType: contentType,
        Metadata: headerSafe(metadata),
      }),
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.read(key);
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer | undefined> {
    return this.read(key, `bytes=${start}-${end}`);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucketName, Key: key }),
      );
      return {
        size: head.ContentLength ?? 0,
        contentType: head.ContentType,
        metadata: head.Metadata ?? {},
      };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async copy(
    fromKey: string,
    toKey: string,
    contentType: string,
    metadata: ObjectMetadata,
  ): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucketName,
        Key: toKey,
        CopySource: `${this.bucketName}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'REPLACE',
        ContentType: contentType,
        Metadata: headerSafe(metadata),
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucketName, Key: key }));
  }

  private async read(key: string, range?: string): Promise<Buffer | undefined> {
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucketName, Key: key, Range: range }),
      );
      return Buffer.from(await Body!.transformToByteArray());
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }
}

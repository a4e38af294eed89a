import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DownloadLinks } from '../ports';

/** Presigned GET URLs for objects in the platform bucket (signed locally, no API call). */
export class S3DownloadLinks implements DownloadLinks {
  constructor(
    private readonly bucketName: string,
    private readonly client: S3Client = new S3Client({}),
  ) {}

  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucketName, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }
}

import { S3Client } from '@aws-sdk/client-s3';

/** An S3 client; path-style addressing when talking to an emulator (`AWS_ENDPOINT_URL`). */
export function s3Client(forcePathStyle: boolean): S3Client {
  return new S3Client({ forcePathStyle });
}

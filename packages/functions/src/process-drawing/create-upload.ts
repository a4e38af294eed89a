import { randomBytes } from 'node:crypto';
import { ValidationError } from '@security-assistant/layer-common';
import { sanitiseFilename } from './read-submission';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { jsonObjectBody, stringMember } from '../http/json-body';
import type { UploadLinks } from '../ports';

/** An upload URL can be used for one hour. */
export const UPLOAD_URL_TTL_SECONDS = 60 * 60;

/** `upl_` and 32 hex digits. */
const UPLOAD_ID = /^upl_[0-9a-f]{32}$/;

export const isUploadId = (value: unknown): value is string =>
  typeof value === 'string' && UPLOAD_ID.test(value);

/** Where an upload's object lives: under `uploads/`, which the bucket expires after a day. */
export const uploadKey = (uploadId: string) => `uploads/${uploadId}.pdf`;

/** The body of `201` to `POST /uploads`. */
export interface CreatedUpload {
  readonly upload_id: string;
  readonly upload_url: string;
  readonly method: 'PUT';
  readonly headers: Record<string, string>;
  readonly expires_in: number;
}

/**
 * `POST /uploads` `{filename, content_type, size_bytes}`: a presigned S3 PUT for a drawing too
 * large for the API's 4 MiB request limit, bound to the content type, the exact length and
 * the file name. Nothing is stored until the client uploads.
 */
export class CreateUpload {
  constructor(
    private readonly links: UploadLinks,
    private readonly maxBytes: number,
  ) {}

  /** A presigned PUT for `owner`'s drawing: only that caller can submit it afterwards. */
  async execute(
    contentType: string | undefined,
    body: Buffer,
    owner: string,
  ): Promise<CreatedUpload> {
    const request = jsonObjectBody(contentType, body);
    const filename = stringMember(request, 'filename', 200);
    const type = stringMember(request, 'content_type', 200);
    if (type.toLowerCase() !== 'application/pdf') {
      throw new UnsupportedMediaTypeError(
        'NOT_A_PDF',
        `content_type must be application/pdf (given ${type})`,
      );
    }
    const size = request.size_bytes;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) {
      throw new ValidationError(
        'INVALID_FIELD',
        `size_bytes must be a positive whole number of bytes (given ${JSON.stringify(size) ?? 'nothing'})`,
      );
    }
    if (size > this.maxBytes) {
      throw new PayloadTooLargeError(`size_bytes is ${size}; the limit is ${this.maxBytes} bytes`);
    }
    const uploadId = `upl_${randomBytes(16).toString('hex')}`;
    const { url, headers } = await this.links.presignPut(
      uploadKey(uploadId),
      {
        contentType: 'application/pdf',
        contentLength: size,
        metadata: { filename: sanitiseFilename(filename, 'drawing.pdf'), owner },
      },
      UPLOAD_URL_TTL_SECONDS,
    );
    return {
      upload_id: uploadId,
      upload_url: url,
      method: 'PUT',
      headers,
      expires_in: UPLOAD_URL_TTL_SECONDS,
    };
  }
}

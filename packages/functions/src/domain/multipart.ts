import { ValidationError } from '@security-assistant/layer-common';

/** One part of a multipart/form-data body. */
export interface FormPart {
  readonly name: string;
  /** Present when the part is a file upload. */
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * The boundary of a `multipart/form-data` content type, or undefined when the content type
 * is anything else (RFC 7578; the boundary may be quoted).
 */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  const [mediaType] = (contentType ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  const boundary = headerParam(contentType!, 'boundary');
  return boundary && boundary.length <= 70 ? boundary : undefined;
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (match) return match[1].replace(/\\(.)/g, '$1');
  return new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header)?.[1];
}

function malformed(reason: string): ValidationError {
  return new ValidationError('INVALID_MULTIPART', `malformed multipart/form-data body: ${reason}`);
}

/**
 * Splits a multipart/form-data body into its parts. Small on purpose: it reads the whole
 * (already size-checked) body from memory and understands only what browsers and curl
 * send: `Content-Disposition: form-data; name=…[; filename=…]` and `Content-Type`.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw malformed('boundary not found');
  const parts: FormPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw malformed('bad delimiter line');
    const headerEnd = body.indexOf(HEADER_END, pos);
    if (headerEnd < 0) throw malformed('part headers not terminated');
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headerEnd);
    if (next < 0) throw malformed('closing boundary not found');
    const headers = body
      .subarray(pos + 2, headerEnd)
      .toString('utf8')
      .split('\r\n');
    let disposition: string | undefined;
    let contentType: string | undefined;
    for (const line of headers) {
      const colon = line.indexOf(':');
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'content-disposition') disposition = value;
      else if (key === 'content-type') contentType = value;
    }
    const name = disposition && headerParam(disposition, 'name');
    if (!disposition?.toLowerCase().startsWith('form-data') || !name) {
      throw malformed('part without a form-data name');
    }
    parts.push({
      name,
      filename: headerParam(disposition, 'filename'),
      contentType,
      data: body.subarray(headerEnd + HEADER_END.length, next),
    });
    pos = next + CRLF.length;
  }
}

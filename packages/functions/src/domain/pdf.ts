import { inflateSync, constants as zlib } from 'node:zlib';
import { PermanentJobError } from '@security-assistant/layer-common';

/** PDF readers look for the header anywhere in the first 1024 bytes (ISO 32000-2, 7.5.2). */
export const HEADER_WINDOW = 1024;

/** Where `%PDF-` starts, or -1 when the first 1024 bytes do not hold it. */
export function pdfHeaderOffset(data: Buffer): number {
  return data.subarray(0, HEADER_WINDOW + 5).indexOf('%PDF-', 0, 'latin1');
}

export function isPdf(data: Buffer): boolean {
  return pdfHeaderOffset(data) >= 0;
}

/** What reading one drawing may cost. Exceeding any of them fails the job with PDF_TOO_COMPLEX. */
export interface PdfLimits {
  /** Decompressed bytes of one stream (images excepted: text extraction never decodes them). */
  readonly maxStreamBytes: number;
  /** Decompressed bytes of all such streams together. */
  readonly maxDocumentBytes: number;
  /** Indirect objects in the file, object streams included. */
  readonly maxObjects: number;
  /** Wall-clock time to read the drawing in one stage. */
  readonly maxSeconds: number;
  /** Heap of the thread that reads it. */
  readonly maxHeapMb: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxStreamBytes: 64 * 1024 * 1024,
  maxDocumentBytes: 256 * 1024 * 1024,
  maxObjects: 500_000,
  maxSeconds: 120,
  maxHeapMb: 1024,
};

/** The failure of a drawing that exceeds a limit, naming it. */
export const tooComplex = (what: string) =>
  new PermanentJobError('PDF_TOO_COMPLEX', `the drawing is too complex to read: ${what}`);

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** What the pre-flight scan found: damage pdf.js may work around, and nothing more. */
export interface PdfPreflight {
  /** Damage found (a corrupt stream, say): a reason when nothing can be read. */
  readonly damage: string[];
}

/**
 * A single linear pass over the file, before pdf.js sees it: refuses a truncated file, and
 * enforces the object and decompressed-size limits (a Flate bomb is stopped at the cap, not
 * inflated in full). Streams are found by their `stream`/`endstream` keywords; `/Length` is
 * often an indirect reference, so it is not trusted.
 */
export function preflightPdf(pdf: Buffer, limits: PdfLimits = DEFAULT_PDF_LIMITS): PdfPreflight {
  const text = pdf.toString('latin1');
  if (pdfHeaderOffset(pdf) < 0) {
    throw new PermanentJobError('NOT_A_PDF', 'the drawing is not a PDF document');
  }
  if (text.lastIndexOf('%%EOF') < 0) {
    throw new PermanentJobError(
      'INVALID_PDF',
      'the drawing is truncated: it has no %%EOF end-of-file marker; upload the whole file',
    );
  }
  // Encrypted streams cannot be inflated before decryption: for them only the time and heap
  // limits of the reading thread apply.
  const encrypted = trailerDictionaries(text).some((dict) => /\/Encrypt\b/.test(dict));
  let objects = countMatches(text, /\b\d+\s+\d+\s+obj\b/g);
  const damage: string[] = [];
  let total = 0;
  let from = 0;
  for (;;) {
    const start = text.indexOf('stream', from);
    if (start < 0) break;
    from = start + 6;
    if (text.startsWith('end', start - 3)) continue;
    const eol = text[start + 6] === '\r' ? (text[start + 7] === '\n' ? 8 : 7) : 7;
    if (text[start + 6] !== '\n' && text[start + 6] !== '\r') continue;
    const end = text.indexOf('endstream', start + eol);
    if (end < 0) break;
    from = end + 9;
    // The dictionary just before the keyword; bounded, so the scan stays linear.
    const windowStart = Math.max(0, start - 4096);
    const found = text.slice(windowStart, start).lastIndexOf('obj');
    const dictStart = found < 0 ? -1 : windowStart + found;
    const dict = dictStart < 0 ? '' : text.slice(dictStart, start);
    if (/\/Type\s*\/ObjStm\b/.test(dict)) {
      objects += Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? 0);
    }
    if (objects > limits.maxObjects) {
      throw tooComplex(`it has more than ${limits.maxObjects} objects`);
    }
    // Images are never decoded to read text; an encrypted file's streams are ciphertext
    // (except its cross-reference streams).
    if (/\/Subtype\s*\/Image\b/.test(dict)) continue;
    if (encrypted && !/\/Type\s*\/XRef\b/.test(dict)) continue;
    const filters: string[] = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(dict)?.[1].match(/\/\w+/g) ?? [];
    const flate = filters.indexOf('/FlateDecode');
    if (flate < 0 || !filters.slice(0, flate).every((f) => ASCII_FILTERS[f])) continue;
    let data: Buffer = pdf.subarray(start + eol, end);
    for (const f of filters.slice(0, flate)) data = ASCII_FILTERS[f](data);
    const object = /(\d+\s+\d+)\s+obj\s*$/.exec(
      text.slice(Math.max(0, dictStart - 24), dictStart + 3),
    );
    const name = object ? `object ${object[1]}` : `the stream at byte ${start}`;
    const cap = Math.min(limits.maxStreamBytes, limits.maxDocumentBytes - total) + 1;
    let inflated: Buffer;
    try {
      inflated = inflateSync(data, { finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: cap });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw total + cap > limits.maxDocumentBytes
          ? tooComplex(`its streams decompress to more than ${mib(limits.maxDocumentBytes)}`)
          : tooComplex(`${name} decompresses to more than ${mib(limits.maxStreamBytes)}`);
      }
      damage.push(`${name} holds corrupt compressed data (${(err as Error).message})`);
      continue;
    }
    if (inflated.length >= cap) {
      throw total + inflated.length > limits.maxDocumentBytes
        ? tooComplex(`its streams decompress to more than ${mib(limits.maxDocumentBytes)}`)
        : tooComplex(`${name} decompresses to more than ${mib(limits.maxStreamBytes)}`);
    }
    total += inflated.length;
  }
  if (objects > limits.maxObjects) {
    throw tooComplex(`it has more than ${limits.maxObjects} objects`);
  }
  return { damage };
}

/**
 * The trailer dictionaries (`trailer << … >>`) and cross-reference stream dictionaries: where
 * `/Encrypt` means the file is encrypted. A string elsewhere that says `/Encrypt` does not.
 */
function trailerDictionaries(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/trailer\s*<</g)) {
    found.push(text.slice(match.index, match.index + 2048).split(/startxref/)[0]);
  }
  for (const match of text.matchAll(/\/Type\s*\/XRef\b/g)) {
    found.push(text.slice(Math.max(0, match.index - 1024), match.index + 1024).split('stream')[0]);
  }
  return found;
}

function countMatches(text: string, pattern: RegExp): number {
  let count = 0;
  while (pattern.exec(text)) count++;
  return count;
}

/** The ASCII filters that may wrap Flate data (decoded so the bomb check sees the real data). */
const ASCII_FILTERS: Record<string, (data: Buffer) => Buffer> = {
  '/ASCIIHexDecode': (data) => {
    const hex = data
      .toString('latin1')
      .split('>')[0]
      .replace(/[^0-9A-Fa-f]/g, '');
    return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
  },
  '/ASCII85Decode': ascii85,
};

/** ASCII85 (`<~ … ~>` optional), with `z` for four zero bytes and a partial last group. */
function ascii85(data: Buffer): Buffer {
  const text = data
    .toString('latin1')
    .replace(/^\s*<~/, '')
    .split('~>')[0]
    .replace(/\s+/g, '');
  const out: number[] = [];
  let group: number[] = [];
  const flush = (chars: number[]) => {
    const padded = [...chars, 84, 84, 84, 84].slice(0, 5);
    let value = 0;
    for (const c of padded) value = value * 85 + c;
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value % 2 ** 32);
    out.push(...bytes.subarray(0, chars.length - 1));
  };
  for (const ch of text) {
    if (ch === 'z' && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    const c = ch.charCodeAt(0) - 33;
    if (c < 0 || c > 84) continue;
    group.push(c);
    if (group.length === 5) {
      flush(group);
      group = [];
    }
  }
  if (group.length > 1) flush(group);
  return Buffer.from(out);
}

import { deflateSync } from 'node:zlib';

/** A PDF from numbered object bodies (object 1 is the catalog), with a classic xref table. */
export function rawPdf(objects: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n')];
  let length = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const part = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(part);
    length += part.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    `trailer << /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n');
  return Buffer.concat([...parts, Buffer.from(xref)]);
}

/** A stream object, Flate-compressed unless `raw`. */
export function streamObject(data: Buffer | string, raw = false): Buffer {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  const body = raw ? bytes : deflateSync(bytes);
  return Buffer.concat([
    Buffer.from(`<< /Length ${body.length}${raw ? '' : ' /Filter /FlateDecode'} >>\nstream\n`),
    body,
    Buffer.from('\nendstream'),
  ]);
}

const page = (contents: string) =>
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] ' +
  `/Resources << /Font << /F1 4 0 R >> >> /Contents ${contents} >>`;

/**
 * One page whose content is split over `count` tiny streams, the last of which draws
 * `label`: the many-small-streams shape that made the old reader quadratic (about 1.3 MB
 * at 20 000 streams).
 */
export function manyStreamsPdf(count: number, label = 'DOOR D-900'): Buffer {
  const first = 5;
  const refs = Array.from({ length: count }, (_, i) => `${first + i} 0 R`).join(' ');
  const streams = Array.from({ length: count }, (_, i) =>
    streamObject(
      i === count - 1
        ? `BT /F1 12 Tf 60 500 Td (${label}) Tj ET`
        : `q 0.1 w ${i % 800} 10 m ${i % 800} 20 l S Q`,
      true,
    ),
  );
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page(`[${refs}]`),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...streams,
  ]);
}

/** A page whose content stream inflates from about `mebibytes / 1000` MiB to `mebibytes` MiB. */
export function flateBombPdf(mebibytes: number): Buffer {
  const zeros = Buffer.alloc(1024 * 1024, 0x20); // spaces: a valid, empty content stream
  const chunks = Array.from({ length: mebibytes }, () => zeros);
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page('5 0 R'),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    streamObject(Buffer.concat(chunks)),
  ]);
}

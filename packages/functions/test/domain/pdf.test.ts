import { deflateSync } from 'node:zlib';
import { DEFAULT_PDF_LIMITS, isPdf, pdfHeaderOffset, preflightPdf } from '../../src/domain/pdf';
import { flateBombPdf, manyStreamsPdf, rawPdf } from '../support/hostile-pdfs';
import { drawingPdf } from '../support/pdfs';

const limits = {
  ...DEFAULT_PDF_LIMITS,
  maxStreamBytes: 1024 * 1024,
  maxDocumentBytes: 3 * 1024 * 1024,
};

describe('PDF header', () => {
  test('is found anywhere in the first 1024 bytes, as readers look for it', () => {
    expect(pdfHeaderOffset(Buffer.from('%PDF-1.7\n'))).toBe(0);
    expect(isPdf(Buffer.from('\ufeff\r\n  %PDF-1.4\n'))).toBe(true);
    expect(isPdf(Buffer.concat([Buffer.alloc(1024, 0x20), Buffer.from('%PDF-1.4')]))).toBe(true);
    expect(isPdf(Buffer.concat([Buffer.alloc(1025, 0x20), Buffer.from('%PDF-1.4')]))).toBe(false);
    expect(isPdf(Buffer.from('PK\u0003\u0004 a zip'))).toBe(false);
    expect(isPdf(Buffer.alloc(0))).toBe(false);
  });
});

describe('PDF pre-flight', () => {
  test('passes a clean drawing with no damage', async () => {
    expect(preflightPdf(await drawingPdf([['DOOR D-1']]))).toEqual({ damage: [] });
  });

  test('refuses a file without an end-of-file marker as truncated', async () => {
    const pdf = await drawingPdf([['DOOR D-1']]);

    expect(() => preflightPdf(pdf.subarray(0, pdf.length - 10))).toThrow(
      expect.objectContaining({ code: 'INVALID_PDF', message: expect.stringMatching(/truncated/) }),
    );
  });

  test('stops a Flate bomb at the per-stream cap, naming the object and the limit', () => {
    expect(() => preflightPdf(flateBombPdf(2), limits)).toThrow(
      expect.objectContaining({
        code: 'PDF_TOO_COMPLEX',
        message: expect.stringMatching(/object 5 0 decompresses to more than 1 MiB/),
      }),
    );
  });

  test('stops many streams at the per-document cap', () => {
    const mib = Buffer.alloc(900 * 1024, 0x20);
    const objects = ['<< /Type /Catalog >>', ...Array.from({ length: 4 }, () => deflated(mib))];

    expect(() => preflightPdf(rawPdf(objects), limits)).toThrow(
      expect.objectContaining({
        code: 'PDF_TOO_COMPLEX',
        message: expect.stringMatching(/streams decompress to more than 3 MiB/),
      }),
    );
  });

  test('counts objects, packed ones included, against the object limit', () => {
    expect(() => preflightPdf(manyStreamsPdf(50), { ...limits, maxObjects: 40 })).toThrow(
      expect.objectContaining({
        code: 'PDF_TOO_COMPLEX',
        message: expect.stringMatching(/40 objects/),
      }),
    );
    const packed = rawPdf(['<< /Type /Catalog >>', deflated('1 0 2 5 ', ' /Type /ObjStm /N 99')]);
    expect(() => preflightPdf(packed, { ...limits, maxObjects: 50 })).toThrow(/50 objects/);
  });

  test('inflates ASCII85- and hex-wrapped Flate data before measuring it', () => {
    const big = deflateSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
    const a85 = `${encodeAscii85(big)}~>`;
    const hex = `${big.toString('hex')}>`;

    for (const [filter, data] of [
      ['[/ASCII85Decode /FlateDecode]', a85],
      ['[/ASCIIHexDecode /FlateDecode]', hex],
    ]) {
      const pdf = rawPdf([
        '<< /Type /Catalog >>',
        `<< /Length ${data.length} /Filter ${filter} >>\nstream\n${data}\nendstream`,
      ]);
      expect(() => preflightPdf(pdf, limits)).toThrow(/decompresses to more than 1 MiB/);
    }
  });

  test('reports corrupt compressed data as damage, and skips images and encrypted data', () => {
    const corrupt = '<< /Length 6 /Filter /FlateDecode >>\nstream\nx\u00da garb\nendstream';
    const image =
      '<< /Subtype /Image /Length 6 /Filter /FlateDecode >>\nstream\nx\u00da garb\nendstream';

    expect(preflightPdf(rawPdf(['<< /Type /Catalog >>', corrupt, image])).damage).toEqual([
      expect.stringMatching(/^object 2 0 holds corrupt compressed data/),
    ]);
    const encrypted = rawPdf(['<< /Type /Catalog >>', corrupt]).toString('latin1');
    expect(
      preflightPdf(
        Buffer.from(encrypted.replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 9 0 R'), 'latin1'),
      ).damage,
    ).toEqual([]);
  });

  test('is linear: 20 000 streams are scanned in well under a second', () => {
    const pdf = manyStreamsPdf(20_000);
    const started = process.hrtime.bigint();

    preflightPdf(pdf);

    // Generous: the quadratic scan it replaces took over a minute on this shape.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
  });
});

function deflated(data: Buffer | string, extra = ''): string {
  const body = deflateSync(Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('latin1');
  return `<< /Length ${body.length} /Filter /FlateDecode${extra} >>\nstream\n${body}\nendstream`;
}

function encodeAscii85(data: Buffer): string {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const chunk = Buffer.alloc(4);
    data.copy(chunk, 0, i, i + 4);
    let value = chunk.readUInt32BE(0);
    const n = Math.min(4, data.length - i);
    if (value === 0 && n === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let j = 0; j < 5; j++) {
      digits.unshift(String.fromCharCode((value % 85) + 33));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return out;
}

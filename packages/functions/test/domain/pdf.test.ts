import { deflateSync } from 'node:zlib';
import { extractPdfText, inspectPdf, isPdf } from '../../src/domain/pdf';
import { drawingPdf, encryptedPdf, pagesPdf } from '../support/pdfs';

/** A one-page PDF whose page content is `content`, Flate-compressed. */
function pdfWithContent(content: string): Buffer {
  const data = deflateSync(Buffer.from(content, 'latin1'));
  return Buffer.concat([
    Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
        '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
        '3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n' +
        `4 0 obj << /Length ${data.length} /Filter /FlateDecode >>\nstream\n`,
    ),
    data,
    Buffer.from('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  ]);
}

describe('PDF text extraction', () => {
  test('reads the labels pdf-lib draws, through object streams and Flate', async () => {
    // Given a drawing saved with compressed object streams
    const pdf = await drawingPdf([['DOOR D-101', 'CARD READER CR-01'], ['CAMERA CAM-01']]);

    // When its text is extracted
    const text = extractPdfText(pdf);

    // Then every label is there, in page order
    expect(text).toEqual(['DOOR D-101', 'CARD READER CR-01', 'CAMERA CAM-01']);
  });

  test('decodes literal strings with escapes, nesting and octal codes', () => {
    const pdf = pdfWithContent(
      'BT /F1 12 Tf 10 10 Td (EXIT \\(REX\\) BUTTON) Tj (a\\nb\\101\\\\) Tj ((nested)) Tj ET',
    );

    expect(extractPdfText(pdf)).toEqual(['EXIT (REX) BUTTON', 'a\nbA\\', '(nested)']);
  });

  test('reads TJ arrays, hex strings and the \' and " operators', () => {
    const pdf = pdfWithContent(
      'BT [(DOOR)-300(D-)12(7)] TJ <43414D455241> Tj (next line) \' 1 2 (spaced) " ET',
    );

    expect(extractPdfText(pdf)).toEqual(['DOOR D-7', 'CAMERA', 'next line', 'spaced']);
  });

  test('ignores dictionaries and comments in content streams', () => {
    const pdf = pdfWithContent(
      '/Span << /ActualText (hidden) >> BDC % (comment) Tj\nBT (shown) Tj ET EMC',
    );

    expect(extractPdfText(pdf)).toEqual(['shown']);
  });
});

describe('PDF inspection', () => {
  test('counts the pages of a drawing', async () => {
    expect(inspectPdf(await pagesPdf(3))).toEqual({ encrypted: false, pageCount: 3 });
  });

  test('counts pages without object streams too', async () => {
    const pdf = await drawingPdf([[], [], [], []], { useObjectStreams: false });

    expect(inspectPdf(pdf).pageCount).toBe(4);
  });

  test('notices an encryption dictionary', () => {
    expect(inspectPdf(encryptedPdf())).toEqual({ encrypted: true, pageCount: 1 });
  });

  test('recognises a PDF by its header only', () => {
    expect(isPdf(Buffer.from('%PDF-1.7\n'))).toBe(true);
    expect(isPdf(Buffer.from('PK\u0003\u0004 a zip'))).toBe(false);
    expect(isPdf(Buffer.alloc(0))).toBe(false);
  });
});

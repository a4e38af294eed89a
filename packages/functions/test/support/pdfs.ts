import { PDFDocument, StandardFonts } from 'pdf-lib';
import { lineText, type TextLine } from '../../src/domain/text-layout';

/** A drawing whose text layer shows `pages[i]`'s lines on page i. */
export async function drawingPdf(
  pages: string[][],
  options: { useObjectStreams?: boolean } = {},
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([842, 595]);
    lines.forEach((line, i) => page.drawText(line, { x: 40, y: 550 - i * 20, size: 12, font }));
  }
  return Buffer.from(await doc.save({ useObjectStreams: options.useObjectStreams ?? true }));
}

/** A drawing with `count` empty pages. */
export async function pagesPdf(count: number): Promise<Buffer> {
  return drawingPdf(Array.from({ length: count }, () => []));
}

/**
 * A PDF whose trailer names an encryption dictionary. pdf-lib cannot encrypt, and the
 * processor only needs to see `/Encrypt` to refuse the file.
 */
export function encryptedPdf(): Buffer {
  return Buffer.from(
    [
      '%PDF-1.7',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj',
      '4 0 obj << /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >> endobj',
      'trailer << /Root 1 0 R /Encrypt 4 0 R /Size 5 >>',
      '%%EOF',
    ].join('\n'),
  );
}

/** The labels of a small access-control drawing, over two pages. */
export const SAMPLE_LABELS = [
  ['DOOR D-101', 'CARD READER CR-01', 'EXIT BUTTON EB-01', 'DOOR CONTACT DC-01'],
  ['DOOR D-102', 'CAMERA CAM-01', 'CAMERA CAM-02', 'CARD READER CR-01'],
];

export const SAMPLE_COMPONENTS = [
  { id: 'D-101', type: 'door' },
  { id: 'CR-01', type: 'card_reader' },
  { id: 'EB-01', type: 'exit_button' },
  { id: 'DC-01', type: 'door_contact' },
  { id: 'D-102', type: 'door' },
  { id: 'CAM-01', type: 'camera' },
  { id: 'CAM-02', type: 'camera' },
];

/** The text of what a reader read, line by line. */
export const textOf = (readout: { lines: readonly TextLine[] }): string[] =>
  readout.lines.map(lineText);

/**
 * Lines as the reader gives them, for analyser tests: line i of `page` is printed at
 * y = 100 + 20 i, from x = 40, in 10 pt type with 6 pt per character.
 */
export function linesOf(texts: readonly string[], page = 1): TextLine[] {
  return texts.map((text, i) => {
    let x = 40;
    const words = text
      .split(' ')
      .filter(Boolean)
      .map((word) => {
        const placed = { text: word, x, y: 100 + 20 * i, w: word.length * 6, size: 10 };
        x += (word.length + 1) * 6;
        return placed;
      });
    return { page, angle: 0, words };
  });
}

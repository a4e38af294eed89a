import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A one-page drawing whose text layer shows `labels`, one per line. */
export async function drawingPdf(labels: readonly string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([842, 595]);
  page.drawText('ACCESS CONTROL LAYOUT - LEVEL 1', { x: 40, y: 560, size: 14, font });
  labels.forEach((label, i) => page.drawText(label, { x: 40, y: 530 - i * 18, size: 11, font }));
  return Buffer.from(await doc.save());
}

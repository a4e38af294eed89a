/** The device labels on the synthetic drawing, one text line each. */
export const SYNTHETIC_LABELS = ['DOOR SYN-D1', 'CAMERA SYN-CAM1'] as const;

/**
 * A tiny one-page PDF (A6, Helvetica) whose text layer names a door and a camera: what the
 * post-traffic hook submits as its synthetic job. Built here, byte-exact with a correct
 * cross-reference table, so the hook needs no PDF library.
 */
export function syntheticDrawingPdf(): Buffer {
  const text = SYNTHETIC_LABELS.map(
    (label, i) => `BT /F1 10 Tf 24 ${360 - 24 * i} Td (${label}) Tj ET`,
  ).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

import { SYNTHETIC_LABELS, syntheticDrawingPdf } from '../../src/post-traffic/synthetic-drawing';

// The platform's PDF reader takes this drawing end to end in the app's hooks e2e test; here,
// its structure: every cross-reference entry points at its object, startxref at the table.
describe('syntheticDrawingPdf', () => {
  const pdf = syntheticDrawingPdf();
  const text = pdf.toString('latin1');

  it('is a PDF whose cross-reference table points exactly at each object', () => {
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) =>
      Number(m[1]),
    );
    expect(entries).toHaveLength(5);
    entries.forEach((offset, i) => {
      expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
  });

  it('names a door and a camera in its text layer, with a stream of the stated length', () => {
    const [, length, stream] = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(text)!;
    expect(Buffer.byteLength(stream, 'latin1')).toBe(Number(length));
    for (const label of SYNTHETIC_LABELS) expect(stream).toContain(`(${label}) Tj`);
  });
});

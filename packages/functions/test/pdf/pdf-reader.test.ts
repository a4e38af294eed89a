import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OfflineTextAnalyser } from '../../src/adapters/offline-text-analyser';
import { PdfReader, pdfWorkerFile } from '../../src/pdf/pdf-reader';
import { flateBombPdf, manyStreamsPdf } from '../support/hostile-pdfs';
import { drawingPdf, pagesPdf, textOf } from '../support/pdfs';

/**
 * Drawings written by several producers (reportlab, matplotlib, fpdf2, qpdf, pdf-lib and
 * hand-made CAD-style files; see fixtures/drawings/make_drawings.py), with what each holds.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'drawings');
const expected: Record<string, { about: string; components?: string[]; error?: string }> =
  JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

const reader = new PdfReader({ workerFile: pdfWorkerFile({}) });
afterAll(() => reader.close());

async function componentIds(pdf: Buffer): Promise<string[]> {
  await reader.inspect(pdf, 50);
  const { lines } = await reader.extract(pdf, 50);
  const { components } = await new OfflineTextAnalyser().analyse({ jobId: 'job_1', pdf, lines });
  return components.map((c) => c.id);
}

describe('reading drawings from many producers', () => {
  test.each(Object.entries(expected).filter(([, e]) => e.components))(
    '%s gives its components',
    async (file, { components }) => {
      const ids = await componentIds(readFileSync(join(FIXTURES, file)));

      expect([...ids].sort()).toEqual([...components!].sort());
    },
  );

  test.each(Object.entries(expected).filter(([, e]) => e.error))(
    '%s fails with its code',
    async (file, { error }) => {
      await expect(componentIds(readFileSync(join(FIXTURES, file)))).rejects.toMatchObject({
        code: error,
      });
    },
  );

  test('pdf-lib drawings, with and without object streams, page by page', async () => {
    for (const useObjectStreams of [true, false]) {
      const pdf = await drawingPdf([['DOOR D-1', 'CAMERA CAM-1'], ['EXIT BUTTON EB-1']], {
        useObjectStreams,
      });

      const readout = await reader.extract(pdf, 50);

      expect(readout).toMatchObject({ pageCount: 2, warnings: [] });
      expect(textOf(readout)).toEqual(['DOOR D-1', 'CAMERA CAM-1', 'EXIT BUTTON EB-1']);
      expect(readout.lines.map((l) => l.page)).toEqual([1, 1, 2]);
      // drawn at x 40 and y 550 from the bottom of a 595 pt high page
      expect(readout.lines[1].words[0]).toMatchObject({ text: 'CAMERA', x: 40, y: 65 });
    }
  });

  test('counts pages and refuses more than the limit before reading text', async () => {
    expect((await reader.inspect(await pagesPdf(3), 50)).pageCount).toBe(3);
    await expect(reader.inspect(await pagesPdf(3), 2)).rejects.toMatchObject({
      code: 'TOO_MANY_PAGES',
      message: 'the drawing has 3 pages; at most 2 are processed',
    });
  });

  test('refuses what is not a PDF, or not a readable one, with INVALID_PDF or NOT_A_PDF', async () => {
    await expect(reader.inspect(Buffer.from('hello'), 50)).rejects.toMatchObject({
      code: 'NOT_A_PDF',
    });
    await expect(
      reader.inspect(Buffer.from('%PDF-1.7\ngarbage\n%%EOF\n'), 50),
    ).rejects.toMatchObject({
      code: 'INVALID_PDF',
    });
  });
});

describe('limits on what a drawing may cost', () => {
  test('a Flate bomb fails fast with PDF_TOO_COMPLEX, without inflating it', async () => {
    await expect(reader.extract(flateBombPdf(300), 50)).rejects.toMatchObject({
      code: 'PDF_TOO_COMPLEX',
      message: expect.stringMatching(/decompresses to more than 64 MiB/),
    });
  });

  test('a drawing of 20 000 tiny streams is read whole', async () => {
    const readout = await reader.extract(manyStreamsPdf(20_000, 'CARD READER CR-77'), 50);

    expect(textOf(readout)).toEqual(['CARD READER CR-77']);
  });

  test('a read that outlives maxSeconds fails with PDF_TOO_COMPLEX and the worker is replaced', async () => {
    const slow = new PdfReader({ workerFile: pdfWorkerFile({}), limits: { maxSeconds: 0.05 } });
    try {
      await expect(slow.extract(manyStreamsPdf(20_000), 50)).rejects.toMatchObject({
        code: 'PDF_TOO_COMPLEX',
        message: expect.stringMatching(/longer than 0.05 s/),
      });
      // the next read gets a fresh worker (given the time a worker needs to start)
      const fresh = new PdfReader({ workerFile: pdfWorkerFile({}) });
      expect(textOf(await fresh.extract(await drawingPdf([['DOOR D-2']]), 50))).toEqual([
        'DOOR D-2',
      ]);
      await fresh.close();
    } finally {
      await slow.close();
    }
  });

  test('reads queue behind a full pool and all complete', async () => {
    const pool = new PdfReader({ workerFile: pdfWorkerFile({}), poolSize: 1 });
    try {
      const drawings = await Promise.all([1, 2, 3].map((n) => drawingPdf([[`DOOR D-${n}`]])));

      const texts = await Promise.all(drawings.map((pdf) => pool.extract(pdf, 50)));

      expect(texts.map(textOf)).toEqual([['DOOR D-1'], ['DOOR D-2'], ['DOOR D-3']]);
    } finally {
      await pool.close();
    }
  });
});

describe('where the worker is', () => {
  test('next to the handler in Lambda, else the built bundle', () => {
    expect(pdfWorkerFile({ LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task/pdf.worker.mjs');
    expect(pdfWorkerFile({})).toMatch(/functions\/dist\/processor\/pdf\.worker\.mjs$/);
  });
});

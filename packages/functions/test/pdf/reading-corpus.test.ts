import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComponentPlace } from '@security-assistant/layer-common';
import { OfflineTextAnalyser } from '../../src/adapters/offline-text-analyser';
import { toScheduleCsv } from '../../src/domain/components';
import { PdfReader, pdfWorkerFile } from '../../src/pdf/pdf-reader';

/**
 * The reading corpus: every scene of fixtures/reading/scenes.json (overlapping, wrapped,
 * lower-case, id-only and legend drawings) drawn by four producers, with where each one
 * printed each tag (make_reading.py, make_reading.mjs).
 */
const CORPUS = join(__dirname, '..', 'fixtures', 'reading');
interface Expected {
  producer: string;
  drawings: Record<string, Array<{ id: string; type: string; places: ComponentPlace[] }>>;
}
const producers = readdirSync(CORPUS)
  .filter((f) => /^expected\..+\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as Expected);
const drawings = producers.flatMap(({ drawings: d }) => Object.entries(d));

const reader = new PdfReader({ workerFile: pdfWorkerFile({}) });
afterAll(() => reader.close());

async function analyse(file: string) {
  const pdf = readFileSync(join(CORPUS, file));
  const { lines } = await reader.extract(pdf, 50);
  return new OfflineTextAnalyser().analyse({ jobId: 'job_1', pdf, lines });
}

describe('the reading corpus', () => {
  test('has every kind of drawing from at least two producers, and four producers', () => {
    expect(producers.length).toBeGreaterThanOrEqual(4);
    for (const kind of ['overlap', 'wrapped', 'lowercase', 'id-only', 'legend']) {
      expect(drawings.filter(([file]) => file.endsWith(`-${kind}.pdf`)).length).toBeGreaterThan(1);
    }
  });

  test.each(drawings)(
    '%s reads exactly its components, typed, where they are printed',
    async (file, want) => {
      const { components, warnings } = await analyse(file);

      expect(components.map(({ id, type }) => ({ id, type }))).toEqual(
        want.map(({ id, type }) => ({ id, type })),
      );
      for (const [i, { places }] of want.entries()) {
        const got = components[i].places ?? [];
        expect(got.map((p) => p.page)).toEqual(places.map((p) => p.page));
        got.forEach((place, k) => {
          // within 5 pt (under 2 mm) of where the producer drew the tag: pdf.js gives a
          // run's advance, and a tag inside a run is placed by typical glyph widths
          expect(Math.abs(place.x - places[k].x)).toBeLessThan(5);
          expect(Math.abs(place.y - places[k].y)).toBeLessThan(1);
        });
      }
      expect(warnings).toBeUndefined();
    },
  );

  test('a drawing of id-only tags gives page and position in the CSV schedule', async () => {
    const { components } = await analyse('reportlab-id-only.pdf');

    const rows = toScheduleCsv(components).trim().split('\r\n');

    expect(rows[0]).toBe('id,type,page,x,y');
    expect(rows).toContain('CR-01,card_reader,1;2,150;300,140;300');
    expect(rows).toContain('ML-04,magnetic_lock,2,300,350');
  });
});

import { ConfigError } from '@security-assistant/layer-common';
import { createAnalyser } from '../../src/adapters/analyser';
import { OfflineTextAnalyser } from '../../src/adapters/offline-text-analyser';
import { maxPagesFrom } from '../../src/processor/settings';
import { drawingPdf } from '../support/pdfs';

describe('analyser selection', () => {
  test('ANALYSER=offline reads the text layer', async () => {
    const analyser = createAnalyser('offline');

    const { components } = await analyser.analyse({
      jobId: 'job_1',
      pdf: await drawingPdf([]),
      text: ['CARD READER', 'CR-07 and DOOR D-3'],
    });

    expect(analyser).toBeInstanceOf(OfflineTextAnalyser);
    expect(components).toEqual([
      { id: 'CR-07', type: 'card_reader' },
      { id: 'D-3', type: 'door' },
    ]);
  });

  test('a drawing without any text fails with NO_TEXT_LAYER, pointing to the gemini analyser', async () => {
    const analyser = new OfflineTextAnalyser();

    await expect(
      analyser.analyse({ jobId: 'job_1', pdf: await drawingPdf([]), text: ['', '  '] }),
    ).rejects.toMatchObject({ code: 'NO_TEXT_LAYER', message: expect.stringMatching(/gemini/) });
  });

  test('ANALYSER=gemini is refused with a ConfigError naming it', () => {
    expect(() => createAnalyser('gemini')).toThrow(ConfigError);
    expect(() => createAnalyser('gemini')).toThrow(/gemini/);
  });
});

describe('MAX_PAGES', () => {
  test('defaults to 50 and reads a positive integer', () => {
    expect(maxPagesFrom({})).toBe(50);
    expect(maxPagesFrom({ MAX_PAGES: '7' })).toBe(7);
  });

  test.each(['0', '-1', '2.5', 'many'])('rejects %s', (value) => {
    expect(() => maxPagesFrom({ MAX_PAGES: value })).toThrow(
      /MAX_PAGES must be a positive integer/,
    );
  });
});

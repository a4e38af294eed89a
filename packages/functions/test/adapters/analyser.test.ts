import { ConfigError } from '@security-assistant/layer-common';
import { createAnalyser } from '../../src/adapters/analyser';
import { GeminiAnalyser } from '../../src/adapters/gemini-analyser';
import { OfflineTextAnalyser } from '../../src/adapters/offline-text-analyser';
import { maxPagesFrom } from '../../src/processor/settings';
import { drawingPdf, linesOf } from '../support/pdfs';

describe('analyser selection', () => {
  test('ANALYSER=offline reads the text layer', async () => {
    const analyser = createAnalyser({ analyser: 'offline' });

    const { components } = await analyser.analyse({
      jobId: 'job_1',
      pdf: await drawingPdf([]),
      lines: linesOf(['CARD READER', 'CR-07 and DOOR D-3']),
    });

    expect(analyser).toBeInstanceOf(OfflineTextAnalyser);
    expect(components.map(({ id, type }) => ({ id, type }))).toEqual([
      { id: 'CR-07', type: 'card_reader' },
      { id: 'D-3', type: 'door' },
    ]);
  });

  test('a drawing without any text fails with NO_TEXT_LAYER, pointing to the gemini analyser', async () => {
    const analyser = new OfflineTextAnalyser();

    await expect(
      analyser.analyse({ jobId: 'job_1', pdf: await drawingPdf([]), lines: linesOf(['', '  ']) }),
    ).rejects.toMatchObject({ code: 'NO_TEXT_LAYER', message: expect.stringMatching(/gemini/) });
  });

  test('ANALYSER=gemini builds the model adapter from MODEL_NAME and GEMINI_BASE_URL', () => {
    const analyser = createAnalyser(
      { analyser: 'gemini', modelApiKeyParameter: '/x/model-api-key' },
      { MODEL_NAME: 'gemini-2.5-pro', GEMINI_BASE_URL: 'http://127.0.0.1:9' },
    );

    expect(analyser).toBeInstanceOf(GeminiAnalyser);
  });

  test.each([
    [{}, {}, /MODEL_API_KEY_PARAMETER/],
    [{ modelApiKeyParameter: '/k' }, { MODEL_NAME: 'a model' }, /MODEL_NAME must be/],
    [{ modelApiKeyParameter: '/k' }, { GEMINI_BASE_URL: 'ftp://x' }, /GEMINI_BASE_URL must be/],
  ])('ANALYSER=gemini refuses bad settings with a ConfigError (%j %j)', (config, env, message) => {
    expect(() => createAnalyser({ analyser: 'gemini', ...config }, env)).toThrow(ConfigError);
    expect(() => createAnalyser({ analyser: 'gemini', ...config }, env)).toThrow(message);
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

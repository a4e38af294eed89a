import { Api } from './support/api';
import { drawingPdf } from './support/drawings';
import { eventually, startLocalPlatform, type RunningPlatform } from './support/local-platform';
import {
  componentsAnswer,
  errorAnswer,
  startModelStandIn,
  type ModelStandIn,
} from '../../../functions/test/support/model-stand-in';

jest.setTimeout(180_000);

const KEY = 'e2e-gemini-key';
let standIn: ModelStandIn;
let platform: RunningPlatform;

beforeAll(async () => {
  // A stand-in for Gemini that first rate-limits, then fails, then answers
  standIn = await startModelStandIn([
    errorAnswer(429, { headers: { 'retry-after': '2' } }),
    errorAnswer(503),
    componentsAnswer([
      { type: 'camera', label: 'CAM-31', page: 1, confidence: 0.9 },
      { type: 'door', label: 'D-31', page: 1, confidence: 0.99 },
      { type: 'card_reader', label: 'CR-31', page: 1, confidence: 0.7 },
    ]),
  ]);
  platform = await startLocalPlatform(
    { GEMINI_API_KEY: KEY, GEMINI_BASE_URL: standIn.baseUrl },
    90_000,
    ['--analyser', 'gemini'],
  );
});

afterAll(async () => {
  platform?.kill();
  await standIn?.close();
});

describe('the local platform with --analyser gemini', () => {
  it('waits out a 429 (Retry-After: 2) and a 503, then completes with exactly the model’s components', async () => {
    const api = new Api(platform.info);
    // the drawing's text names other components: only what the model says counts
    const submitted = await api.submit({
      pdf: await drawingPdf(['DOOR D-1', 'CAMERA CAM-1']),
      clientName: 'e2e-gemini',
      projectName: 'Model',
    });
    expect(submitted.status).toBe(202);

    const job = await eventually('the job to finish', async () => {
      const view = (await api.status(submitted.body.job_id)).body;
      return ['completed', 'failed'].includes(view.status) ? view : undefined;
    });

    expect(job).toMatchObject({
      status: 'completed',
      result: {
        total_components: 3,
        counts_by_type: { camera: 1, door: 1, card_reader: 1 },
        model_usage: { model: 'gemini-2.5-flash', input_tokens: 1200, output_tokens: 80 },
      },
    });
    const result = (await (await fetch(job.result.download_url)).json()) as any;
    expect(result.components.map((c: any) => c.id)).toEqual(['CAM-31', 'D-31', 'CR-31']);
    // every call carried the key from the emulator's SSM parameter (seeded from GEMINI_API_KEY)
    const calls = standIn.requests.filter((r) => r.path.includes(':generateContent'));
    expect(calls).toHaveLength(3);
    expect(calls.every((r) => r.headers['x-goog-api-key'] === KEY)).toBe(true);
    // and the retry after the 429 waited at least the 2 seconds it was told
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(2000);
  });

  it('refuses to start without GEMINI_API_KEY, saying so', async () => {
    await expect(
      startLocalPlatform({ GEMINI_API_KEY: '' }, 60_000, ['--analyser', 'gemini']),
    ).rejects.toThrow(/GEMINI_API_KEY/);
  });
});

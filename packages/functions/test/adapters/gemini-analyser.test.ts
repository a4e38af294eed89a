import {
  GeminiAnalyser,
  ModelRetryLaterError,
  retryDelayMs,
  type GeminiAnalyserOptions,
} from '../../src/adapters/gemini-analyser';
import {
  componentsAnswer,
  errorAnswer,
  malformedAnswer,
  startModelStandIn,
  type ModelStandIn,
  type ScriptedAnswer,
} from '../support/model-stand-in';

const KEY = 'test-key-not-a-secret';
const COMPONENTS = [
  { type: 'door', label: 'D-101', page: 1, confidence: 0.97 },
  { type: 'card_reader', label: 'CR-01', page: 1, confidence: 0.9 },
  { type: 'turnstile', label: 'TS-1', page: 2, confidence: 1.4 },
];
const pdf = Buffer.from('%PDF-1.7\n% a drawing\n%%EOF\n');

let standIn: ModelStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

/** An analyser against a stand-in playing `script`; sleeps are recorded, not waited. */
async function analyserFor(script: ScriptedAnswer[], options: Partial<GeminiAnalyserOptions> = {}) {
  standIn = await startModelStandIn(script);
  const slept: number[] = [];
  const analyser = new GeminiAnalyser({
    model: 'gemini-2.5-flash',
    apiKey: async () => KEY,
    baseUrl: standIn.baseUrl,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { analyser, slept, server: standIn };
}

const analyse = (analyser: GeminiAnalyser, remainingMillis?: () => number, drawing = pdf) =>
  analyser.analyse({ jobId: 'job_1', pdf: drawing, lines: [], remainingMillis });

describe('GeminiAnalyser', () => {
  test('sends the drawing inline with the key and the schema, and returns the components and usage', async () => {
    const { analyser, server } = await analyserFor([componentsAnswer(COMPONENTS)]);

    const result = await analyse(analyser);

    expect(result).toEqual({
      components: [
        { id: 'D-101', type: 'door', page: 1, confidence: 0.97 },
        { id: 'CR-01', type: 'card_reader', page: 1, confidence: 0.9 },
        // a type outside the vocabulary becomes other; confidence is clamped to 0..1
        { id: 'TS-1', type: 'other', page: 2, confidence: 1 },
      ],
      usage: { model: 'gemini-2.5-flash', input_tokens: 1200, output_tokens: 80 },
    });
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe(KEY);
    const body = JSON.parse(request.body.toString());
    expect(body.contents[0].parts[0]).toEqual({
      inline_data: { mime_type: 'application/pdf', data: pdf.toString('base64') },
    });
    expect(body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseSchema: {
        properties: {
          components: { items: { required: ['type', 'label', 'page', 'confidence'] } },
        },
      },
    });
    expect(
      body.generationConfig.responseSchema.properties.components.items.properties.type.enum,
    ).toEqual(expect.arrayContaining(['door', 'card_reader', 'camera', 'other']));
  });

  test('waits what it is told: 429 with Retry-After 2, then 503, then the components', async () => {
    const { analyser, slept, server } = await analyserFor([
      errorAnswer(429, { headers: { 'retry-after': '2' } }),
      errorAnswer(503),
      componentsAnswer(COMPONENTS.slice(0, 2)),
    ]);

    const { components } = await analyse(analyser);

    expect(components.map((c) => c.id)).toEqual(['D-101', 'CR-01']);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.headers['x-goog-api-key'] === KEY)).toBe(true);
    // 2 s as told, then full-jitter backoff for the 503 (attempt 2: random 0.5 × 2 s)
    expect(slept).toEqual([2000, 1000]);
  });

  test('really waits: the retry after Retry-After 1 comes at least a second later', async () => {
    const { analyser, server } = await analyserFor(
      [errorAnswer(429, { headers: { 'retry-after': '1' } }), componentsAnswer(COMPONENTS)],
      { sleep: undefined },
    );

    await analyse(analyser);

    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(1000);
  });

  test('reads RetryInfo.retryDelay when there is no Retry-After', async () => {
    const { analyser, slept } = await analyserFor([
      errorAnswer(429, {
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7.5s' }],
      }),
      componentsAnswer(COMPONENTS),
    ]);

    await analyse(analyser);

    expect(slept).toEqual([7500]);
  });

  test('backs off exponentially with full jitter, capped at 30 s', () => {
    const none = { headers: new Headers(), body: {} };

    expect(retryDelayMs(none, 1, () => 0.999)).toBeLessThan(1000);
    expect(retryDelayMs(none, 4, () => 0.5)).toBe(4000);
    expect(retryDelayMs(none, 12, () => 1)).toBe(30_000);
    expect(retryDelayMs(none, 3, () => 0)).toBe(0);
    const date = new Date(Date.now() + 5000).toUTCString();
    expect(
      retryDelayMs({ headers: new Headers({ 'retry-after': date }), body: {} }, 1, () => 0),
    ).toBeGreaterThan(3000);
  });

  test('hands a wait beyond its bound to the queue, with the delay', async () => {
    const { analyser, slept } = await analyserFor(
      [errorAnswer(429, { headers: { 'retry-after': '90' } })],
      { maxWaitMs: 60_000 },
    );

    const error = await analyse(analyser).catch((e) => e);

    expect(error).toBeInstanceOf(ModelRetryLaterError);
    expect(error.retryAfterSeconds).toBe(90);
    expect(error.message).toMatch(/429/);
    expect(slept).toEqual([]);
  });

  test('never waits past the invocation: a short remaining time hands the wait to the queue', async () => {
    const { analyser, slept } = await analyserFor([
      errorAnswer(503, { headers: { 'retry-after': '5' } }),
    ]);

    const error = await analyse(analyser, () => 33_000).catch((e) => e);

    expect(error).toBeInstanceOf(ModelRetryLaterError);
    expect(error.retryAfterSeconds).toBe(5);
    expect(slept).toEqual([]);
  });

  test.each([
    [400, 'MODEL_REJECTED'],
    [404, 'MODEL_REJECTED'],
    [401, 'MODEL_AUTH'],
    [403, 'MODEL_AUTH'],
  ])(
    'fails the job at once on %i with %s, without the key in the message',
    async (status, code) => {
      const { analyser, server } = await analyserFor([errorAnswer(status)]);

      const error = await analyse(analyser).catch((e) => e);

      expect(error).toMatchObject({ code, message: expect.stringContaining(String(status)) });
      expect(error.message).not.toContain(KEY);
      expect(server.requests).toHaveLength(1);
    },
  );

  test('asks once more after unparseable output, then fails with MODEL_OUTPUT_INVALID', async () => {
    const { analyser, server } = await analyserFor([malformedAnswer]);

    await expect(analyse(analyser)).rejects.toMatchObject({ code: 'MODEL_OUTPUT_INVALID' });
    expect(server.requests).toHaveLength(2);
  });

  test('accepts a good answer after one unparseable one, counting the tokens of both', async () => {
    const { analyser } = await analyserFor([
      {
        ...malformedAnswer,
        body: {
          ...(malformedAnswer.body as object),
          usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5 },
        },
      },
      componentsAnswer(COMPONENTS, { promptTokenCount: 100, candidatesTokenCount: 50 }),
    ]);

    const { components, usage } = await analyse(analyser);

    expect(components).toHaveLength(3);
    expect(usage).toEqual({ model: 'gemini-2.5-flash', input_tokens: 110, output_tokens: 55 });
  });

  test('treats an answer slower than the request timeout as retryable', async () => {
    const { analyser, slept, server } = await analyserFor(
      [{ ...componentsAnswer(COMPONENTS), delayMs: 1500 }, componentsAnswer(COMPONENTS)],
      { requestTimeoutMs: 300 },
    );

    const { components } = await analyse(analyser);

    expect(components).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(slept).toHaveLength(1);
  });

  test('uploads a drawing over the inline limit through the Files API and refers to it', async () => {
    const { analyser, server } = await analyserFor([componentsAnswer(COMPONENTS)], {
      inlineLimitBytes: 16,
    });

    await analyse(analyser);

    const [start, upload, generate] = server.requests;
    expect(start.path).toBe('/upload/v1beta/files');
    expect(start.headers['x-goog-upload-protocol']).toBe('resumable');
    expect(start.headers['x-goog-upload-header-content-length']).toBe(String(pdf.length));
    expect(upload.headers['x-goog-upload-command']).toBe('upload, finalize');
    expect(upload.body.equals(pdf)).toBe(true);
    expect(JSON.parse(generate.body.toString()).contents[0].parts[0]).toEqual({
      file_data: { mime_type: 'application/pdf', file_uri: `${server.baseUrl}/v1beta/files/f1` },
    });
  });
});

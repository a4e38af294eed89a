import { PlatformMetrics, modelCostUsd, modelPricesFrom } from '../../src';

/** The EMF lines `run` writes to stdout. */
function emfLines(run: () => void): any[] {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l._aws);
}

const definitionOf = (line: any) => line._aws.CloudWatchMetrics[0];

describe('PlatformMetrics', () => {
  test('writes job metrics as one EMF line in namespace SecurityAssistant with the stage as the only dimension', () => {
    const lines = emfLines(() => {
      const metrics = new PlatformMetrics('staging');
      metrics.jobSubmitted();
      metrics.jobCompleted(4200);
      metrics.jobDeadLettered();
      metrics.publish();
    });
    expect(lines).toHaveLength(1);
    expect(definitionOf(lines[0])).toMatchObject({
      Namespace: 'SecurityAssistant',
      Dimensions: [['stage']],
    });
    expect(lines[0]).toMatchObject({
      stage: 'staging',
      JobsSubmitted: 1,
      JobsCompleted: 1,
      JobDuration: 4200,
      DeadLetteredJobs: 1,
    });
    expect(lines[0]).not.toHaveProperty('service');
  });

  test('reports stage durations by processing stage and failures overall and by error code', () => {
    const lines = emfLines(() => {
      const metrics = new PlatformMetrics('prod');
      metrics.stageCompleted('pdf_processing', 350);
      metrics.jobFailed('NO_TEXT_LAYER');
      metrics.publish();
    });
    const byDimensions = Object.fromEntries(
      lines.map((l) => [JSON.stringify(definitionOf(l).Dimensions), l]),
    );
    expect(byDimensions['[["stage","processing_stage"]]']).toMatchObject({
      processing_stage: 'pdf_processing',
      StageDuration: 350,
    });
    expect(byDimensions['[["stage","error_code"]]']).toMatchObject({
      error_code: 'NO_TEXT_LAYER',
      JobsFailed: 1,
    });
    expect(byDimensions['[["stage"]]']).toMatchObject({ stage: 'prod', JobsFailed: 1 });
  });

  test('publishes every stage duration of every job with its own stage, however many jobs run', () => {
    const lines = emfLines(() => {
      const metrics = new PlatformMetrics('prod');
      for (const job of [1, 2]) {
        metrics.stageCompleted('validation', job);
        metrics.stageCompleted('pdf_processing', 10 * job);
        metrics.jobFailed(job === 1 ? 'NO_TEXT_LAYER' : 'MODEL_ERROR');
      }
    });
    const single = lines.filter((l) => definitionOf(l).Dimensions[0].length === 2);
    expect(
      single.map((l) => [l.processing_stage ?? l.error_code, l.StageDuration ?? l.JobsFailed]),
    ).toEqual([
      ['validation', 1],
      ['pdf_processing', 10],
      ['NO_TEXT_LAYER', 1],
      ['validation', 2],
      ['pdf_processing', 20],
      ['MODEL_ERROR', 1],
    ]);
  });

  test('estimates the cost of model calls from the price table, and leaves it out for an unknown model', () => {
    const [known] = emfLines(() => {
      const metrics = new PlatformMetrics('dev');
      metrics.modelUsage({
        model: 'gemini-2.5-flash',
        input_tokens: 1_000_000,
        output_tokens: 100_000,
      });
      metrics.publish();
    });
    expect(known).toMatchObject({ ModelInputTokens: 1_000_000, ModelOutputTokens: 100_000 });
    expect(known.ModelCostUsd).toBeCloseTo(0.3 + 0.25, 10);
    const [unknown] = emfLines(() => {
      const metrics = new PlatformMetrics('dev');
      metrics.modelUsage({ model: 'someone-elses-model', input_tokens: 10, output_tokens: 2 });
      metrics.publish();
    });
    expect(unknown).toMatchObject({ ModelInputTokens: 10, ModelOutputTokens: 2 });
    expect(unknown).not.toHaveProperty('ModelCostUsd');
  });

  test('writes nothing when nothing was recorded', () => {
    expect(emfLines(() => new PlatformMetrics('dev').publish())).toEqual([]);
  });
});

describe('the model price table', () => {
  test('takes MODEL_PRICES over the built-in prices, and refuses a malformed one', () => {
    const prices = modelPricesFrom({ MODEL_PRICES: '{"my-model": {"input": 1, "output": 2}}' });
    expect(
      modelCostUsd({ model: 'my-model', input_tokens: 500_000, output_tokens: 500_000 }, prices),
    ).toBe(1.5);
    expect(prices['gemini-2.5-flash']).toEqual({ input: 0.3, output: 2.5 });
    for (const bad of ['not json', '{"m": {"input": -1, "output": 1}}', '{"m": 3}']) {
      expect(() => modelPricesFrom({ MODEL_PRICES: bad })).toThrow(
        /MODEL_PRICES must be JSON like/,
      );
    }
  });
});

import { EmfMetrics } from '../../src/adapters/emf-metrics';

describe('EmfMetrics', () => {
  test('writes model token counts as one EMF line in SecurityAssistant, by stage', () => {
    const lines: string[] = [];
    const metrics = new EmfMetrics(
      'prod',
      (line) => lines.push(line),
      () => 1_795_000_000_000,
    );

    metrics.modelUsage({ model: 'gemini-2.5-flash', input_tokens: 1200, output_tokens: 80 });

    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        _aws: {
          Timestamp: 1_795_000_000_000,
          CloudWatchMetrics: [
            {
              Namespace: 'SecurityAssistant',
              Dimensions: [['stage']],
              Metrics: [
                { Name: 'ModelInputTokens', Unit: 'Count' },
                { Name: 'ModelOutputTokens', Unit: 'Count' },
              ],
            },
          ],
        },
        stage: 'prod',
        model: 'gemini-2.5-flash',
        ModelInputTokens: 1200,
        ModelOutputTokens: 80,
      },
    ]);
  });
});

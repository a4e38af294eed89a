import type { ModelUsage } from '@security-assistant/layer-common';

/** Where the platform's custom metrics go: CloudWatch's namespace for them. */
export const METRICS_NAMESPACE = 'SecurityAssistant';

/** Custom metrics the processor reports. */
export interface Metrics {
  modelUsage(usage: ModelUsage): void;
}

/**
 * Metrics as CloudWatch embedded metric format (EMF) lines on stdout: Lambda's log pipeline
 * turns each into metrics, with no API call and no client; locally they are printed as is.
 * Namespace `SecurityAssistant`, dimension `stage`.
 */
export class EmfMetrics implements Metrics {
  constructor(
    private readonly stage: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly now: () => number = Date.now,
  ) {}

  modelUsage(usage: ModelUsage): void {
    this.emit(
      { ModelInputTokens: usage.input_tokens, ModelOutputTokens: usage.output_tokens },
      { model: usage.model },
    );
  }

  private emit(values: Record<string, number>, properties: Record<string, string>): void {
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: this.now(),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['stage']],
              Metrics: Object.keys(values).map((Name) => ({ Name, Unit: 'Count' })),
            },
          ],
        },
        stage: this.stage,
        ...properties,
        ...values,
      }),
    );
  }
}

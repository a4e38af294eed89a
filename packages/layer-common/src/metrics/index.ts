import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
import type { ModelUsage } from '../jobs';

/** CloudWatch namespace of the platform's own metrics. */
export const METRICS_NAMESPACE = 'SecurityAssistant';

/** A model's price, in USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

/**
 * Published list prices of the models the platform calls, in USD per million tokens (Gemini
 * API, paid tier, prompts up to 200k tokens). `MODEL_PRICES` (JSON of the same shape)
 * overrides or extends it.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
};

/** The price table: MODEL_PRICES with `MODEL_PRICES` from the environment over it. */
export function modelPricesFrom(env: NodeJS.ProcessEnv = process.env): Record<string, ModelPrice> {
  if (!env.MODEL_PRICES) return { ...MODEL_PRICES };
  let given: unknown;
  try {
    given = JSON.parse(env.MODEL_PRICES);
  } catch {
    given = undefined;
  }
  const valid =
    typeof given === 'object' &&
    given !== null &&
    Object.values(given).every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        [p.input, p.output].every((n) => typeof n === 'number' && n >= 0),
    );
  if (!valid) {
    throw new Error(
      'MODEL_PRICES must be JSON like {"<model>": {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>}}',
    );
  }
  return { ...MODEL_PRICES, ...(given as Record<string, ModelPrice>) };
}

/** The estimated cost of one model call in USD, or undefined when the model has no price. */
export function modelCostUsd(
  usage: ModelUsage,
  prices: Record<string, ModelPrice> = MODEL_PRICES,
): number | undefined {
  const price = prices[usage.model];
  if (!price) return undefined;
  return (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1_000_000;
}

/**
 * The platform's metrics, as CloudWatch embedded metric format lines on stdout (Powertools
 * Metrics): namespace `SecurityAssistant`, dimension `stage` (and `processing_stage` or
 * `error_code` where named). Lambda's log pipeline turns them into metrics with no API call;
 * locally they are printed as they are. Call {@link publish} at the end of each invocation.
 */
export class PlatformMetrics {
  private readonly metrics: Metrics;
  /** One single-metric publisher per dimension set (a handful: stages and error codes). */
  private readonly singles = new Map<string, Metrics>();
  private stored = 0;

  constructor(
    private readonly stage: string,
    private readonly prices: Record<string, ModelPrice> = MODEL_PRICES,
  ) {
    this.metrics = this.create({}, false);
  }

  /** A job was accepted and queued. */
  jobSubmitted(): void {
    this.add('JobsSubmitted', MetricUnit.Count, 1);
  }

  /** A processing stage of a job completed. */
  stageCompleted(processingStage: string, durationMs: number): void {
    this.single({ processing_stage: processingStage }, 'StageDuration', durationMs);
  }

  /** A job completed, `durationMs` after it was submitted. */
  jobCompleted(durationMs: number): void {
    this.add('JobsCompleted', MetricUnit.Count, 1);
    this.add('JobDuration', MetricUnit.Milliseconds, durationMs);
  }

  /** A job failed with `code` (counted overall and by code). */
  jobFailed(code: string): void {
    this.add('JobsFailed', MetricUnit.Count, 1);
    this.single({ error_code: code }, 'JobsFailed', 1, MetricUnit.Count);
  }

  /** A job's message reached the dead-letter queue. */
  jobDeadLettered(): void {
    this.add('DeadLetteredJobs', MetricUnit.Count, 1);
  }

  /** The tokens of a model call, and its estimated cost when the model has a price. */
  modelUsage(usage: ModelUsage): void {
    this.add('ModelInputTokens', MetricUnit.Count, usage.input_tokens);
    this.add('ModelOutputTokens', MetricUnit.Count, usage.output_tokens);
    const cost = modelCostUsd(usage, this.prices);
    if (cost !== undefined) this.add('ModelCostUsd', MetricUnit.NoUnit, cost);
  }

  /** Writes the stored metrics as one EMF line; nothing when none were stored. */
  publish(): void {
    if (this.stored === 0) return;
    this.stored = 0;
    this.metrics.publishStoredMetrics();
  }

  private add(name: string, unit: Unit, value: number): void {
    this.metrics.addMetric(name, unit, value);
    this.stored++;
  }

  private single(
    dimensions: Record<string, string>,
    name: string,
    value: number,
    unit: Unit = MetricUnit.Milliseconds,
  ): void {
    const key = JSON.stringify(dimensions);
    let metrics = this.singles.get(key);
    if (!metrics) this.singles.set(key, (metrics = this.create(dimensions, true)));
    metrics.addMetric(name, unit, value);
  }

  /** Powertools adds a `service` dimension, also to single metrics: the platform's are per stage. */
  private create(dimensions: Record<string, string>, singleMetric: boolean): Metrics {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, singleMetric });
    metrics.clearDefaultDimensions();
    metrics.setDefaultDimensions({ stage: this.stage, ...dimensions });
    return metrics;
  }
}

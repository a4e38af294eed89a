import {
  ConfigError,
  PROCESSING_STAGES,
  type ProcessingStage,
} from '@security-assistant/layer-common';

/** The page limit when `MAX_PAGES` is not set. */
export const DEFAULT_MAX_PAGES = 50;

/**
 * `MAX_PAGES`: the most pages a drawing may have. Read here because it is the processor's
 * alone; layer-common's `loadConfig` holds the settings several functions share.
 */
export function maxPagesFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.MAX_PAGES ?? String(DEFAULT_MAX_PAGES);
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`MAX_PAGES must be a positive integer (given ${raw})`);
  }
  return value;
}

/** A failure forced on purpose, for tests of the retry and dead-letter path. */
export interface InjectedFault {
  /** Jobs of this client fail… */
  readonly clientName: string;
  /** …when they reach this stage, with a transient error, every time. */
  readonly stage: ProcessingStage;
}

/**
 * `TEST_FAULT_CLIENT_NAME` / `TEST_FAULT_STAGE` (default `drawing_analysis`): configuration
 * meant for tests only. The construct never sets them; the local platform passes them
 * through so end-to-end tests can watch a job go 3 receives → DLQ → failed → alert.
 */
export function injectedFaultFrom(env: NodeJS.ProcessEnv): InjectedFault | undefined {
  const clientName = env.TEST_FAULT_CLIENT_NAME;
  if (!clientName) return undefined;
  const stage = env.TEST_FAULT_STAGE ?? 'drawing_analysis';
  if (!(PROCESSING_STAGES as readonly string[]).includes(stage)) {
    throw new ConfigError(
      `TEST_FAULT_STAGE must be one of ${PROCESSING_STAGES.join(', ')} (given ${stage})`,
    );
  }
  return { clientName, stage: stage as ProcessingStage };
}

/** Delays before a failed message is received again, by receive: 10 s, 1 min, 5 min. */
export const DEFAULT_RETRY_DELAYS_SECONDS = [10, 60, 300];

/**
 * `RETRY_DELAYS_SECONDS`: comma-separated delays (0..43200, SQS's limit) before the 1st, 2nd,
 * … retry; the last repeats. A failed message is made visible again after its delay instead
 * of after the queue's visibility timeout (half an hour).
 */
export function retryDelaysFrom(env: NodeJS.ProcessEnv): number[] {
  const raw = env.RETRY_DELAYS_SECONDS;
  if (raw === undefined) return DEFAULT_RETRY_DELAYS_SECONDS;
  const delays = raw.split(',').map((part) => (part.trim() ? Number(part.trim()) : NaN));
  if (!delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 43_200)) {
    throw new ConfigError(
      `RETRY_DELAYS_SECONDS must be whole seconds 0..43200, comma-separated (given ${raw})`,
    );
  }
  return delays;
}

/** The delay before the retry that follows receive number `receiveCount` (1-based). */
export function retryDelayFor(delays: number[], receiveCount: number): number {
  const index = Math.max(0, Math.min(delays.length - 1, (receiveCount || 1) - 1));
  return delays[index];
}

/**
 * `TEST_FAULT_CRASH_RATE` (0..1, tests only): the share of stages that fail after doing their
 * work and before their checkpoint, as an invocation that dies mid-stage would.
 */
export function crashRateFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.TEST_FAULT_CRASH_RATE;
  if (raw === undefined || raw === '') return 0;
  const rate = Number(raw);
  if (!(rate >= 0 && rate <= 1)) {
    throw new ConfigError(`TEST_FAULT_CRASH_RATE must be a number from 0 to 1 (given ${raw})`);
  }
  return rate;
}

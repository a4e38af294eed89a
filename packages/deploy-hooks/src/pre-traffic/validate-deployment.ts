import { DeadlineExceededError, LifecycleReportError } from '../errors';

/** The lifecycle hook execution CodeDeploy waits on. */
export interface HookExecution {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
}

export type HookStatus = 'Succeeded' | 'Failed';

/** How long a check may run unless it says otherwise: a hung dependency fails within a minute. */
export const DEFAULT_CHECK_BUDGET_MS = 60_000;

/** One thing that must be true before (or after) traffic shifts. */
export interface Check {
  readonly name: string;
  /**
   * Longest this check may run, within the hook's own budget; {@link DEFAULT_CHECK_BUDGET_MS}
   * when unset.
   */
  readonly budgetMs?: number;
  /**
   * Resolves when healthy (optionally with a note on what it judged, which is logged),
   * rejects with the reason otherwise; stops work when `signal` aborts.
   */
  run(signal: AbortSignal): Promise<void | string>;
}

/** Tells CodeDeploy how the hook went. */
export interface LifecycleReporter {
  report(execution: HookExecution, status: HookStatus): Promise<void>;
}

/** The part of the logger the use case needs. */
export interface HookLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
  /** What a passing check judged, in its own words (e.g. "no calls, nothing to judge"). */
  readonly note?: string;
}

export interface ValidateDeploymentInput {
  readonly execution: HookExecution;
  /** Builds the checks; called inside the guarded section, so a configuration error fails the hook. */
  readonly checks: () => readonly Check[];
  readonly reporter: LifecycleReporter;
  readonly logger: HookLogger;
  /** Time the checks may take in all before the hook gives up on them and reports `Failed`. */
  readonly budgetMs: number;
}

export interface ValidationOutcome {
  readonly status: HookStatus;
  readonly results: readonly CheckResult[];
}

/**
 * Runs every check in parallel, each under its own deadline (its budget, at most the hook's),
 * then always reports `Succeeded` (every check
 * passed) or `Failed` (anything else: a failed or hanging check, an exception, no checks at all).
 *
 * @throws LifecycleReportError when CodeDeploy does not accept the status.
 */
export async function validateDeployment(
  input: ValidateDeploymentInput,
): Promise<ValidationOutcome> {
  const results = await runChecks(input);
  const status: HookStatus =
    results.length > 0 && results.every((r) => r.ok) ? 'Succeeded' : 'Failed';
  try {
    await input.reporter.report(input.execution, status);
  } catch (err) {
    throw new LifecycleReportError(`could not report ${status} to CodeDeploy`, { cause: err });
  }
  input.logger.info('hook status reported', { status });
  return { status, results };
}

async function runChecks(input: ValidateDeploymentInput): Promise<CheckResult[]> {
  try {
    const checks = input.checks();
    return await Promise.all(
      checks.map((c) =>
        runCheck(c, Math.min(c.budgetMs ?? DEFAULT_CHECK_BUDGET_MS, input.budgetMs), input.logger),
      ),
    );
  } catch (err) {
    const result = { name: 'setup', ok: false, durationMs: 0, error: describe(err) };
    input.logger.error('checks could not start', { ...result, cause: err });
    return [result];
  }
}

async function runCheck(check: Check, budgetMs: number, logger: HookLogger): Promise<CheckResult> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const err = new DeadlineExceededError(`${check.name} did not finish within ${budgetMs} ms`);
        controller.abort(err);
        reject(err);
      },
      Math.max(0, budgetMs),
    );
  });
  try {
    // `then` turns a synchronous throw inside run() into a rejection.
    const note = await Promise.race([
      Promise.resolve().then(() => check.run(controller.signal)),
      deadline,
    ]);
    const result = {
      name: check.name,
      ok: true,
      durationMs: Date.now() - started,
      ...(note ? { note } : {}),
    };
    logger.info('check passed', { check: result });
    return result;
  } catch (err) {
    const result = {
      name: check.name,
      ok: false,
      durationMs: Date.now() - started,
      error: describe(err),
    };
    logger.error('check failed', { check: result, cause: err });
    return result;
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

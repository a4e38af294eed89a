import { DeadlineExceededError, LifecycleReportError } from '../../src/errors';
import {
  DEFAULT_CHECK_BUDGET_MS,
  validateDeployment,
  type Check,
  type HookExecution,
  type HookStatus,
  type LifecycleReporter,
} from '../../src/pre-traffic/validate-deployment';

const execution: HookExecution = {
  deploymentId: 'd-TEST12345',
  lifecycleEventHookExecutionId: 'hook-execution-1',
};

class RecordingReporter implements LifecycleReporter {
  public readonly reports: { execution: HookExecution; status: HookStatus; at: number }[] = [];
  public async report(reported: HookExecution, status: HookStatus): Promise<void> {
    this.reports.push({ execution: reported, status, at: Date.now() });
  }
}

class RecordingLogger {
  public readonly lines: { level: string; message: string; attributes: Record<string, unknown> }[] =
    [];
  public info(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, attributes });
  }
  public error(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, attributes });
  }
}

const passing = (name: string): Check => ({ name, run: async () => undefined });
const failing = (name: string, message: string): Check => ({
  name,
  run: async () => {
    throw new Error(message);
  },
});

describe('validateDeployment', () => {
  let reporter: RecordingReporter;
  let logger: RecordingLogger;

  beforeEach(() => {
    reporter = new RecordingReporter();
    logger = new RecordingLogger();
  });

  const run = (checks: () => readonly Check[], budgetMs = 5_000) =>
    validateDeployment({ execution, checks, reporter, logger, budgetMs });

  it('reports Succeeded once when every check passes', async () => {
    // Given two healthy checks
    // When the deployment is validated
    const outcome = await run(() => [passing('a'), passing('b')]);

    // Then CodeDeploy hears Succeeded exactly once, for this hook execution
    expect(outcome.status).toBe('Succeeded');
    expect(reporter.reports).toEqual([{ execution, status: 'Succeeded', at: expect.any(Number) }]);
    expect(outcome.results.map((r) => [r.name, r.ok])).toEqual([
      ['a', true],
      ['b', true],
    ]);
  });

  it('reports Failed when one check rejects, and still runs the others', async () => {
    const ran: string[] = [];
    const outcome = await run(() => [
      failing('table', 'table is CREATING'),
      { name: 'bucket', run: async () => void ran.push('bucket') },
    ]);

    expect(outcome.status).toBe('Failed');
    expect(reporter.reports.map((r) => r.status)).toEqual(['Failed']);
    expect(ran).toEqual(['bucket']);
    expect(outcome.results.find((r) => r.name === 'table')?.error).toBe('Error: table is CREATING');
  });

  it('reports Failed when a check throws synchronously', async () => {
    const throwsAtOnce: Check = {
      name: 'sync',
      run: () => {
        throw new TypeError('boom');
      },
    };

    const outcome = await run(() => [passing('a'), throwsAtOnce]);

    expect(outcome.status).toBe('Failed');
    expect(reporter.reports.map((r) => r.status)).toEqual(['Failed']);
    expect(outcome.results.find((r) => r.name === 'sync')?.error).toBe('TypeError: boom');
  });

  it('reports Failed when the checks cannot even be built (bad configuration)', async () => {
    const outcome = await run(() => {
      throw new Error('TABLE_NAME is required but not set');
    });

    expect(outcome.status).toBe('Failed');
    expect(reporter.reports.map((r) => r.status)).toEqual(['Failed']);
    expect(outcome.results).toEqual([
      expect.objectContaining({
        name: 'setup',
        ok: false,
        error: expect.stringMatching(/TABLE_NAME/),
      }),
    ]);
  });

  it('reports Failed when there are no checks, since nothing was proven', async () => {
    const outcome = await run(() => []);

    expect(outcome.status).toBe('Failed');
    expect(reporter.reports.map((r) => r.status)).toEqual(['Failed']);
  });

  it('reports Failed before the deadline when a check never settles, and aborts it', async () => {
    // Given a check that never resolves and a 200 ms budget
    let signal: AbortSignal | undefined;
    const hangs: Check = {
      name: 'hangs',
      run: (s) => {
        signal = s;
        return new Promise(() => undefined);
      },
    };
    const started = Date.now();

    // When the deployment is validated
    const outcome = await run(() => [passing('a'), hangs], 200);

    // Then Failed is reported shortly after the budget, and the check was told to stop
    expect(outcome.status).toBe('Failed');
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0].status).toBe('Failed');
    expect(reporter.reports[0].at - started).toBeGreaterThanOrEqual(190);
    expect(reporter.reports[0].at - started).toBeLessThan(1_000);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(DeadlineExceededError);
    expect(outcome.results.find((r) => r.name === 'hangs')?.error).toMatch(/DeadlineExceededError/);
  });

  it('gives each check its own deadline: one with a short budget fails on it, the others finish', async () => {
    const short: Check = { name: 'short', budgetMs: 100, run: () => new Promise(() => undefined) };
    const slow: Check = {
      name: 'slow',
      run: () => new Promise<void>((resolve) => setTimeout(resolve, 300)),
    };

    const outcome = await run(() => [short, slow], 5_000);

    expect(outcome.status).toBe('Failed');
    const byName = Object.fromEntries(outcome.results.map((r) => [r.name, r]));
    expect(byName.short.error).toBe('DeadlineExceededError: short did not finish within 100 ms');
    expect(byName.short.durationMs).toBeLessThan(300);
    expect(byName.slow.ok).toBe(true);
  });

  it('caps a check that names no budget at a minute, so a hung dependency rolls back quickly', async () => {
    jest.useFakeTimers();
    try {
      const hangs: Check = { name: 'hangs', run: () => new Promise(() => undefined) };
      const outcome = run(() => [hangs], 10 * 60_000);

      await jest.advanceTimersByTimeAsync(DEFAULT_CHECK_BUDGET_MS);

      expect((await outcome).results[0].error).toBe(
        `DeadlineExceededError: hangs did not finish within ${DEFAULT_CHECK_BUDGET_MS} ms`,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports Failed at once when no budget is left', async () => {
    const outcome = await run(
      () => [{ name: 'slow', run: () => new Promise(() => undefined) }],
      -50,
    );

    expect(outcome.status).toBe('Failed');
    expect(reporter.reports.map((r) => r.status)).toEqual(['Failed']);
  });

  it('logs the result of every check', async () => {
    await run(() => [passing('a'), failing('b', 'unreachable')]);

    expect(logger.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'info',
          message: 'check passed',
          attributes: { check: expect.objectContaining({ name: 'a', ok: true }) },
        }),
        expect.objectContaining({
          level: 'error',
          message: 'check failed',
          attributes: expect.objectContaining({
            check: expect.objectContaining({ name: 'b', ok: false, error: 'Error: unreachable' }),
          }),
        }),
      ]),
    );
  });

  it('throws LifecycleReportError, with the cause, when CodeDeploy rejects the report', async () => {
    const cause = new Error('AccessDenied');
    const rejecting: LifecycleReporter = {
      report: async () => {
        throw cause;
      },
    };

    const attempt = validateDeployment({
      execution,
      checks: () => [passing('a')],
      reporter: rejecting,
      logger,
      budgetMs: 1_000,
    });

    await expect(attempt).rejects.toBeInstanceOf(LifecycleReportError);
    await expect(attempt).rejects.toMatchObject({ cause, message: /Succeeded/ });
  });
});

import { createLogger, setCorrelationId } from '@security-assistant/layer-common';
import type { Context } from 'aws-lambda';
import { InvalidHookEventError, LifecycleReportError } from './errors';
import {
  validateDeployment,
  type Check,
  type HookExecution,
  type HookStatus,
  type LifecycleReporter,
} from './pre-traffic/validate-deployment';

/** What CodeDeploy sends a Lambda lifecycle hook. */
export interface CodeDeployHookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** Time kept back from the Lambda timeout for the report to CodeDeploy. */
export const REPORT_MARGIN_MS = 5_000;

/**
 * How long the checks may run in all, given the invocation's remaining time; each check also
 * has its own budget (`Check.budgetMs`, a minute unless it says otherwise).
 */
export function checkBudgetMs(remainingMs: number): number {
  return remainingMs - REPORT_MARGIN_MS;
}

export interface HookHandlerOptions {
  /** Powertools service name of the hook. */
  readonly service: string;
  /** Builds the checks on each invocation, so a configuration error is reported as `Failed`. */
  readonly checks: () => readonly Check[];
  readonly reporter: LifecycleReporter;
}

/**
 * A Lambda handler that validates a deployment and always reports `Succeeded` or `Failed` to
 * CodeDeploy before its own timeout. If the report itself fails the invocation fails too, so
 * Lambda's retry of the (asynchronous) hook invocation gets another chance to report.
 */
export function createHookHandler(options: HookHandlerOptions) {
  const logger = createLogger(options.service);
  return async (event: CodeDeployHookEvent, context: Context): Promise<HookStatus> => {
    const execution = parseHookEvent(event);
    setCorrelationId(logger, execution.deploymentId);
    try {
      const outcome = await validateDeployment({
        execution,
        checks: options.checks,
        reporter: options.reporter,
        logger,
        budgetMs: checkBudgetMs(context.getRemainingTimeInMillis()),
      });
      return outcome.status;
    } catch (err) {
      if (err instanceof LifecycleReportError) {
        logger.error('CodeDeploy did not accept the status; failing so Lambda retries', {
          error: err,
        });
      }
      throw err;
    }
  };
}

function parseHookEvent(event: unknown): HookExecution {
  const { DeploymentId, LifecycleEventHookExecutionId } = (event ?? {}) as Record<string, unknown>;
  if (typeof DeploymentId !== 'string' || !DeploymentId) {
    throw new InvalidHookEventError(
      'event has no DeploymentId: not a CodeDeploy lifecycle hook event',
    );
  }
  if (typeof LifecycleEventHookExecutionId !== 'string' || !LifecycleEventHookExecutionId) {
    throw new InvalidHookEventError(
      'event has no LifecycleEventHookExecutionId: not a CodeDeploy lifecycle hook event',
    );
  }
  return {
    deploymentId: DeploymentId,
    lifecycleEventHookExecutionId: LifecycleEventHookExecutionId,
  };
}

/** Base class of every error the deploy hooks raise on purpose. */
export abstract class DeployHookError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The invocation is not a CodeDeploy lifecycle hook event, so there is nothing to report to. */
export class InvalidHookEventError extends DeployHookError {}

/** A check ran and found the new version or one of its resources unhealthy. */
export class CheckFailedError extends DeployHookError {
  constructor(
    public readonly check: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${check}: ${message}`, options);
  }
}

/** The checks did not finish before the hook had to report. */
export class DeadlineExceededError extends DeployHookError {}

/** CodeDeploy did not accept the hook's status; rethrown so Lambda retries the invocation. */
export class LifecycleReportError extends DeployHookError {}

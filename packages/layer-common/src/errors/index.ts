/** Base class of every error the platform raises on purpose; `code` is stable and public. */
export abstract class PlatformError extends Error {
  public abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller sent something the platform will not accept (HTTP 400/413/415). */
export class ValidationError extends PlatformError {
  constructor(
    public readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The named resource does not exist (HTTP 404). */
export class NotFoundError extends PlatformError {
  public readonly code = 'NOT_FOUND';
}

/** A required environment variable is missing or malformed: a deployment bug. */
export class ConfigError extends PlatformError {
  public readonly code = 'CONFIGURATION_ERROR';
}

/** Processing cannot succeed however often it is retried: fail the job at once. */
export class PermanentJobError extends PlatformError {
  constructor(
    public readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Processing failed for a reason that may pass (throttling, 5xx): let SQS redeliver. */
export class TransientJobError extends PlatformError {
  public readonly code = 'TRANSIENT_FAILURE';
}

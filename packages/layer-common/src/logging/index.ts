import { Logger } from '@aws-lambda-powertools/logger';

export { Logger };

/** A structured JSON logger for one function; `POWERTOOLS_*` variables still apply. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/**
 * Tags every following log line with the correlation id (the job id, or the API request id
 * before a job exists), so one query follows a drawing from upload to result.
 */
export function setCorrelationId(logger: Logger, correlationId: string): void {
  logger.appendKeys({ correlation_id: correlationId });
}

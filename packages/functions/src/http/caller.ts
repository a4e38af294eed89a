import { ConfigError } from '@security-assistant/layer-common';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerOf, callersFrom, type Caller, type ResolvedCaller } from '../domain/callers';
import { ForbiddenError } from '../errors';

/** The API's callers from `CALLERS`, read once at module load like the rest of the config. */
export function loadCallers(env: NodeJS.ProcessEnv = process.env): Caller[] {
  try {
    return callersFrom(env.CALLERS);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/** The caller of a request, or 403 `CALLER_UNKNOWN` (a key or principal nobody configured). */
export function requireCaller(
  event: APIGatewayProxyEvent,
  callers: readonly Caller[],
): ResolvedCaller {
  const resolved = callerOf(event.requestContext?.identity, callers);
  if (!resolved) {
    throw new ForbiddenError(
      'CALLER_UNKNOWN',
      "the request's API key or IAM principal is not one of the platform's callers",
    );
  }
  return resolved;
}

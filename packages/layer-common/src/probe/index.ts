/**
 * The event CodeDeploy's pre-traffic hook sends to a new function version. Every handler is
 * wrapped with `withDeploymentProbe`, so the probe proves the new code loads, reads its
 * configuration and answers, without running any business logic.
 */
export const DEPLOYMENT_PROBE_EVENT = { deploymentProbe: true } as const;

export interface DeploymentProbeResult {
  readonly ok: true;
  readonly service: string;
  readonly version: string;
}

export function isDeploymentProbe(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as Record<string, unknown>).deploymentProbe === true
  );
}

/**
 * Wraps a Lambda handler so it answers the deployment probe; every other event reaches
 * the handler unchanged.
 */
export function withDeploymentProbe<E, C, R>(
  service: string,
  handler: (event: E, context: C) => Promise<R>,
): (event: E | typeof DEPLOYMENT_PROBE_EVENT, context: C) => Promise<R | DeploymentProbeResult> {
  return async (event, context) => {
    if (isDeploymentProbe(event)) {
      return { ok: true, service, version: process.env.SERVICE_VERSION ?? '0.0.0' };
    }
    return handler(event as E, context);
  };
}

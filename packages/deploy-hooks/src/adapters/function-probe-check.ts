import type { LambdaClient } from '@aws-sdk/client-lambda';
import { DEPLOYMENT_PROBE_EVENT } from '@security-assistant/layer-common';
import { CheckFailedError } from '../errors';
import { invokeFunction } from './invoke-function';
import type { Check } from '../pre-traffic/validate-deployment';

/**
 * Invokes a function version or alias with the deployment probe and requires an answer with
 * `ok: true`: the new code loads, reads its configuration and responds.
 */
export class FunctionProbeCheck implements Check {
  public readonly name = 'function-probe';

  constructor(
    private readonly client: LambdaClient,
    private readonly functionArn: string,
  ) {}

  public async run(signal: AbortSignal): Promise<void> {
    const answer = await invokeFunction(
      this.client,
      this.functionArn,
      DEPLOYMENT_PROBE_EVENT,
      signal,
      this.name,
    );
    if ((answer as { ok?: unknown } | null)?.ok !== true) {
      throw new CheckFailedError(
        this.name,
        `${this.functionArn} did not answer ok: ${JSON.stringify(answer).slice(0, 500)}`,
      );
    }
  }
}

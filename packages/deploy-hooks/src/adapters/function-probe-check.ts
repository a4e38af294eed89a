import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DEPLOYMENT_PROBE_EVENT } from '@security-assistant/layer-common';
import { CheckFailedError } from '../errors';
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
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionArn,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(DEPLOYMENT_PROBE_EVENT)),
      }),
      { abortSignal: signal },
    );
    const payload = new TextDecoder().decode(response.Payload);
    if (response.FunctionError) {
      throw new CheckFailedError(
        this.name,
        `${this.functionArn} raised ${response.FunctionError}: ${payload.slice(0, 500)}`,
      );
    }
    let answer: unknown;
    try {
      answer = JSON.parse(payload);
    } catch (err) {
      throw new CheckFailedError(this.name, `${this.functionArn} answered non-JSON`, {
        cause: err,
      });
    }
    if ((answer as { ok?: unknown } | null)?.ok !== true) {
      throw new CheckFailedError(
        this.name,
        `${this.functionArn} did not answer ok: ${payload.slice(0, 500)}`,
      );
    }
  }
}

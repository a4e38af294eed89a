import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CheckFailedError } from '../errors';

/**
 * Invokes a function (synchronously) with `event` and returns its JSON answer; a function
 * error or an answer that is not JSON fails `check` with what the function said.
 */
export async function invokeFunction(
  client: LambdaClient,
  functionArn: string,
  event: unknown,
  signal: AbortSignal,
  check: string,
): Promise<unknown> {
  const response = await client.send(
    new InvokeCommand({
      FunctionName: functionArn,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
    { abortSignal: signal },
  );
  const payload = new TextDecoder().decode(response.Payload);
  if (response.FunctionError) {
    throw new CheckFailedError(
      check,
      `${functionArn} raised ${response.FunctionError}: ${payload.slice(0, 500)}`,
    );
  }
  try {
    return JSON.parse(payload);
  } catch (err) {
    throw new CheckFailedError(
      check,
      `${functionArn} answered non-JSON: ${payload.slice(0, 500)}`,
      {
        cause: err,
      },
    );
  }
}
